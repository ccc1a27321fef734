import { decodeBase64 } from '@x0x/api'
import { afterEach, describe, expect, it } from 'vitest'
import {
  AGENT,
  MACHINE,
  startFakeDaemon,
  TOKEN,
  type FakeDaemon,
  type Handler,
} from './fixtures/fake-daemon.js'
import { run, start, waitFor, type RunningCli } from './fixtures/run.js'

let daemon: FakeDaemon | undefined

afterEach(async () => {
  await daemon?.close()
  daemon = undefined
})

async function against(handlers: Record<string, Handler>) {
  daemon = await startFakeDaemon(handlers)
  const started = daemon
  return (argv: string[]) =>
    run([...argv, '--api', started.address], { env: { X0X_API_TOKEN: TOKEN } })
}

/** Starts a streaming command against the current fake daemon. */
function stream(argv: string[], signal: AbortSignal): RunningCli {
  const fake = daemon as FakeDaemon
  return start([...argv, '--api', fake.address], { env: { X0X_API_TOKEN: TOKEN }, signal })
}

const status = {
  ok: true,
  status: 'connected',
  version: '0.19.21',
  uptime_secs: 3725,
  api_address: '127.0.0.1:12700',
  external_addrs: ['203.0.113.7:5483'],
  agent_id: AGENT,
  peers: 4,
  warnings: [],
}

