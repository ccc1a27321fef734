// The `x0x` CLI, as a separate process, against real `x0xd` processes: the issue's "CLI against
// a spawned daemon". Output is checked as a user would read it, and with `--json`.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poll, removeDaemons, startMesh, type DaemonProcess } from './daemon-process.js'

const CLI_MAIN = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url))

interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

interface CliProcess {
  /** stdout and stderr so far (status lines go to stderr, messages to stdout). */
  output(): string
  readonly done: Promise<CliResult>
  interrupt(): void
}

function startCli(daemon: DaemonProcess, args: readonly string[]): CliProcess {
  const child = spawn(process.execPath, [CLI_MAIN, '--api', daemon.apiBase, ...args], {
    env: { ...process.env, HOME: daemon.home, X0X_API_TOKEN: daemon.token },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const done = new Promise<CliResult>((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
  return { output: () => stdout + stderr, done, interrupt: () => child.kill('SIGINT') }
}

const cli = (daemon: DaemonProcess, ...args: string[]) => startCli(daemon, args).done

let mesh: DaemonProcess[] = []
let alice: DaemonProcess
let bob: DaemonProcess

beforeAll(async () => {
  mesh = await startMesh(2)
  ;[alice, bob] = mesh as [DaemonProcess, DaemonProcess]
}, 90_000)

afterAll(async () => {
  await removeDaemons(mesh)
})

describe('x0x CLI against running daemons', () => {
  it('prints status as text and the raw API JSON with --json', async () => {
    const text = await cli(alice, 'status')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/status: connected/)
    const json = await cli(alice, '--json', 'agent')
    expect(json.code).toBe(0)
    const agent = JSON.parse(json.stdout) as { agent_id: string }
    expect(agent.agent_id).toBe((await alice.json<{ agent_id: string }>('/agent')).agent_id)
  })

  it('publishes on one daemon and prints the message in a subscribe on the other', async () => {
    const topic = `cli-${Date.now()}`
    const subscriber = startCli(bob, ['subscribe', topic])
    await poll(() => (subscriber.output().includes('subscribed') ? true : undefined), 'subscribed')
    expect((await cli(alice, 'publish', topic, 'hello from the cli')).code).toBe(0)
    await poll(
      () => (subscriber.output().includes('hello from the cli') ? true : undefined),
      'the subscriber prints the message',
    )
    subscriber.interrupt()
    expect((await subscriber.done).code).toBe(0)
  })

  it('sends a direct message and manages contacts', async () => {
    const bobId = (await bob.json<{ agent_id: string }>('/agent')).agent_id
    const aliceId = (await alice.json<{ agent_id: string }>('/agent')).agent_id
    const sent = await cli(alice, 'direct', 'send', bobId, 'psst')
    expect(sent.code).toBe(0)
    expect(sent.stdout).toMatch(/raw_quic_acked/)
    expect(
      (await cli(bob, 'contacts', 'add', aliceId, '--trust', 'trusted', '--label', 'alice')).code,
    ).toBe(0)
    const listed = await cli(bob, 'contacts', 'list')
    expect(listed.stdout).toMatch(new RegExp(`${aliceId}\\s+trusted\\s+alice`))
    const invalid = await cli(bob, 'contacts', 'add', aliceId, '--trust', 'bogus')
    expect(invalid.code).toBe(1)
  })

  it('exits 2 when the daemon is not running and 1 on an API error', async () => {
    const missing = await cli(alice, '--api', '127.0.0.1:1', 'status')
    expect(missing.code).toBe(2)
    const bad = await cli(alice, 'agents', 'get', 'ab'.repeat(32))
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/agent not found/)
  })
})
