// Authenticated encryption with `node:crypto`: ChaCha20-Poly1305 (RFC 8439) and AES-256-GCM
// (NIST SP 800-38D). Output is `ciphertext ‖ 16-byte tag`. Security invariant: a (key, nonce)
// pair must never encrypt two different messages; callers derive a fresh key or nonce per message.
import { createCipheriv, createDecipheriv } from 'node:crypto'
import { InvalidArgumentError } from '@x0x/base'
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, AEAD_TAG_BYTES } from './constants.js'
import { ownedBytes } from './bytes.js'
import { DecryptionFailedError } from './errors.js'

type AeadCipher = 'chacha20-poly1305' | 'aes-256-gcm'

const EMPTY = new Uint8Array(0)
const TAG_OPTIONS = { authTagLength: AEAD_TAG_BYTES }

function createCipher(cipherName: AeadCipher, key: Uint8Array, nonce: Uint8Array) {
  return cipherName === 'aes-256-gcm'
    ? createCipheriv(cipherName, key, nonce, TAG_OPTIONS)
    : createCipheriv(cipherName, key, nonce, TAG_OPTIONS)
}

function createDecipher(cipherName: AeadCipher, key: Uint8Array, nonce: Uint8Array) {
  return cipherName === 'aes-256-gcm'
    ? createDecipheriv(cipherName, key, nonce, TAG_OPTIONS)
    : createDecipheriv(cipherName, key, nonce, TAG_OPTIONS)
}

function assertKeyAndNonce(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== AEAD_KEY_BYTES) {
    throw new InvalidArgumentError(`AEAD key must be ${AEAD_KEY_BYTES} bytes, got ${key.length}`)
  }
  if (nonce.length !== AEAD_NONCE_BYTES) {
    throw new InvalidArgumentError(
      `AEAD nonce must be ${AEAD_NONCE_BYTES} bytes, got ${nonce.length}`,
    )
  }
}

function seal(
  cipherName: AeadCipher,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  assertKeyAndNonce(key, nonce)
  const cipher = createCipher(cipherName, key, nonce)
  cipher.setAAD(associatedData, { plaintextLength: plaintext.length })
  const output = new Uint8Array(plaintext.length + AEAD_TAG_BYTES)
  output.set(cipher.update(plaintext), 0)
  cipher.final()
  output.set(cipher.getAuthTag(), plaintext.length)
  return output
}

function open(
  cipherName: AeadCipher,
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  assertKeyAndNonce(key, nonce)
  if (sealed.length < AEAD_TAG_BYTES) {
    throw new DecryptionFailedError(`${cipherName}: input shorter than its tag`)
  }
  const ciphertextLength = sealed.length - AEAD_TAG_BYTES
  const decipher = createDecipher(cipherName, key, nonce)
  decipher.setAuthTag(sealed.subarray(ciphertextLength))
  decipher.setAAD(associatedData, { plaintextLength: ciphertextLength })
  const plaintext = decipher.update(sealed.subarray(0, ciphertextLength))
  try {
    decipher.final()
  } catch (error) {
    // Security invariant: unauthenticated plaintext is wiped, never returned.
    plaintext.fill(0)
    throw new DecryptionFailedError(`${cipherName}: authentication failed`, { cause: error })
  }
  return ownedBytes(plaintext)
}

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8): encrypts `plaintext` and authenticates it with
 * `associatedData`. Returns `ciphertext ‖ tag`.
 *
 * @throws InvalidArgumentError when the key is not 32 bytes or the nonce not 12.
 */
export function sealChaCha20Poly1305(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  return seal('chacha20-poly1305', key, nonce, plaintext, associatedData)
}

/**
 * Reverses `sealChaCha20Poly1305`.
 *
 * @throws DecryptionFailedError when anything (ciphertext, tag, nonce, key, associated data) differs.
 */
export function openChaCha20Poly1305(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  return open('chacha20-poly1305', key, nonce, sealed, associatedData)
}

/**
 * AES-256-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag. Returns `ciphertext ‖ tag`.
 *
 * @throws InvalidArgumentError when the key is not 32 bytes or the nonce not 12.
 */
export function sealAes256Gcm(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  return seal('aes-256-gcm', key, nonce, plaintext, associatedData)
}

/**
 * Reverses `sealAes256Gcm`.
 *
 * @throws DecryptionFailedError when anything (ciphertext, tag, nonce, key, associated data) differs.
 */
export function openAes256Gcm(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array = EMPTY,
): Uint8Array {
  return open('aes-256-gcm', key, nonce, sealed, associatedData)
}
