import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { topLevelTomlString } from '../src/commands/daemon-process.js'
import { run } from './fixtures/run.js'

const FAKE_X0XD = fileURLToPath(new URL('./fixtures/fake-x0xd.mjs', import.meta.url))

let home: string
const started: number[] = []

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'x0x-start-'))
})

afterEach(async () => {
  // Only the fake daemons this file started, by pid.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  await rm(home, { recursive: true, force: true })
})

describe('x0x start', () => {
  it('spawns the daemon with --name, waits for api.port and /health, and prints the address', async () => {
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), PATH: process.env['PATH'] }
    const result = await run(['--name', 'alice', 'start', '--json'], { env, daemonPath: FAKE_X0XD })
    const report = JSON.parse(result.stdout) as { api: string; pid: number; log: string }
    started.push(report.pid)
    expect(result.code).toBe(0)
    const port = await readFile(join(home, 'data', 'x0x-alice', 'api.port'), 'utf8')
    expect(report.api).toBe(`http://${port}`)
    expect(await readFile(report.log, 'utf8')).toContain(`fake x0xd ${report.pid} listening`)

    const again = await run(['--name', 'alice', 'start'], { env, daemonPath: FAKE_X0XD })
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(`x0xd is already running at http://${port}\n`)
  })

  it('follows a config file that moves data_dir', async () => {
    const dataDir = join(home, 'elsewhere')
    const config = join(home, 'config.toml')
    await writeFile(config, `log_level = "info"\ndata_dir = "${dataDir}"\n`)
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'data') }
    const result = await run(['start', '--config', config, '--json'], {
      env,
      daemonPath: FAKE_X0XD,
    })
    const report = JSON.parse(result.stdout) as { api: string; pid: number }
    started.push(report.pid)
    expect(result.code).toBe(0)
    expect(report.api).toBe(`http://${await readFile(join(dataDir, 'api.port'), 'utf8')}`)
  })

  it('fails with exit 1 and points at the log when the daemon exits while starting', async () => {
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), FAKE_X0XD_FAIL: '1' }
    const result = await run(['start'], { env, daemonPath: FAKE_X0XD })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('x0xd exited (code 3) while starting')
    expect(result.stderr).toContain(join(home, 'data', 'x0x', 'x0xd.log'))
  })

  it('reads top-level TOML strings only, not keys inside tables', () => {
    const text = `# comment\ndata_dir = "/a b"\napi_address = '127.0.0.1:1'\n[update]\nrepo = "x/y"\n`
    expect(topLevelTomlString(text, 'data_dir')).toBe('/a b')
    expect(topLevelTomlString(text, 'api_address')).toBe('127.0.0.1:1')
    expect(topLevelTomlString(text, 'repo')).toBeUndefined()
  })
})
