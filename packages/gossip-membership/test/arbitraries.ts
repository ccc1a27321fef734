import fc from 'fast-check'
import type { MachineId } from '@x0x/pqc'
import type { MembershipMessage, PeerDescriptor } from '../src/index.js'

export const machineIdArbitrary: fc.Arbitrary<MachineId> = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('hex') as MachineId)

const addressArbitrary = fc.record({
  host: fc.string({ minLength: 1, maxLength: 40 }),
  port: fc.integer({ min: 0, max: 65_535 }),
})

export const peerArbitrary: fc.Arbitrary<PeerDescriptor> = fc.record({
  id: machineIdArbitrary,
  addresses: fc.array(addressArbitrary, { maxLength: 4 }),
})

const sequence = fc.integer({ min: 0, max: 0xffff_ffff })
const ttl = fc.integer({ min: 0, max: 255 })
const peers = fc.array(peerArbitrary, { maxLength: 10 })

export const messageArbitrary: fc.Arbitrary<MembershipMessage> = fc.oneof(
  fc.record({
    type: fc.constant('join' as const),
    addresses: fc.array(addressArbitrary, { maxLength: 4 }),
  }),
  fc.record({ type: fc.constant('forward-join' as const), peer: peerArbitrary, ttl }),
  fc.record({
    type: fc.constant('neighbor' as const),
    priority: fc.constantFrom('high' as const, 'low' as const),
    addresses: fc.array(addressArbitrary, { maxLength: 4 }),
  }),
  fc.record({ type: fc.constant('neighbor-reply' as const), accepted: fc.boolean() }),
  fc.record({ type: fc.constant('disconnect' as const), leaving: fc.boolean() }),
  fc.record({ type: fc.constant('shuffle' as const), origin: peerArbitrary, ttl, peers }),
  fc.record({ type: fc.constant('shuffle-reply' as const), peers }),
  fc.record({ type: fc.constant('ping' as const), sequence, neighbor: fc.boolean() }),
  fc.record({ type: fc.constant('ack' as const), sequence }),
  fc.record({ type: fc.constant('ping-request' as const), target: peerArbitrary, sequence }),
  fc.record({
    type: fc.constant('ping-request-ack' as const),
    target: machineIdArbitrary,
    sequence,
  }),
)
