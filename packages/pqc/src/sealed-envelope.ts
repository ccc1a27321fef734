// Sealed envelopes: bytes only the holder of an ML-KEM-768 key can read. Version-1 layout:
//   version (1) ‖ ML-KEM-768 ciphertext (1088) ‖ ChaCha20-Poly1305 ciphertext ‖ tag (16)
// Key schedule, after HPKE's single-shot mode (RFC 9180 §5.1): key ‖ nonce = HKDF-SHA256(
//   ikm = KEM shared secret, salt = KEM ciphertext, info = label ‖ binding, 44 bytes), and the
//   AEAD's associated data is binding ‖ KEM ciphertext, where
//   binding = version ‖ sender id (32) ‖ recipient id (32) ‖ purpose length (1) ‖ purpose (UTF-8).
// Every envelope has a fresh KEM secret, hence a fresh key, so the derived nonce is never reused.
// Security invariant: this gives confidentiality and integrity bound to (sender, recipient,
// purpose), not sender authentication: anyone can seal to a public key under any sender id. A
// protocol that needs to know the sender signs the envelope (or its content) with the agent key.
import { DecodeError, InvalidArgumentError, concatBytes } from '@x0x/base'
import { utf8 } from './bytes.js'
import {
  AEAD_KEY_BYTES,
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  ML_KEM_768_CIPHERTEXT_BYTES,
  SEALED_ENVELOPE_LABEL,
  SEALED_ENVELOPE_MAX_PURPOSE_BYTES,
  SEALED_ENVELOPE_VERSION,
} from './constants.js'
import { defaultPqcBackend } from './create-pqc-backend.js'
import { openChaCha20Poly1305, sealChaCha20Poly1305 } from './aead.js'
import { DecryptionFailedError } from './errors.js'
import { hkdfSha256 } from './hash.js'
import { idToBytes, type IdentityId } from './ids.js'
import type { MlKem768KeyPair, PqcBackend } from './pqc-backend.js'

/** The parties and purpose an envelope is bound to; opening needs the same values. */
export interface EnvelopeBinding {
  /** Who claims to send it (not authenticated by the envelope itself: see the module notes). */
  readonly senderId: IdentityId
  /** Whose KEM key it is sealed to. */
  readonly recipientId: IdentityId
  /** What it is for, e.g. `"x0x/direct-message/v1"`: 1–255 UTF-8 bytes. */
  readonly purpose: string
}

/** What `sealEnvelope` needs. */
export interface SealEnvelopeInit extends EnvelopeBinding {
  /** The recipient's 1184-byte ML-KEM-768 public key. */
  readonly recipientKemPublicKey: Uint8Array
  readonly plaintext: Uint8Array
  /** Default: `defaultPqcBackend()`. */
  readonly backend?: PqcBackend
}

/** What `openEnvelope` needs. */
export interface OpenEnvelopeInit extends EnvelopeBinding {
  /** The recipient's ML-KEM-768 key pair. */
  readonly recipient: MlKem768KeyPair
  readonly envelope: Uint8Array
}

const LABEL = utf8(SEALED_ENVELOPE_LABEL)
const HEADER_BYTES = 1 + ML_KEM_768_CIPHERTEXT_BYTES
/** The smallest envelope: an empty plaintext. */
export const SEALED_ENVELOPE_OVERHEAD_BYTES = HEADER_BYTES + AEAD_TAG_BYTES

function bindingBytes(binding: EnvelopeBinding): Uint8Array {
  const purpose = utf8(binding.purpose)
  if (purpose.length === 0 || purpose.length > SEALED_ENVELOPE_MAX_PURPOSE_BYTES) {
    throw new InvalidArgumentError(
      `envelope purpose must be 1–${SEALED_ENVELOPE_MAX_PURPOSE_BYTES} UTF-8 bytes, got ${purpose.length}`,
    )
  }
  return concatBytes(
    Uint8Array.of(SEALED_ENVELOPE_VERSION),
    idToBytes(binding.senderId),
    idToBytes(binding.recipientId),
    Uint8Array.of(purpose.length),
    purpose,
  )
}

function keySchedule(sharedSecret: Uint8Array, kemCiphertext: Uint8Array, binding: Uint8Array) {
  const material = hkdfSha256(
    sharedSecret,
    kemCiphertext,
    concatBytes(LABEL, binding),
    AEAD_KEY_BYTES + AEAD_NONCE_BYTES,
  )
  sharedSecret.fill(0)
  return {
    key: material.subarray(0, AEAD_KEY_BYTES),
    nonce: material.subarray(AEAD_KEY_BYTES),
    associatedData: concatBytes(binding, kemCiphertext),
    wipe: () => material.fill(0),
  }
}

/**
 * Encrypts `plaintext` so that only the holder of the recipient's ML-KEM-768 key can read it,
 * bound to the sender id, recipient id and purpose.
 *
 * @throws InvalidKeyError for a malformed recipient key; InvalidArgumentError for a bad purpose;
 *   InvalidIdError for a malformed id.
 */
export function sealEnvelope(init: SealEnvelopeInit): Uint8Array {
  const binding = bindingBytes(init)
  const backend = init.backend ?? defaultPqcBackend()
  const { ciphertext, sharedSecret } = backend.encapsulateMlKem768(init.recipientKemPublicKey)
  const schedule = keySchedule(sharedSecret, ciphertext, binding)
  try {
    const sealed = sealChaCha20Poly1305(
      schedule.key,
      schedule.nonce,
      init.plaintext,
      schedule.associatedData,
    )
    return concatBytes(Uint8Array.of(SEALED_ENVELOPE_VERSION), ciphertext, sealed)
  } finally {
    schedule.wipe()
  }
}

/**
 * Decrypts an envelope sealed to `recipient` with the same sender id, recipient id and purpose.
 *
 * @throws DecodeError when the bytes are not a version-1 envelope.
 * @throws DecryptionFailedError when it was sealed to another key, bound to other parties or
 *   purpose, or altered in any byte.
 */
export function openEnvelope(init: OpenEnvelopeInit): Uint8Array {
  const { envelope } = init
  if (envelope.length < SEALED_ENVELOPE_OVERHEAD_BYTES) {
    throw new DecodeError(
      `sealed envelope must be at least ${SEALED_ENVELOPE_OVERHEAD_BYTES} bytes, got ${envelope.length}`,
    )
  }
  if (envelope[0] !== SEALED_ENVELOPE_VERSION) {
    throw new DecodeError(`sealed envelope version ${envelope[0] ?? 0} is not supported`)
  }
  const binding = bindingBytes(init)
  const kemCiphertext = envelope.subarray(1, HEADER_BYTES)
  // FIPS 203 implicit rejection: a ciphertext for another key yields an unrelated secret, so a
  // wrong recipient surfaces below as an authentication failure, like any tampering.
  const sharedSecret = init.recipient.decapsulate(kemCiphertext)
  const schedule = keySchedule(sharedSecret, kemCiphertext, binding)
  try {
    return openChaCha20Poly1305(
      schedule.key,
      schedule.nonce,
      envelope.subarray(HEADER_BYTES),
      schedule.associatedData,
    )
  } catch (error) {
    if (error instanceof DecryptionFailedError) {
      throw new DecryptionFailedError(
        'sealed envelope could not be opened: wrong recipient key, wrong sender, recipient or purpose, or altered bytes',
        { cause: error },
      )
    }
    throw error
  } finally {
    schedule.wipe()
  }
}
