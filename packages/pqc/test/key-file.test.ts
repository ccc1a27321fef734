import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeKeyFile, encodeKeyFile, keyFileSize, type KeyFileRole } from '../src/key-file.js'
import { native, sequence } from './fixtures.js'

const signing = native.mlDsa65KeyPairFromSeed(sequence(32))
const kem = native.mlKem768KeyPairFromSeed(sequence(64))
const agentFile = encodeKeyFile('agent', { seed: sequence(32), publicKey: signing.publicKey })
const kemFile = encodeKeyFile('agentKem', { seed: sequence(64), publicKey: kem.publicKey })
const roles: KeyFileRole[] = ['machine', 'agent', 'user', 'agentKem']

describe('key file codec', () => {
  it('lays out magic, version, role, seed and public key', () => {
    expect(agentFile).toHaveLength(4 + 1 + 1 + 32 + 1952)
    expect(kemFile).toHaveLength(4 + 1 + 1 + 64 + 1184)
    expect(Buffer.from(agentFile.subarray(0, 6)).toString('hex')).toBe('7830786b0102')
    expect(kemFile[5]).toBe(4)
    expect(keyFileSize('machine')).toBe(1990)
  })

  it('round-trips seed and public key', () => {
    const decoded = decodeKeyFile(kemFile, 'agentKem', '/x/agent-kem.key')
    expect(decoded.seed).toEqual(sequence(64))
    expect(decoded.publicKey).toEqual(kem.publicKey)
  })

  it('detects a file of another role', () => {
    expect(() => decodeKeyFile(agentFile, 'machine', '/x/machine.key')).toThrow(
      /machine key \(ML-DSA-65\) file \/x\/machine.key holds a agent key/,
    )
  })

  it.each([
    ['truncated header', agentFile.subarray(0, 3), 'KeyFileCorruptError', /truncated/],
    [
      'truncated body',
      agentFile.subarray(0, 1000),
      'KeyFileCorruptError',
      /1000 bytes, expected 1990/,
    ],
    ['an extra byte', Uint8Array.of(...agentFile, 0), 'KeyFileCorruptError', /1991 bytes/],
    [
      'bad magic',
      Uint8Array.of(0x79, ...agentFile.subarray(1)),
      'KeyFileCorruptError',
      /bad magic/,
    ],
    [
      'a future version',
      Uint8Array.of(...agentFile.subarray(0, 4), 2, ...agentFile.subarray(5)),
      'UnsupportedKeyFileVersionError',
      /version 2/,
    ],
    [
      'an unknown role',
      Uint8Array.of(...agentFile.subarray(0, 5), 9, ...agentFile.subarray(6)),
      'KeyFileCorruptError',
      /unknown kind 9/,
    ],
  ])('rejects %s', (_label, bytes, name, message) => {
    expect(() => decodeKeyFile(bytes, 'agent', '/x/agent.key')).toThrow(message)
    expect(() => decodeKeyFile(bytes, 'agent', '/x/agent.key')).toThrow(
      expect.objectContaining({ name, path: '/x/agent.key' }),
    )
  })

  it('throws only key-file errors on random bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2100 }),
          fc
            .uint8Array({ maxLength: 40 })
            .map((tail) => Uint8Array.of(0x78, 0x30, 0x78, 0x6b, ...tail)),
        ),
        fc.constantFrom(...roles),
        (bytes, role) => {
          try {
            decodeKeyFile(bytes, role, 'random.key')
          } catch (error) {
            expect(['KeyFileCorruptError', 'UnsupportedKeyFileVersionError']).toContain(
              (error as Error).name,
            )
          }
        },
      ),
      { seed: 5, numRuns: 300 },
    )
  })
})