describe('commands against a fake daemon', () => {
  it('status prints key-value text, and the raw JSON with --json', async () => {
    const x0x = await against({ 'GET /status': () => ({ body: status }) })
    const text = await x0x(['status'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('status: connected\n')
    expect(text.stdout).toContain(`agent_id: ${AGENT}\n`)
    expect(text.stdout).toContain('external_addrs: 203.0.113.7:5483\n')
    expect(text.stdout).toContain('uptime: 1h 2m 5s\n')
    expect(text.stdout).not.toContain('ok:')
    const json = await x0x(['status', '--json'])
    expect(JSON.parse(json.stdout)).toEqual(status)
  })

  it('contacts add POSTs the id, lower-cased trust and label', async () => {
    const x0x = await against({
      'POST /contacts': () => ({ status: 201, body: { ok: true, agent_id: AGENT } }),
    })
    const result = await x0x(['contacts', 'add', AGENT, '--trust', 'Trusted', '--label', 'Bob'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`contact ${AGENT} saved\n`)
    expect(daemon?.requests[0]).toMatchObject({
      method: 'POST',
      path: '/contacts',
      body: { agent_id: AGENT, trust_level: 'trusted', label: 'Bob' },
    })
  })

  it('contacts list renders a table of the contacts', async () => {
    const contact = {
      agent_id: AGENT,
      trust_level: 'known',
      label: null,
      added_at: 1,
      last_seen: null,
    }
    const x0x = await against({
      'GET /contacts': () => ({ body: { ok: true, contacts: [contact] } }),
    })
    const result = await x0x(['contacts'])
    const [header, row] = result.stdout.split('\n')
    expect(header).toMatch(/^AGENT_ID\s+TRUST_LEVEL\s+LABEL\s+ADDED_AT\s+LAST_SEEN$/)
    expect(row).toMatch(new RegExp(`^${AGENT}\\s+known\\s+-\\s+1\\s+-$`))
  })

  it('publish sends the text as standard base64 UTF-8', async () => {
    const x0x = await against({ 'POST /publish': () => ({ body: { ok: true } }) })
    const result = await x0x(['publish', 'chat/general', 'héllo ✓'])
    expect(result.code).toBe(0)
    const body = daemon?.requests[0]?.body as { topic: string; payload: string }
    expect(body.topic).toBe('chat/general')
    expect(body.payload).toBe(Buffer.from('héllo ✓', 'utf8').toString('base64'))
    expect(new TextDecoder().decode(decodeBase64(body.payload))).toBe('héllo ✓')
  })

  it('an API error prints error: <message> on stderr and exits 1', async () => {
    const x0x = await against({
      'POST /publish': () => ({
        status: 400,
        body: { ok: false, error: 'topic must not be empty' },
      }),
    })
    const result = await x0x(['publish', '', 'x'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('error: topic must not be empty\n')
    expect(result.stdout).toBe('')
  })

  it('direct send carries require_ack_ms and reports the path', async () => {
    const x0x = await against({
      'POST /direct/send': () => ({
        body: {
          ok: true,
          path: 'raw_quic_acked',
          retries_used: 0,
          request_id: 'f'.repeat(32),
          require_ack: { ok: true, rtt_ms: 12 },
        },
      }),
    })
    const result = await x0x(['direct', 'send', AGENT, 'hi', '--require-ack-ms', '500'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('sent via raw_quic_acked')
    expect(result.stdout).toContain('acknowledged in 12 ms')
    expect(daemon?.requests[0]?.body).toEqual({
      agent_id: AGENT,
      payload: 'aGk=',
      require_ack_ms: 500,
    })
  })

  it('agents get --wait and peer probe --timeout-ms become query parameters', async () => {
    const agent = {
      agent_id: AGENT,
      machine_id: MACHINE,
      user_id: null,
      addresses: [],
      announced_at: 1,
      last_seen: 2,
    }
    const x0x = await against({
      [`GET /agents/discovered/${AGENT}`]: () => ({ body: { ok: true, agent } }),
      [`POST /peers/${MACHINE}/probe`]: () => ({
        body: { ok: true, rtt_ms: 3, rtt_us: 3100, timeout_ms: 750 },
      }),
    })
    expect((await x0x(['agents', 'get', AGENT, '--wait'])).code).toBe(0)
    expect((await x0x(['peer', 'probe', MACHINE, '--timeout-ms', '750'])).code).toBe(0)
    expect(daemon?.requests[0]?.query.get('wait')).toBe('true')
    expect(daemon?.requests[1]?.query.get('timeout_ms')).toBe('750')
  })

  it('subscribe streams its own messages as text and deletes the subscription on Ctrl-C', async () => {
    const id = '0123456789abcdef'
    await against({
      'POST /subscribe': () => ({ body: { ok: true, subscription_id: id } }),
      'GET /events': () => 'sse',
      [`DELETE /subscribe/${id}`]: () => ({ body: { ok: true } }),
    })
    const interrupt = new AbortController()
    const running = stream(['subscribe', 'chat'], interrupt.signal)
    const fake = daemon as FakeDaemon
    await fake.streamOpened('/events')
    await fake.requested('POST', '/subscribe')
    const message = (subscription: string, text: string) => ({
      type: 'message',
      data: {
        subscription_id: subscription,
        topic: 'chat',
        payload: Buffer.from(text).toString('base64'),
        sender: AGENT,
        verified: true,
        trust_level: 'known',
      },
    })
    fake.push('/events', 'message', message('ffffffffffffffff', 'not ours'))
    fake.push('/events', 'message', message(id, 'hello there'))
    fake.push('/events', 'message', message(id, '\u001b[31mred'))
    await waitFor(() => running.stdout().split('\n').length > 2)
    // The DELETE must not have happened yet: only Ctrl-C ends the stream.
    expect(fake.requests.some((request) => request.method === 'DELETE')).toBe(false)
    interrupt.abort()
    const result = await running.done
    expect(result.code).toBe(0)
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/subscribe/${id}` })
    expect(result.stdout).toBe(
      `[chat] ${AGENT.slice(0, 16)} (known): hello there\n` +
        `[chat] ${AGENT.slice(0, 16)} (known): <8 bytes, base64 ${Buffer.from('\u001b[31mred').toString('base64')}>\n`,
    )
    expect(result.stderr).toContain(`subscribed to chat (subscription ${id})`)
  })

  it('subscribe --json prints one JSON line per message', async () => {
    const id = 'aaaaaaaaaaaaaaaa'
    await against({
      'POST /subscribe': () => ({ body: { ok: true, subscription_id: id } }),
      'GET /events': () => 'sse',
      [`DELETE /subscribe/${id}`]: () => ({ body: { ok: true } }),
    })
    const interrupt = new AbortController()
    const running = stream(['subscribe', 'chat', '--json'], interrupt.signal)
    const fake = daemon as FakeDaemon
    await fake.streamOpened('/events')
    await fake.requested('POST', '/subscribe')
    const data = {
      subscription_id: id,
      topic: 'chat',
      payload: 'aGk=',
      sender: null,
      verified: false,
      trust_level: null,
    }
    fake.push('/events', 'message', { type: 'message', data })
    await waitFor(() => running.stdout().includes('\n'))
    interrupt.abort()
    const result = await running.done
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line: string) => JSON.parse(line) as unknown),
    ).toEqual([data])
    await fake.requested('DELETE', `/subscribe/${id}`)
  })
})
