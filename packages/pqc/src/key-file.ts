// The key file format (version 1), one key per file:
//   magic "x0xk" (4) ‖ version (1) ‖ kind (1) ‖ seed (32 ML-DSA-65 | 64 ML-KEM-768) ‖ public key
// The public key is stored so that a loader can prove the seed is intact: it must re-derive to it.
import {
  KEY_FILE_KINDS,
  KEY_FILE_MAGIC,
  KEY_FILE_VERSION,
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SEED_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
  ML_KEM_768_SEED_BYTES,
} from './constants.js'
import { KeyFileCorruptError, UnsupportedKeyFileVersionError } from './errors.js'

/** Which key a file holds: the identity directory has one file per role. */
export type KeyFileRole = keyof typeof KEY_FILE_KINDS

/** The decoded content of a key file. */
export interface KeyFileContents {
  readonly seed: Uint8Array
  readonly publicKey: Uint8Array
}

const HEADER_BYTES = KEY_FILE_MAGIC.length + 2

const ROLE_DESCRIPTIONS: Readonly<Record<KeyFileRole, string>> = {
  machine: 'machine key (ML-DSA-65)',
  agent: 'agent key (ML-DSA-65)',
  user: 'user key (ML-DSA-65)',
  agentKem: 'agent KEM key (ML-KEM-768)',
}

function layout(role: KeyFileRole): { seedBytes: number; publicKeyBytes: number } {
  return role === 'agentKem'
    ? { seedBytes: ML_KEM_768_SEED_BYTES, publicKeyBytes: ML_KEM_768_PUBLIC_KEY_BYTES }
    : { seedBytes: ML_DSA_65_SEED_BYTES, publicKeyBytes: ML_DSA_65_PUBLIC_KEY_BYTES }
}

/** The exact size of a version-1 key file for `role`. */
export function keyFileSize(role: KeyFileRole): number {
  const { seedBytes, publicKeyBytes } = layout(role)
  return HEADER_BYTES + seedBytes + publicKeyBytes
}

/** Human-readable name of a key file role, for error messages. */
export function describeKeyFileRole(role: KeyFileRole): string {
  return ROLE_DESCRIPTIONS[role]
}

/** The bytes of a version-1 key file. The caller has checked the seed and key lengths. */
export function encodeKeyFile(role: KeyFileRole, contents: KeyFileContents): Uint8Array {
  const { seedBytes } = layout(role)
  const bytes = new Uint8Array(keyFileSize(role))
  bytes.set(KEY_FILE_MAGIC, 0)
  bytes[KEY_FILE_MAGIC.length] = KEY_FILE_VERSION
  bytes[KEY_FILE_MAGIC.length + 1] = KEY_FILE_KINDS[role]
  bytes.set(contents.seed, HEADER_BYTES)
  bytes.set(contents.publicKey, HEADER_BYTES + seedBytes)
  return bytes
}

/**
 * The seed and public key in a key file, checked structurally (magic, version, role, size).
 * Does not check that the public key re-derives from the seed: that needs a backend.
 *
 * @throws KeyFileCorruptError, UnsupportedKeyFileVersionError
 */
export function decodeKeyFile(bytes: Uint8Array, role: KeyFileRole, path: string): KeyFileContents {
  const what = `${describeKeyFileRole(role)} file ${path}`
  if (bytes.length < HEADER_BYTES) {
    throw new KeyFileCorruptError(`${what} is truncated (${bytes.length} bytes)`, { path })
  }
  for (const [index, byte] of KEY_FILE_MAGIC.entries()) {
    if (bytes[index] !== byte) {
      throw new KeyFileCorruptError(`${what} is not an x0x key file (bad magic)`, { path })
    }
  }
  const version = bytes[KEY_FILE_MAGIC.length] ?? 0
  if (version !== KEY_FILE_VERSION) {
    throw new UnsupportedKeyFileVersionError(
      `${what} has format version ${version}; this x0x reads version ${KEY_FILE_VERSION}`,
      { path, version },
    )
  }
  const kind = bytes[KEY_FILE_MAGIC.length + 1]
  if (kind !== KEY_FILE_KINDS[role]) {
    const actual = Object.entries(KEY_FILE_KINDS).find(([, code]) => code === kind)?.[0]
    const holds = actual === undefined ? `unknown kind ${kind}` : `a ${actual} key`
    throw new KeyFileCorruptError(`${what} holds ${holds}`, { path })
  }
  const expectedSize = keyFileSize(role)
  if (bytes.length !== expectedSize) {
    throw new KeyFileCorruptError(`${what} is ${bytes.length} bytes, expected ${expectedSize}`, {
      path,
    })
  }
  const { seedBytes } = layout(role)
  return {
    seed: bytes.slice(HEADER_BYTES, HEADER_BYTES + seedBytes),
    publicKey: bytes.slice(HEADER_BYTES + seedBytes),
  }
}
