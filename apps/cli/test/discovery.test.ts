import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeDaemon, TOKEN, type FakeDaemon } from './fixtures/fake-daemon.js'
import { run } from './fixtures/run.js'

const health = { ok: true, status: 'healthy', version: '0.19.21', peers: 3, uptime_secs: 75 }
const peers = { ok: true, peers: [{ id: 'ef'.repeat(32) }] }

let home: string
let daemon: FakeDaemon

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'x0x-cli-'))
  daemon = await startFakeDaemon({
    'GET /health': () => ({ body: health }),
    'GET /peers': () => ({ body: peers }),
  })
})

afterEach(async () => {
  await daemon.close()
  await rm(home, { recursive: true, force: true })
})

async function writeInstance(
  root: string,
  leaf: string,
  files: Record<string, string>,
): Promise<void> {
  await mkdir(join(root, leaf), { recursive: true })
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, leaf, name), text)
}

describe('address and token discovery', () => {
  it('reads api.port and api-token from ~/.local/share/x0x under HOME', async () => {
    await writeInstance(join(home, '.local', 'share'), 'x0x', {
      'api.port': `${daemon.address}\n`,
      'api-token': `${TOKEN}\n`,
    })
    const result = await run(['peers'], { env: { HOME: home } })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('ef'.repeat(32))
    expect(daemon.requests[0]?.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('uses XDG_DATA_HOME and the named instance directory x0x-<name>', async () => {
    const xdg = join(home, 'xdg')
    await writeInstance(xdg, 'x0x-alice', { 'api.port': daemon.address, 'api-token': TOKEN })
    const result = await run(['--name', 'alice', 'peers', '--json'], {
      env: { HOME: home, XDG_DATA_HOME: xdg },
    })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(peers)
  })

  it('X0X_API_TOKEN wins over the token file', async () => {
    await writeInstance(join(home, '.local', 'share'), 'x0x', {
      'api.port': daemon.address,
      'api-token': 'stale-token-from-file',
    })
    const result = await run(['peers'], { env: { HOME: home, X0X_API_TOKEN: TOKEN } })
    expect(result.code).toBe(0)
    expect(daemon.requests[0]?.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('--api wins over the port file, with or without a scheme', async () => {
    await writeInstance(join(home, '.local', 'share'), 'x0x', { 'api.port': '127.0.0.1:1' })
    for (const api of [daemon.address, daemon.baseUrl]) {
      const result = await run(['health', '--api', api], { env: { HOME: home } })
      expect(result.code).toBe(0)
      expect(result.stdout).toBe('healthy (x0xd 0.19.21, 3 peers, up 1m 15s)\n')
    }
  })

  it('a missing token gives the 401 message and a hint where the token should be', async () => {
    await writeInstance(join(home, '.local', 'share'), 'x0x', { 'api.port': daemon.address })
    const result = await run(['peers'], { env: { HOME: home } })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('error: missing or invalid Authorization: Bearer token')
    expect(result.stderr).toContain(join(home, '.local', 'share', 'x0x', 'api-token'))
  })

  it('instances lists each data directory with its address and a live health probe', async () => {
    const root = join(home, '.local', 'share')
    await writeInstance(root, 'x0x', { 'api.port': daemon.address })
    await writeInstance(root, 'x0x-bob', {})
    await writeInstance(root, 'not-x0x', { 'api.port': daemon.address })
    const result = await run(['instances', '--json'], { env: { HOME: home } })
    expect(result.code).toBe(0)
    const rows = JSON.parse(result.stdout) as { name: string; api: string | null; status: string }[]
    expect(rows.map(({ name, api, status }) => ({ name, api, status }))).toEqual([
      { name: '(default)', api: daemon.address, status: 'healthy (3 peers)' },
      { name: 'bob', api: null, status: 'stopped' },
    ])
  })
})
