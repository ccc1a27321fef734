// fast-check arbitraries of pub/sub frames, for property tests here and in the layers above.
import fc from 'fast-check'
import type { AgentId } from '@x0x/pqc'
import type { DigestEntry, PubsubFrame } from '../pubsub-frame.js'
import type { MessageId } from '../signed-envelope.js'

const hex = (bytes: number) =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .map((value) => Buffer.from(value).toString('hex'))

/** A message id (64 hex characters). */
export const messageIdArbitrary: fc.Arbitrary<MessageId> = hex(32).map(
  (value) => value as MessageId,
)

/** An agent id (64 hex characters). */
export const agentIdArbitrary: fc.Arbitrary<AgentId> = hex(32).map((value) => value as AgentId)

/** A topic of 1–40 UTF-8 characters (within the default 255-byte limit). */
export const topicArbitrary: fc.Arbitrary<string> = fc
  .string({ minLength: 1, maxLength: 40, unit: 'binary' })
  .filter(
    (value) =>
      value.length > 0 &&
      Buffer.byteLength(value) <= 255 &&
      Buffer.from(value).toString() === value,
  )

const sequence = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })

const digestEntryArbitrary: fc.Arbitrary<DigestEntry> = fc
  .record({ origin: agentIdArbitrary, epoch: sequence, contiguous: sequence, extra: fc.nat(1_000) })
  .map(({ origin, epoch, contiguous, extra }) => ({
    origin,
    epoch,
    contiguous,
    highest: Math.min(Number.MAX_SAFE_INTEGER, contiguous + extra),
  }))

/** Any control frame (every type but MESSAGE) within the default limits. */
export const controlFrameArbitrary: fc.Arbitrary<PubsubFrame> = fc.oneof(
  fc.record({
    type: fc.constant('ihave' as const),
    topic: topicArbitrary,
    announcements: fc.array(fc.record({ id: messageIdArbitrary, hops: fc.nat(0xffff) }), {
      maxLength: 20,
    }),
  }),
  fc.record({
    type: fc.constant('graft' as const),
    topic: topicArbitrary,
    ids: fc.array(messageIdArbitrary, { maxLength: 20 }),
  }),
  fc.record({ type: fc.constant('prune' as const), topic: topicArbitrary }),
  fc.record({
    type: fc.constant('digest-summary' as const),
    topic: topicArbitrary,
    streams: fc.nat(),
    summary: hex(16),
  }),
  fc.record({
    type: fc.constant('digest' as const),
    topic: topicArbitrary,
    wantsReply: fc.boolean(),
    entries: fc.array(digestEntryArbitrary, { maxLength: 10 }),
  }),
  fc.record({
    type: fc.constant('key-request' as const),
    origins: fc.array(agentIdArbitrary, { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('interest' as const),
    requestId: fc.nat(0xffff_ffff),
    subscribe: fc.array(topicArbitrary, { maxLength: 5 }),
    unsubscribe: fc.array(topicArbitrary, { maxLength: 5 }),
  }),
  fc.record({ type: fc.constant('interest-ack' as const), requestId: fc.nat(0xffff_ffff) }),
)
