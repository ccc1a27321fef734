// The print-only commands of x0xd, through `runDaemonCli` with captured output.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  loadOrCreateApiToken,
  runDaemonCli,
  startApiServer,
  type DaemonCliResult,
} from '../../src/index.js'

let root: string
let env: Record<string, string>

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'x0xd-cli-'))
  env = {
    HOME: join(root, 'home'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_CONFIG_HOME: join(root, 'config'),
  }
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function run(
  argv: string[],
): Promise<{ result: DaemonCliResult; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const result = await runDaemonCli(argv, {
    env,
    platform: 'linux',
    probeTimeoutMs: 500,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  })
  return { result, stdout, stderr }
}

describe('runDaemonCli', () => {
  it('prints the version and help', async () => {
    expect(await run(['--version'])).toMatchObject({
      result: { kind: 'exit', exitCode: 0 },
      stdout: 'x0xd 0.19.21\n',
    })
    expect((await run(['-h'])).stdout).toContain('--no-hard-coded-bootstrap')
  })

  it('--check prints the resolved config, or the error naming the key', async () => {
    const valid = await run(['--check', '--name', 'alice'])
    expect(valid.result).toEqual({ kind: 'exit', exitCode: 0 })
    expect(valid.stdout).toMatch(/^Configuration is valid\n/)
    expect(valid.stdout).toContain('api_address = "127.0.0.1:0"')
    const path = join(root, 'bad.toml')
    await writeFile(path, 'api_address = "10.0.0.1:12700"')
    const invalid = await run(['--check', '--config', path])
    expect(invalid.result).toEqual({ kind: 'exit', exitCode: 1 })
    expect(invalid.stderr).toMatch(/config key "api_address"/)
  })

  it('returns the config to run with, warning about unknown flags', async () => {
    const { result, stderr } = await run(['--what'])
    expect(result.kind).toBe('run')
    expect(stderr).toBe('x0xd: ignoring unknown argument "--what"\n')
  })

  it('--list shows running and stale instances', async () => {
    const running = join(root, 'data', 'x0x-alive')
    const stale = join(root, 'data', 'x0x')
    await mkdir(stale, { recursive: true })
    await writeFile(join(stale, 'api.port'), '127.0.0.1:1\n')
    await mkdir(join(root, 'data', 'other'), { recursive: true })
    const server = await startApiServer({
      config: { apiAddress: '127.0.0.1:0', dataDir: running },
      token: 't'.repeat(64),
      handlers: { json: { health: () => ({ ok: true }) } },
    })
    try {
      const { stdout } = await run(['--list'])
      const lines = stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/))
      expect(lines).toEqual([
        ['NAME', 'API', 'STATUS'],
        ['default', '127.0.0.1:1', 'stale'],
        ['alive', server.address, 'running'],
      ])
    } finally {
      await server.close()
    }
  })

  it('doctor reports PASS, WARN and FAIL lines and fails on a loose token file', async () => {
    const fresh = await run(['doctor'])
    expect(fresh.result).toEqual({ kind: 'exit', exitCode: 0 })
    expect(fresh.stdout).toMatch(/^PASS {2}configuration is valid/m)
    expect(fresh.stdout).toMatch(/^WARN {2}data dir .* does not exist yet/m)
    const dataDir = join(root, 'data', 'x0x')
    await loadOrCreateApiToken(dataDir)
    const server = await startApiServer({
      config: { apiAddress: '127.0.0.1:0', dataDir },
      token: 't'.repeat(64),
      handlers: { json: { health: () => ({ ok: true }) } },
    })
    try {
      const healthy = await run(['--doctor'])
      expect(healthy.stdout).toMatch(/^PASS {2}data dir .* is writable/m)
      expect(healthy.stdout).toMatch(/^PASS {2}API reachable at 127\.0\.0\.1:\d+/m)
      expect(healthy.stdout).toMatch(/^PASS {2}token file .* mode 0600/m)
      await chmod(join(dataDir, 'api-token'), 0o644)
      const loose = await run(['doctor'])
      expect(loose.result).toEqual({ kind: 'exit', exitCode: 1 })
      expect(loose.stdout).toMatch(/^FAIL {2}token file .* mode 0644/m)
    } finally {
      await server.close()
    }
  })
})
