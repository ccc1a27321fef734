import { describe, expect, it } from 'vitest'
import { agentIdFromPublicKey } from '@x0x/pqc'
import {
  decodeFrame,
  encodeFrame,
  encodeMessageFrame,
  resolveFrameLimits,
} from '../src/pubsub-frame.js'
import { createPubsubNode, type PubsubOutput } from '../src/pubsub-node.js'
import { signEnvelope } from '../src/signed-envelope.js'
import { agentKey, countingBackend, encoder } from './fixtures.js'

const limits = resolveFrameLimits()
const alice = agentKey('alice')

function pair() {
  const backend = countingBackend()
  const publisher = createPubsubNode({ backend, agentKey: alice })
  const relay = createPubsubNode({ backend })
  publisher.neighbourUp('relay', 0)
  relay.neighbourUp('publisher', 0)
  relay.neighbourUp('other', 0)
  relay.subscribe('news', 0)
  return { backend, publisher, relay }
}

function messageFrames(output: PubsubOutput, to: string) {
  return output.sends.filter(
    (send) => send.to === to && decodeFrame(send.frame, limits).type === 'message',
  )
}

function prunes(output: PubsubOutput) {
  return output.sends.filter((send) => decodeFrame(send.frame, limits).type === 'prune')
}

/** Envelope bytes of alice's first message on 'news', signed afresh (ML-DSA is randomised). */
function signed(text: string) {
  const content = {
    origin: agentIdFromPublicKey(alice.publicKey),
    topic: 'news',
    epoch: 1,
    firstSequence: 1,
    timestamp: 0,
    payloads: [encoder.encode(text)],
  }
  return signEnvelope(content, alice, limits)
}

