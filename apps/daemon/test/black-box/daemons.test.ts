// Black-box tests: real `x0xd` processes on loopback, talking QUIC to each other, driven only
// through the HTTP / SSE / WebSocket API as an application would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeDaemons, startMesh, type DaemonProcess } from './daemon-process.js'
import { openEvents } from './event-stream.js'

const b64 = (value: string) => Buffer.from(value).toString('base64')
const text = (payload: unknown) => Buffer.from(String(payload), 'base64').toString()
const jsonPost = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

let mesh: DaemonProcess[] = []
let alice: DaemonProcess
let bob: DaemonProcess
let carol: DaemonProcess
const ids: { agent_id: string; machine_id: string }[] = []

beforeAll(async () => {
  mesh = await startMesh(3)
  ;[alice, bob, carol] = mesh as [DaemonProcess, DaemonProcess, DaemonProcess]
  for (const daemon of mesh) ids.push(await daemon.json('/agent'))
}, 120_000)

afterAll(async () => {
  await removeDaemons(mesh)
})

describe('x0xd black-box, three daemons over QUIC on loopback', () => {
  it('gives each daemon its own identity and connects them', async () => {
    expect(new Set(ids.map((id) => id.agent_id)).size).toBe(3)
    expect(new Set(ids.map((id) => id.machine_id)).size).toBe(3)
    expect(await (await fetch(`${alice.apiBase}/health`)).json()).toMatchObject({
      ok: true,
      status: 'healthy',
    })
    const { peers } = await alice.json<{ peers: { id: string }[] }>('/peers')
    expect(peers.length).toBeGreaterThan(0)
    const openapi = await alice.json<{ openapi: string; paths: Record<string, unknown> }>(
      '/openapi.json',
    )
    expect(openapi.openapi).toMatch(/^3\.1/)
    expect(Object.keys(openapi.paths)).toContain('/direct/send')
    const status = await alice.json<{ status: string; agent_id: string }>('/status')
    expect(status).toMatchObject({ status: 'connected', agent_id: ids[0]?.agent_id })
  })

  it('delivers a publish on one daemon to /events subscribers on the others', async () => {
    const topic = `news-${Date.now()}`
    const readers = await Promise.all(
      [bob, carol].map((daemon) => openEvents(`${daemon.apiBase}/events?token=${daemon.token}`)),
    )
    try {
      for (const daemon of [bob, carol]) {
        expect((await daemon.api('/subscribe', jsonPost({ topic }))).status).toBe(200)
      }
      expect((await alice.api('/publish', jsonPost({ topic, payload: b64('hello') }))).status).toBe(
        200,
      )
      for (const reader of readers) {
        const event = await reader.next((candidate) => candidate.event === 'message')
        expect(event.data).toMatchObject({
          type: 'message',
          data: { topic, sender: ids[0]?.agent_id, verified: true, trust_level: null },
        })
        expect(text((event.data as { data: { payload: string } }).data.payload)).toBe('hello')
      }
    } finally {
      for (const reader of readers) reader.close()
    }
  })

  it('delivers a publish to a WebSocket subscriber with its origin', async () => {
    const topic = `ws-${Date.now()}`
    const socket = new WebSocket(`${carol.apiBase.replace('http', 'ws')}/ws?token=${carol.token}`)
    const messages: Record<string, unknown>[] = []
    const arrived = (type: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no ${type}`))
        }, 20_000)
        const check = () => {
          const found = messages.find((message) => message['type'] === type)
          if (found !== undefined) {
            clearTimeout(timer)
            resolve(found)
          } else setTimeout(check, 10)
        }
        check()
      })
    socket.addEventListener('message', (event) => {
      messages.push(JSON.parse(String(event.data)) as Record<string, unknown>)
    })
    try {
      expect(await arrived('connected')).toMatchObject({ agent_id: ids[2]?.agent_id })
      socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }))
      expect(await arrived('subscribed')).toEqual({ type: 'subscribed', topics: [topic] })
      await alice.api('/publish', jsonPost({ topic, payload: b64('over ws') }))
      const message = await arrived('message')
      expect(message).toMatchObject({ topic, origin: ids[0]?.agent_id })
      expect(text(message['payload'])).toBe('over ws')
      const sessions = await carol.json<{ shared_subscriptions: Record<string, number> }>(
        '/ws/sessions',
      )
      expect(sessions.shared_subscriptions[topic]).toBe(1)
    } finally {
      socket.close()
    }
  })

  it('round-trips a direct message with verified and trust_decision', async () => {
    const reader = await openEvents(`${bob.apiBase}/direct/events?token=${bob.token}`)
    try {
      await bob.api('/contacts', jsonPost({ agent_id: ids[0]?.agent_id, trust_level: 'trusted' }))
      const machine = await bob.api(
        `/contacts/${ids[0]?.agent_id}/machines`,
        jsonPost({ machine_id: ids[0]?.machine_id }),
      )
      expect([200, 201]).toContain(machine.status)
      const response = await alice.api(
        '/direct/send',
        jsonPost({ agent_id: ids[1]?.agent_id, payload: b64('hi bob') }),
      )
      const body = await response.json()
      expect(response.status).toBe(200)
      expect(body).toMatchObject({ ok: true, path: 'raw_quic_acked', retries_used: 0 })
      const event = await reader.next((candidate) => candidate.event === 'direct_message')
      expect(event.data).toMatchObject({
        sender: ids[0]?.agent_id,
        machine_id: ids[0]?.machine_id,
        verified: true,
        trust_decision: 'accept',
      })
      expect(text((event.data as { payload: string }).payload)).toBe('hi bob')
    } finally {
      reader.close()
    }
  })

  it('stops delivery from a blocked agent, on pub/sub and direct', async () => {
    const topic = `blocked-${Date.now()}`
    const events = await openEvents(`${carol.apiBase}/events?token=${carol.token}`)
    const direct = await openEvents(`${carol.apiBase}/direct/events?token=${carol.token}`)
    try {
      await carol.api('/contacts/trust', jsonPost({ agent_id: ids[0]?.agent_id, level: 'blocked' }))
      await carol.api('/subscribe', jsonPost({ topic }))
      await alice.api('/publish', jsonPost({ topic, payload: b64('from alice') }))
      await alice.api('/direct/send', jsonPost({ agent_id: ids[2]?.agent_id, payload: b64('dm') }))
      await bob.api('/publish', jsonPost({ topic, payload: b64('from bob') }))
      const event = await events.next((candidate) => candidate.event === 'message')
      expect(text((event.data as { data: { payload: string } }).data.payload)).toBe('from bob')
      expect(direct.events).toHaveLength(0)
      const refused = await carol.api(
        '/direct/send',
        jsonPost({ agent_id: ids[0]?.agent_id, payload: b64('x') }),
      )
      expect(refused.status).toBe(403)
      expect(await refused.json()).toEqual({ ok: false, error: 'agent is blocked' })
    } finally {
      events.close()
      direct.close()
      await carol.api(`/contacts/${ids[0]?.agent_id}`, { method: 'DELETE' })
    }
  })

  it('exports a card on one daemon and imports it on another', async () => {
    const { card, link } = await alice.json<{ card: { agent_id: string }; link: string }>(
      '/agent/card?display_name=alice',
    )
    expect(card.agent_id).toBe(ids[0]?.agent_id)
    expect(link.startsWith('x0x://agent/')).toBe(true)
    const response = await carol.api(
      '/agent/card/import',
      jsonPost({ card: link, trust_level: 'trusted' }),
    )
    expect(await response.json()).toMatchObject({
      ok: true,
      agent_id: ids[0]?.agent_id,
      display_name: 'alice',
      trust_level: 'Trusted',
    })
    const { contacts } = await carol.json<{ contacts: { agent_id: string; label: string }[] }>(
      '/contacts',
    )
    expect(contacts.find((contact) => contact.agent_id === ids[0]?.agent_id)?.label).toBe('alice')
    const bad = await carol.api('/agent/card/import', jsonPost({ card: 'x0x://agent/!!' }))
    expect(bad.status).toBe(400)
  })

  it('answers auth failures and malformed bodies as x0x does', async () => {
    const anonymous = await fetch(`${alice.apiBase}/status`)
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({
      error: 'missing or invalid Authorization: Bearer token',
    })
    expect((await fetch(`${alice.apiBase}/status?token=${alice.token}`)).status).toBe(401)
    expect((await fetch(`${alice.apiBase}/nope`)).status).toBe(401)
    expect((await alice.api('/nope')).status).toBe(404)
    const noType = await alice.api('/publish', { method: 'POST', body: '{}' })
    expect(noType.status).toBe(415)
    const badJson = await alice.api('/publish', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(badJson.status).toBe(400)
    expect((await alice.api('/publish', jsonPost({ payload: 'aGk=' }))).status).toBe(422)
    const emptyTopic = await alice.api('/publish', jsonPost({ topic: '', payload: 'aGk=' }))
    expect(emptyTopic.status).toBe(400)
    expect(await emptyTopic.json()).toEqual({ ok: false, error: 'topic must not be empty' })
    const unknownField = await alice.api(
      '/contacts',
      jsonPost({ agent_id: ids[1]?.agent_id, x: 1 }),
    )
    expect(unknownField.status).toBe(422)
    const huge = await alice.api('/publish', jsonPost({ topic: 't', payload: 'A'.repeat(2 << 20) }))
    expect(huge.status).toBe(413)
  })
})
