import fc from 'fast-check'
import type { MachineId } from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import {
  MembershipDecodeError,
  decodeMembershipMessage,
  encodeMembershipMessage,
  type MembershipMessage,
} from '../src/index.js'
import { machineIdArbitrary, messageArbitrary, peerArbitrary } from './arbitraries.js'

const ID = 'ab'.repeat(32) as MachineId

function expectDecodeError(bytes: Uint8Array, limits = {}): void {
  expect(() => decodeMembershipMessage(bytes, limits)).toThrow(MembershipDecodeError)
}

describe('membership codec', () => {
  it('round-trips every message', () => {
    fc.assert(
      fc.property(messageArbitrary, (message) => {
        expect(decodeMembershipMessage(encodeMembershipMessage(message))).toEqual(message)
      }),
      { seed: 1, numRuns: 500 },
    )
  })

  it('encodes a ping as version, type, sequence and flag (fixed vector)', () => {
    const frame = encodeMembershipMessage({ type: 'ping', sequence: 0x01020304, neighbor: true })
    expect([...frame]).toEqual([1, 8, 1, 2, 3, 4, 1])
  })

  it('throws only MembershipDecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeMembershipMessage(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(MembershipDecodeError)
        }
      }),
      { seed: 2, numRuns: 2_000 },
    )
  })

  it('throws only MembershipDecodeError on truncated and mutated frames', () => {
    fc.assert(
      fc.property(
        messageArbitrary,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (message, at, value) => {
          const frame = encodeMembershipMessage(message)
          const mutated = frame.slice()
          mutated[at % frame.length] = value
          for (const bytes of [frame.subarray(0, at % frame.length), mutated]) {
            try {
              decodeMembershipMessage(bytes)
            } catch (error) {
              expect(error).toBeInstanceOf(MembershipDecodeError)
            }
          }
        },
      ),
      { seed: 3, numRuns: 1_000 },
    )
  })

  it('rejects an unknown version, an unknown type, a non-boolean flag and trailing bytes', () => {
    expectDecodeError(Uint8Array.of(2, 9, 0, 0, 0, 1))
    expectDecodeError(Uint8Array.of(1, 99))
    expectDecodeError(Uint8Array.of(1, 8, 0, 0, 0, 1, 2))
    expectDecodeError(Uint8Array.of(1, 9, 0, 0, 0, 1, 0))
  })

  it('rejects more peers than maxPeersPerMessage', () => {
    const peers = Array.from({ length: 5 }, (_, index) => ({
      id: index.toString(16).padStart(64, '0') as never,
      addresses: [],
    }))
    const frame = encodeMembershipMessage({ type: 'shuffle-reply', peers })
    expect(decodeMembershipMessage(frame, { maxPeersPerMessage: 5 })).toEqual({
      type: 'shuffle-reply',
      peers,
    })
    expectDecodeError(frame, { maxPeersPerMessage: 4 })
  })

  it('rejects a frame longer than maxFrameBytes before parsing', () => {
    const frame = encodeMembershipMessage({ type: 'ack', sequence: 1 })
    expectDecodeError(frame, { maxFrameBytes: frame.length - 1 })
  })

  it('rejects more than four addresses per peer and hosts that are not UTF-8', () => {
    const tooMany = Uint8Array.of(1, 1, 5, ...Array.from({ length: 5 }, () => [1, 97, 0, 1]).flat())
    expectDecodeError(tooMany)
    const badHost = Uint8Array.of(1, 1, 1, 1, 0xff, 0, 1)
    expectDecodeError(badHost)
    const id = Buffer.from(ID, 'hex')
    const forwardJoin = Uint8Array.of(1, 2, ...id, 0, 3)
    expect(decodeMembershipMessage(forwardJoin)).toEqual({
      type: 'forward-join',
      peer: { id: ID, addresses: [] },
      ttl: 3,
    } satisfies MembershipMessage)
  })

  it('writes at most four addresses per peer', () => {
    fc.assert(
      fc.property(machineIdArbitrary, peerArbitrary, (id, peer) => {
        const addresses = [...peer.addresses, ...peer.addresses, { host: 'x', port: 1 }]
        const frame = encodeMembershipMessage({
          type: 'forward-join',
          peer: { id, addresses },
          ttl: 1,
        })
        const decoded = decodeMembershipMessage(frame)
        expect(
          decoded.type === 'forward-join' && decoded.peer.addresses.length,
        ).toBeLessThanOrEqual(4)
      }),
      { seed: 4, numRuns: 200 },
    )
  })
})