describe('pub/sub node ingest', () => {
  it('delivers a publish to local subscribers too, and to a neighbour after one verification', () => {
    const { backend, publisher, relay } = pair()
    publisher.subscribe('news', 0)
    const published = publisher.publish('news', [encoder.encode('a'), encoder.encode('b')], 0)
    expect(published.deliveries.map((delivery) => delivery.sequence)).toEqual([1, 2])
    const [send] = messageFrames(published, 'relay')
    const received = relay.receive('publisher', send!.frame, 10)
    expect(
      received.deliveries.map((delivery) => new TextDecoder().decode(delivery.payload)),
    ).toEqual(['a', 'b'])
    expect(backend.verifications).toBe(1) // two messages, one signature, verified once
    expect(messageFrames(received, 'other')).toHaveLength(1)
    expect(relay.stats().stats).toMatchObject({ incoming_total: 1, delivered_to_subscriber: 2 })
  })

  it('drops duplicates before verification, and counts them', () => {
    const { backend, publisher, relay } = pair()
    const [send] = messageFrames(publisher.publish('news', [encoder.encode('x')], 0), 'relay')
    relay.receive('publisher', send!.frame, 1)
    for (let copy = 0; copy < 5; copy++)
      expect(relay.receive('other', send!.frame, 2).deliveries).toEqual([])
    expect(backend.verifications).toBe(1)
    expect(relay.stats().pubsub_stages.duplicates).toBe(5)
  })

  it('attaches the origin key to the first message per neighbour only', () => {
    const { publisher } = pair()
    const first = messageFrames(publisher.publish('news', [encoder.encode('1')], 0), 'relay')[0]!
    const second = messageFrames(publisher.publish('news', [encoder.encode('2')], 1), 'relay')[0]!
    expect(decodeFrame(first.frame, limits)).toMatchObject({ publicKey: alice.publicKey })
    expect(decodeFrame(second.frame, limits)).toMatchObject({ publicKey: undefined })
    expect(second.frame.length).toBe(first.frame.length - 1952)
  })

  it('drops a tampered or forged message unforwarded, and a forged copy cannot suppress the real one', () => {
    const { backend, publisher, relay } = pair()
    const real = messageFrames(publisher.publish('news', [encoder.encode('real')], 0), 'relay')[0]!
      .frame
    const badSignature = real.slice()
    badSignature[badSignature.length - 10]! ^= 1
    const output = relay.receive('publisher', badSignature, 1)
    expect(output).toEqual({ sends: [], deliveries: [] })
    expect(relay.receive('publisher', badSignature, 2)).toEqual({ sends: [], deliveries: [] })
    expect(relay.stats().pubsub_stages).toMatchObject({ signature_failed: 1, rejected_repeat: 1 })
    expect(backend.verifications).toBe(1)
    const tamperedPayload = real.slice()
    tamperedPayload[5 + 1952 + 90]! ^= 1
    expect(relay.receive('publisher', tamperedPayload, 3).deliveries).toEqual([])
    expect(relay.receive('publisher', real, 4).deliveries).toHaveLength(1)
  })

  it('rejects an attached key that is not the origin’s', () => {
    const { publisher, relay } = pair()
    const real = decodeFrame(
      messageFrames(publisher.publish('news', [encoder.encode('x')], 0), 'relay')[0]!.frame,
      limits,
    )
    if (real.type !== 'message') throw new Error('expected a message')
    const wrongKey = encodeMessageFrame(1, real.envelope, agentKey('mallory').publicKey)
    expect(relay.receive('publisher', wrongKey, 1).deliveries).toEqual([])
    expect(relay.stats().pubsub_stages.public_key_mismatch).toBe(1)
  })

  it('parks a message whose key it lacks, requests the key, and verifies once the key arrives', () => {
    const { publisher, relay } = pair()
    const real = decodeFrame(
      messageFrames(publisher.publish('news', [encoder.encode('x')], 0), 'relay')[0]!.frame,
      limits,
    )
    if (real.type !== 'message') throw new Error('expected a message')
    const parked = relay.receive('publisher', encodeMessageFrame(1, real.envelope), 1)
    expect(parked.deliveries).toEqual([])
    expect(parked.sends.map((send) => decodeFrame(send.frame, limits))).toEqual([
      { type: 'key-request', origins: [agentIdFromPublicKey(alice.publicKey)] },
    ])
    const answer = publisher.receive('relay', parked.sends[0]!.frame, 2)
    expect(decodeFrame(answer.sends[0]!.frame, limits)).toEqual({
      type: 'key-response',
      publicKeys: [alice.publicKey],
    })
    const delivered = relay.receive('publisher', answer.sends[0]!.frame, 3)
    expect(delivered.deliveries).toHaveLength(1)
    expect(relay.stats().stats.in_flight_decode).toBe(0)
  })

  it('keeps a parked copy forward-only once its key arrives: its link does not turn eager', () => {
    const { publisher, relay } = pair()
    relay.receive('publisher', encodeFrame({ type: 'prune', topic: 'news' }, limits), 1)
    expect(relay.treeLinks('news')).toEqual({ eager: ['other'], lazy: ['publisher'] })
    const envelope = signed('pushed towards the tree')
    const parked = relay.receive(
      'publisher',
      encodeMessageFrame(3, envelope.bytes, undefined, true),
      2,
    )
    expect(parked.sends.map((send) => decodeFrame(send.frame, limits).type)).toEqual([
      'key-request',
    ])
    const answer = publisher.receive('relay', parked.sends[0]!.frame, 3)
    const released = relay.receive('publisher', answer.sends[0]!.frame, 4)
    expect(released.deliveries).toHaveLength(1)
    expect(prunes(released)).toEqual([])
    expect(messageFrames(released, 'other')).toHaveLength(1)
    expect(relay.treeLinks('news')).toEqual({ eager: ['other'], lazy: ['publisher'] })
    expect(relay.stats().pubsub_stages).toMatchObject({ key_parked: 1, forward_only_entered: 1 })
  })

  it('never PRUNEs the link of a forward-only duplicate, found by signature or by id', () => {
    const { relay } = pair()
    const first = signed('once')
    const resigned = signed('once')
    expect(resigned.id).toBe(first.id)
    relay.receive('publisher', encodeMessageFrame(1, first.bytes, alice.publicKey), 1)
    const copies = [
      encodeMessageFrame(4, first.bytes, undefined, true),
      encodeMessageFrame(4, resigned.bytes, undefined, true),
    ]
    for (const copy of copies) expect(prunes(relay.receive('other', copy, 2))).toEqual([])
    expect(relay.treeLinks('news')).toEqual({ eager: ['publisher', 'other'], lazy: [] })
    const plain = relay.receive('other', encodeMessageFrame(4, first.bytes), 3)
    expect(prunes(plain).map((send) => send.to)).toEqual(['other'])
    expect(relay.stats().pubsub_stages).toMatchObject({ duplicates: 3, verified: 1 })
  })

  it('drops a parked message when no key arrives in time, and ignores unsolicited keys', () => {
    const { publisher, relay } = pair()
    const real = decodeFrame(
      messageFrames(publisher.publish('news', [encoder.encode('x')], 0), 'relay')[0]!.frame,
      limits,
    )
    if (real.type !== 'message') throw new Error('expected a message')
    relay.receive('publisher', encodeMessageFrame(1, real.envelope), 1)
    expect(relay.wakeAt()).toBeLessThanOrEqual(2_001)
    relay.tick(2_001)
    expect(relay.stats().pubsub_stages.key_unavailable).toBe(1)
    const response = encodeFrame({ type: 'key-response', publicKeys: [alice.publicKey] }, limits)
    expect(relay.receive('publisher', response, 2_002).deliveries).toEqual([])
    expect(relay.stats().pubsub_stages.unsolicited_keys).toBe(1)
  })

  it('counts garbage as decode failures and never throws on it', () => {
    const { relay } = pair()
    expect(relay.receive('publisher', Uint8Array.of(1, 1, 0), 0)).toEqual({
      sends: [],
      deliveries: [],
    })
    expect(
      relay.receive('publisher', encodeMessageFrame(1, new Uint8Array(4_000)), 0).deliveries,
    ).toEqual([])
    expect(relay.stats().stats.incoming_decode_failed).toBe(2)
  })
})
