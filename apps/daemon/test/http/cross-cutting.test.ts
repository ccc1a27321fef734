// API.md §0 rules over a test handler table: auth, routing, limits, decoding, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TOKEN, type RunningServer } from './test-server.js'

let running: RunningServer
const UNAUTHORIZED = '{"error":"missing or invalid Authorization: Bearer token"}'
const json = (body: unknown, contentType = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': contentType },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

beforeAll(async () => {
  running = await startTestServer()
})
afterAll(async () => {
  await running.stop()
})

describe('auth', () => {
  it('answers 401 with x0x body on a protected route without a token', async () => {
    const response = await fetch(`${running.base}/status`)
    expect(response.status).toBe(401)
    expect(await response.text()).toBe(UNAUTHORIZED)
  })

  it('answers 401 on an unknown path without a token and an empty 404 with one', async () => {
    expect((await fetch(`${running.base}/no/such/path`)).status).toBe(401)
    const response = await running.authed('/no/such/path')
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('')
  })

  it('refuses a wrong token and a lower-case bearer prefix', async () => {
    const wrong = await fetch(`${running.base}/status`, {
      headers: { authorization: `Bearer ${'b'.repeat(64)}` },
    })
    expect(wrong.status).toBe(401)
    const lower = await fetch(`${running.base}/status`, {
      headers: { authorization: `bearer ${TOKEN}` },
    })
    expect(lower.status).toBe(401)
  })

  it('serves /health without a token', async () => {
    const response = await fetch(`${running.base}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, status: 'healthy' })
  })

  it('accepts ?token= on /events but not on /status', async () => {
    const controller = new AbortController()
    const events = await fetch(`${running.base}/events?x=1&token=${TOKEN}`, {
      signal: controller.signal,
    })
    expect(events.status).toBe(200)
    controller.abort()
    expect((await fetch(`${running.base}/status?token=${TOKEN}`)).status).toBe(401)
  })

  it('answers a route without a registered handler like an unknown path', async () => {
    expect((await running.authed('/network/status')).status).toBe(404)
    expect((await fetch(`${running.base}/network/status`)).status).toBe(401)
  })
})

describe('routing and decoding', () => {
  it('answers 405 for a known path with another method', async () => {
    const response = await running.authed('/publish')
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
  })

  it('answers 413 in plain text for a 2 MiB body', async () => {
    const body = JSON.stringify({ topic: 't', payload: 'A'.repeat(2 * 1024 * 1024) })
    const response = await running.authed('/publish', json(body))
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
  })

  it('answers 415, 400 and 422 in plain text as axum does', async () => {
    const wrongType = await running.authed(
      '/publish',
      json({ topic: 't', payload: '' }, 'text/plain'),
    )
    expect(wrongType.status).toBe(415)
    expect(wrongType.headers.get('content-type')).toMatch(/^text\/plain/)
    const badJson = await running.authed('/publish', json('{"topic":'))
    expect(badJson.status).toBe(400)
    expect(badJson.headers.get('content-type')).toMatch(/^text\/plain/)
    const missing = await running.authed('/publish', json({ topic: 't' }))
    expect(missing.status).toBe(422)
    expect(await missing.text()).toContain('payload')
  })

  it('answers a value error with 400 {ok:false,error}', async () => {
    const response = await running.authed('/publish', json({ topic: '', payload: 'aGk=' }))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ ok: false })
  })

  it('passes a decoded body, and an absent optional body as undefined', async () => {
    const echo = await running.authed('/publish', json({ topic: 't', payload: 'aGk=' }))
    expect(await echo.json()).toEqual({ ok: true, echo: { topic: 't', payload: 'aGk=' } })
    const empty = await running.authed('/announce', { method: 'POST' })
    expect(await empty.json()).toEqual({ ok: true, body: null })
  })

  it('lower-cases hex path params, decodes the query, and rejects a bad query in plain text', async () => {
    const id = 'AB'.repeat(32)
    const found = await running.authed(`/agents/discovered/${id}?wait=true`)
    expect(await found.json()).toEqual({
      ok: true,
      params: { agent_id: id.toLowerCase() },
      query: { wait: true },
    })
    const badQuery = await running.authed(`/agents/discovered/${id}?wait=10`)
    expect(badQuery.status).toBe(400)
    expect(badQuery.headers.get('content-type')).toMatch(/^text\/plain/)
    const badId = await running.authed('/agents/discovered/abc')
    expect(badId.status).toBe(400)
    expect(await badId.json()).toMatchObject({ ok: false })
  })
})

describe('handler answers and errors', () => {
  it('maps HttpError, named errors and unknown errors to statuses, never leaking internals', async () => {
    const notFound = await running.authed(`/agents/discovered/${'f'.repeat(64)}`)
    expect(notFound.status).toBe(404)
    expect(await notFound.json()).toEqual({ ok: false, error: 'agent not found' })
    const timeout = await running.authed(`/peers/${'a'.repeat(64)}/health`)
    expect(timeout.status).toBe(504)
    expect(await timeout.json()).toEqual({ ok: false, error: 'probe timed out' })
    const internal = await running.authed('/peers')
    expect(internal.status).toBe(500)
    const text = await internal.text()
    expect(JSON.parse(text)).toEqual({ ok: false, error: 'internal error' })
    expect(text).not.toContain('secret')
  })

  it('sends a JsonAnswer status (also from another module copy) and 204 without a body', async () => {
    const answer = await running.authed('/contacts')
    expect(answer.status).toBe(202)
    expect(await answer.json()).toEqual({ ok: true, accepted: true })
    const removed = await running.authed(`/contacts/${'a'.repeat(64)}/machines/${'b'.repeat(64)}`, {
      method: 'DELETE',
    })
    expect(removed.status).toBe(204)
    expect(await removed.text()).toBe('')
  })
})

describe('CORS', () => {
  const origin = async (value: string): Promise<string | null> =>
    (await running.authed('/status', { headers: { origin: value } })).headers.get(
      'access-control-allow-origin',
    )

  it('allows exactly the loopback http origins, with any port', async () => {
    expect(await origin('http://localhost:3000')).toBe('http://localhost:3000')
    expect(await origin('http://127.0.0.1')).toBe('http://127.0.0.1')
    expect(await origin('http://[::1]:8080')).toBe('http://[::1]:8080')
  })

  it('refuses look-alike, null, https and other origins', async () => {
    expect(await origin('http://localhost.evil')).toBeNull()
    expect(await origin('http://localhost.evil:12700')).toBeNull()
    expect(await origin('http://127.0.0.1.nip.io')).toBeNull()
    expect(await origin('null')).toBeNull()
    expect(await origin('https://example.com')).toBeNull()
  })

  it('answers a preflight with 204 without a token', async () => {
    const allowed = await fetch(`${running.base}/publish`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization, content-type')
    const denied = await fetch(`${running.base}/publish`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost.evil', 'access-control-request-method': 'POST' },
    })
    expect(denied.status).toBe(204)
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  })
})
