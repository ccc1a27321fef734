import { describe, expect, it } from 'vitest'
import { freePort } from './fixtures/fake-daemon.js'
import { run } from './fixtures/run.js'

describe('commands that need no daemon', () => {
  it('tree prints every family, including direct and its subcommands', async () => {
    const result = await run(['tree'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ {2}direct\b/m)
    expect(result.stdout).toMatch(/^ {4}send <ID> <MESSAGE>/m)
    expect(result.stdout).toMatch(/^ {2}subscribe <TOPIC>/m)
  })

  it('routes --json is the route registry as JSON, including /health', async () => {
    const result = await run(['routes', '--json'])
    expect(result.code).toBe(0)
    const routes = JSON.parse(result.stdout) as { method: string; path: string; auth: string }[]
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/health', auth: 'none' }),
    )
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/publish', auth: 'bearer' }),
    )
  })

  it('routes prints a table by default', async () => {
    const result = await run(['routes'])
    expect(result.stdout.split('\n')[0]).toMatch(/^METHOD\s+PATH\s+AUTH/)
    expect(result.stdout).toMatch(/^DELETE\s+\/subscribe\/:id\s/m)
  })

  it('--help prints usage on stdout with exit 0 at every level', async () => {
    for (const argv of [['--help'], ['contacts', '--help'], ['direct', 'send', '-h']]) {
      const result = await run(argv)
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('Usage: x0x')
    }
    expect((await run(['direct', 'send', '--help'])).stdout).toContain(
      'Usage: x0x direct send <ID> <MESSAGE> [options]',
    )
  })

  it('a usage error exits 1 and names the command whose help to read', async () => {
    const result = await run(['contacts', 'add', 'ab'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      "error: missing option --trust <LEVEL>\nrun 'x0x contacts add --help' for usage\n",
    )
    expect(result.stdout).toBe('')
  })

  it('refuses an invalid trust level before calling the daemon', async () => {
    const result = await run(['trust', 'set', 'ab', 'bestie', '--api', '127.0.0.1:1'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("invalid trust level 'bestie'")
  })

  it('exits 2 when nothing listens on the daemon port', async () => {
    const port = await freePort()
    const result = await run(['status', '--api', `127.0.0.1:${port}`])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('x0xd is not running')
    expect(result.stderr).toContain(`127.0.0.1:${port}`)
  })

  it('exits 2 for a named instance without a port file', async () => {
    const result = await run(['--name', 'ghost', 'health'], {
      env: { XDG_DATA_HOME: '/nonexistent' },
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('/nonexistent/x0x-ghost/api.port')
    expect(result.stderr).toContain('x0x --name ghost start')
  })

  it('a bare x0x prints help on stderr and exits 1', async () => {
    const result = await run([])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Commands:')
  })
})
