import type { AgentId } from '@x0x/pqc'
import { afterEach, describe, expect, it } from 'vitest'
import type { Agent, AgentMessage, AgentSubscription, DirectMessage } from '../src/index.js'
import { createEphemeralIdentity } from '@x0x/pqc'
import { backend, createAgentTestbed, eventually, type AgentTestbed } from './agent-fixtures.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
let testbed: AgentTestbed

afterEach(async () => {
  await testbed.stop()
})

async function meshOf(size: number): Promise<Agent[]> {
  testbed = createAgentTestbed()
  const agents: Agent[] = []
  for (let index = 0; index < size; index++) agents.push(await testbed.add())
  for (const agent of agents) {
    await eventually(
      () => agents.every((other) => other === agent || agent.discovery.getAgent(other.agentId)),
      `agent ${agent.agentId.slice(0, 8)} discovers every other agent`,
    )
  }
  return agents
}

async function firstMessage(subscription: AgentSubscription): Promise<AgentMessage> {
  for await (const message of subscription) return message
  throw new Error('subscription ended without a message')
}

function collectDirect(agent: Agent): DirectMessage[] {
  const received: DirectMessage[] = []
  agent.addEventListener('direct:message', (event) => received.push(event.detail))
  return received
}

describe('Agent', () => {
  it('discovers other agents from signed announcements, with machine and KEM key', async () => {
    const [alice, bob] = (await meshOf(3)) as [Agent, Agent, Agent]
    const record = alice.discovery.getAgent(bob.agentId)
    expect(record?.machineId).toBe(bob.machineId)
    expect(record?.kemPublicKey).toEqual(bob.identity.agentKem.publicKey)
    expect(record?.addresses.length).toBeGreaterThan(0)
  })

  it('delivers a published message to subscribers on other agents, sender verified', async () => {
    const [alice, bob, carol] = (await meshOf(3)) as [Agent, Agent, Agent]
    const subscriptions = await Promise.all([bob, carol].map((agent) => agent.subscribe('chat')))
    await alice.publish('chat', encoder.encode('hello'))
    for (const subscription of subscriptions) {
      const value = await firstMessage(subscription)
      expect(decoder.decode(value.payload)).toBe('hello')
      expect(value.sender).toBe(alice.agentId)
      expect(value.verified).toBe(true)
      expect(value.trustLevel).toBeNull()
      subscription.close()
    }
  })

  it('drops pub/sub messages from blocked senders and marks trusted ones', async () => {
    const [alice, bob, carol] = (await meshOf(3)) as [Agent, Agent, Agent]
    carol.contacts.setTrust(alice.agentId, 'blocked')
    carol.contacts.setTrust(bob.agentId, 'trusted')
    const subscription = await carol.subscribe('news')
    await alice.publish('news', encoder.encode('from alice'))
    await bob.publish('news', encoder.encode('from bob'))
    const value = await firstMessage(subscription)
    expect(decoder.decode(value.payload)).toBe('from bob')
    expect(value.trustLevel).toBe('trusted')
    subscription.close()
  })

  it('sends a direct message over a direct stream and gets it acknowledged', async () => {
    const [alice, bob] = (await meshOf(2)) as [Agent, Agent]
    bob.contacts.add(alice.agentId, { trustLevel: 'trusted' })
    bob.contacts.addMachine(alice.agentId, alice.machineId, {})
    const received = collectDirect(bob)
    const result = await alice.sendDirect(bob.agentId, encoder.encode('psst'))
    expect(result.path).toBe('raw_quic_acked')
    expect(result.requestId).toMatch(/^[0-9a-f]{32}$/)
    expect(received).toHaveLength(1)
    expect(decoder.decode(received[0]?.payload)).toBe('psst')
    expect(received[0]?.sender).toBe(alice.agentId)
    expect(received[0]?.machineId).toBe(alice.machineId)
    expect(received[0]?.trustDecision).toBe('accept')
  })

  it('keeps direct messages in order', async () => {
    const [alice, bob] = (await meshOf(2)) as [Agent, Agent]
    const received = collectDirect(bob)
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        alice.sendDirect(bob.agentId, encoder.encode(String(index))),
      ),
    )
    expect(received.map((message) => decoder.decode(message.payload))).toEqual(
      Array.from({ length: 20 }, (_, index) => String(index)),
    )
  })

  it('delivers a self-sent direct message on the loopback path', async () => {
    const [alice] = (await meshOf(1)) as [Agent]
    const received = collectDirect(alice)
    const result = await alice.sendDirect(alice.agentId, encoder.encode('note to self'))
    expect(result.path).toBe('loopback')
    expect(received[0]?.sender).toBe(alice.agentId)
  })

  it('refuses to send to a blocked agent and silently drops what a blocked agent sends', async () => {
    const [alice, bob] = (await meshOf(2)) as [Agent, Agent]
    bob.contacts.setTrust(alice.agentId, 'blocked')
    await expect(bob.sendDirect(alice.agentId, encoder.encode('x'))).rejects.toMatchObject({
      name: 'AgentBlockedError',
    })
    const received = collectDirect(bob)
    const result = await alice.sendDirect(bob.agentId, encoder.encode('let me in'))
    expect(result.path).toBe('raw_quic_acked')
    expect(received).toHaveLength(0)
    expect(bob.directStats().incoming_trust_rejected).toBe(1)
  })

  it('flags a known contact writing from an unrecorded machine, rejects a pinned mismatch', async () => {
    const [alice, bob] = (await meshOf(2)) as [Agent, Agent]
    bob.contacts.add(alice.agentId, { trustLevel: 'known' })
    const received = collectDirect(bob)
    await alice.sendDirect(bob.agentId, encoder.encode('1'))
    expect(received[0]?.trustDecision).toBe('accept_with_flag')
    const otherMachine = 'ab'.repeat(32) as Parameters<Agent['evaluateTrust']>[1] & string
    bob.contacts.addMachine(alice.agentId, otherMachine, { pinned: true })
    await alice.sendDirect(bob.agentId, encoder.encode('2'))
    expect(received).toHaveLength(1)
  })

  it('records the announced machine of a contact, so its messages are accepted', async () => {
    testbed = createAgentTestbed()
    const bobIdentity = createEphemeralIdentity({ backend })
    const alice = await testbed.add()
    alice.contacts.add(bobIdentity.agentId, { trustLevel: 'known' })
    const bob = await testbed.add({}, bobIdentity)
    await eventually(
      () => alice.contacts.listMachines(bob.agentId).some((m) => m.machineId === bob.machineId),
      'alice records the machine bob announced',
    )
    expect(alice.contacts.get(bob.agentId)?.lastSeen).not.toBeNull()
    const received = collectDirect(alice)
    await bob.sendDirect(alice.agentId, encoder.encode('hi'))
    expect(received[0]?.trustDecision).toBe('accept')
  })

  it('falls back to a sealed gossip envelope when the recipient cannot be dialled', async () => {
    const [alice, bob, carol] = (await meshOf(3)) as [Agent, Agent, Agent]
    // Bob's record points at an address nobody listens on: the dial fails, gossip carries it.
    const record = alice.discovery.getAgent(bob.agentId)
    if (record === undefined) throw new Error('bob not discovered')
    alice.discovery.upsertAgent({ ...record, addresses: [], announcedAt: record.announcedAt + 1 })
    await alice.transport.getConnection(bob.machineId)?.close()
    const received = collectDirect(bob)
    const overheard = collectDirect(carol)
    const result = await alice.sendDirect(bob.agentId, encoder.encode('sealed'))
    expect(result.path).toBe('gossip_inbox')
    const message = await eventually(() => received[0], 'bob receives the sealed message')
    expect(decoder.decode(message.payload)).toBe('sealed')
    expect(message.sender).toBe(alice.agentId)
    expect(overheard).toHaveLength(0)
  })

  it('finds an agent by id and connects to it', async () => {
    const [alice, bob] = (await meshOf(2)) as [Agent, Agent]
    expect((await alice.find(bob.agentId))?.machineId).toBe(bob.machineId)
    expect((await alice.connectAgent(bob.agentId)).outcome).toBe('AlreadyConnected')
    const stranger = 'cd'.repeat(32) as AgentId
    expect(await alice.find(stranger, { timeoutMs: 200 })).toBeUndefined()
    expect((await alice.connectAgent(stranger, {})).outcome).toBe('NotFound')
  })

  it('rejects a payload over 48 KiB with a typed error', async () => {
    const [alice, bob] = (await meshOf(2)) as [Agent, Agent]
    await expect(alice.sendDirect(bob.agentId, new Uint8Array(49_153))).rejects.toMatchObject({
      name: 'DirectPayloadTooLargeError',
    })
  })
})
