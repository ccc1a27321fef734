// End-to-end tests against the real daemon come with apps/daemon; these run the client against a
// small node:http server built from the same registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbortError } from '@x0x/base'
import {
  DaemonUnreachableError,
  InvalidResponseError,
  X0xApiError,
  createX0xClient,
  encodeBase64,
  routes,
  type X0xClient,
} from '../src/index.js'
import { AGENT, TOKEN, startMiniDaemon, type MiniDaemon } from './fixtures/mini-daemon.js'

let daemon: MiniDaemon
let client: X0xClient
const published: unknown[] = []
let streamClosed: Promise<void> = Promise.resolve()

beforeAll(async () => {
  daemon = await startMiniDaemon(
    {
      health: () => ({ ok: true, status: 'healthy', version: '0.19.21', peers: 0, uptime_secs: 1 }),
      status: () => ({ ok: true, status: 'wrong' }),
      publish: ({ body }) => {
        published.push(body)
        return { ok: true }
      },
      'contacts.add': ({ body }) => ({
        ok: true,
        agent_id: (body as { agent_id: string }).agent_id,
      }),
      'contacts.removeMachine': () => undefined,
      'agents.discovered': ({ query }) => ({ ok: true, agents: [], query }),
      'direct.send': ({ response }) => {
        response.writeHead(504, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ ok: false, error: 'timeout', detail: 'no ack within 5s' }))
      },
      events: ({ response }) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        const message = {
          subscription_id: 'ab12',
          topic: 'chat',
          payload: 'aGk=',
          sender: AGENT,
          verified: true,
          trust_level: 'known',
        }
        response.write(
          `event: message\ndata: ${JSON.stringify({ type: 'message', data: message })}\n\n`,
        )
        response.write('event: unknown-kind\ndata: {}\n\n:keep-alive\n\n')
        response.write(
          `event: file:offer\ndata: ${JSON.stringify({ type: 'file:offer', data: { transfer_id: 't', filename: 'f', size: 3, sender: AGENT } })}\n\n`,
        )
        streamClosed = new Promise((resolve) => {
          response.on('close', () => {
            resolve()
          })
        })
      },
      'direct.events': ({ response }) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        response.end('event: direct_message\ndata: not json\n\n')
      },
    },
    (command, reply) => {
      const typed = command as { type: string; topics?: string[] }
      if (typed.type === 'subscribe') reply({ type: 'subscribed', topics: typed.topics })
      if (typed.type === 'ping') reply({ type: 'pong' })
    },
  )
  client = createX0xClient({ baseUrl: daemon.baseUrl, token: TOKEN, validateResponses: true })
})

afterAll(async () => {
  await daemon.close()
})

describe('REST', () => {
  it('calls a route without auth and types its result', async () => {
    const tokenless = createX0xClient({ baseUrl: daemon.baseUrl })
    const health = await tokenless.health()
    expect(health.status).toBe('healthy')
    await expect(tokenless.contacts.list()).rejects.toMatchObject({
      name: 'X0xApiError',
      status: 401,
      message: 'missing or invalid Authorization: Bearer token',
    })
  })

  it('sends JSON bodies with the token and returns the flat body', async () => {
    const payload = encodeBase64(new TextEncoder().encode('hello'))
    await expect(client.publish({ topic: 'chat', payload })).resolves.toEqual({ ok: true })
    expect(published.at(-1)).toEqual({ topic: 'chat', payload: 'aGVsbG8=' })
  })

  it('surfaces the daemon’s 400 error text and 422 plain text', async () => {
    const error = await client
      .publish({ topic: '', payload: '' })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(X0xApiError)
    expect(error).toMatchObject({
      status: 400,
      message: 'topic must not be empty',
      body: { ok: false, error: 'topic must not be empty' },
    })
    const shape = await client
      .call(routes.contacts.add, { body: { agent_id: AGENT, extra: 1 } as never })
      .catch((caught: unknown) => caught)
    expect(shape).toMatchObject({
      status: 422,
      message: expect.stringMatching(/unknown field `extra`/) as unknown,
    })
  })

  it('returns lower-cased ids and undefined for 204', async () => {
    await expect(client.contacts.add({ agent_id: AGENT.toUpperCase() })).resolves.toEqual({
      ok: true,
      agent_id: AGENT,
    })
    await expect(client.contacts.removeMachine(AGENT, AGENT)).resolves.toBeUndefined()
  })

  it('encodes queries', async () => {
    // Without validation, so the echo field the stand-in adds is not stripped.
    const plain = createX0xClient({ baseUrl: daemon.baseUrl, token: TOKEN })
    const result = (await plain.agents.discovered({ unfiltered: true })) as unknown as {
      query: unknown
    }
    expect(result.query).toEqual({ unfiltered: true })
  })

  it('keeps the error kind and detail of a failed direct send', async () => {
    const error = await client.direct
      .send({ agent_id: AGENT, payload: '' })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ status: 504, message: 'timeout', detail: 'no ack within 5s' })
  })

  it('rejects a response that breaks its schema when validating', async () => {
    await expect(client.status()).rejects.toThrow(InvalidResponseError)
  })

  it('maps a refused connection and an aborted call to their errors', async () => {
    const offline = createX0xClient({ baseUrl: 'http://127.0.0.1:1', token: TOKEN })
    await expect(offline.status()).rejects.toBeInstanceOf(DaemonUnreachableError)
    await expect(client.health({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
  })
})

describe('SSE', () => {
  it('yields typed events, skips unknown names and comments, and closes on abort', async () => {
    const controller = new AbortController()
    const events: { event: string; data: unknown }[] = []
    const consume = (async () => {
      for await (const event of client.events({ signal: controller.signal })) {
        events.push(event)
        if (event.event === 'message' && event.data.type === 'message') {
          expect(event.data.data.topic).toBe('chat')
        }
        if (events.length === 2) controller.abort()
      }
    })()
    await expect(consume).rejects.toBeInstanceOf(AbortError)
    expect(events.map((event) => event.event)).toEqual(['message', 'file:offer'])
    await streamClosed
  })

  it('closes the connection when the consumer leaves the loop', async () => {
    for await (const event of client.events()) {
      expect(event.event).toBe('message')
      break
    }
    await streamClosed
  })

  it('throws InvalidResponseError on data that is not JSON', async () => {
    const run = async () => {
      for await (const _event of client.direct.events()) {
        // nothing: the first event is broken
      }
    }
    await expect(run()).rejects.toThrow(InvalidResponseError)
  })
})

describe('WebSocket', () => {
  it('connects with the query token, exposes the session and exchanges typed messages', async () => {
    const session = await client.ws.connect()
    expect(session.sessionId).toBe('session-1')
    expect(session.agentId).toBe(AGENT)
    session.subscribe(['chat'])
    const seen: string[] = []
    for await (const message of session.messages()) {
      seen.push(message.type)
      if (message.type === 'subscribed') {
        expect(message.topics).toEqual(['chat'])
        session.close()
      }
    }
    expect(seen).toEqual(['pong', 'subscribed'])
  })

  it('fails to connect without a token', async () => {
    const tokenless = createX0xClient({ baseUrl: daemon.baseUrl })
    await expect(tokenless.ws.connect()).rejects.toBeInstanceOf(DaemonUnreachableError)
  })
})
