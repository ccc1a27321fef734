/**
 * `@x0x/pqc`: post-quantum identity and crypto for x0x (layer 1).
 *
 * - ML-DSA-65 (FIPS 204) signatures and ML-KEM-768 (FIPS 203) key encapsulation behind one
 *   `PqcBackend` interface with two implementations: `native` (`node:crypto`, Node ≥ 24) and
 *   `noble` (`@noble/post-quantum`). Standard raw encodings, so everything moves between them.
 * - SHA-256, BLAKE3, HKDF-SHA256, ChaCha20-Poly1305 and AES-256-GCM, constant-time comparison.
 * - Agent, machine and user ids: `SHA-256("AUTONOMI_PEER_ID_V2:" ‖ public key)` as 64 hex chars.
 * - The identity directory (atomic, mode-0600 key files), agent certificates, sealed envelopes.
 *
 * @example
 * ```ts
 * import {
 *   createEphemeralIdentity,
 *   openEnvelope,
 *   sealEnvelope,
 *   signingContext,
 *   verifyMlDsa65,
 * } from '@x0x/pqc'
 *
 * const alice = createEphemeralIdentity()
 * const bob = createEphemeralIdentity()
 *
 * const context = signingContext('example/greeting/v1')
 * const message = new TextEncoder().encode('hello')
 * const signature = alice.agent.sign(message, context)
 * verifyMlDsa65(alice.agent.publicKey, message, signature, context) // true
 *
 * const binding = { senderId: alice.agentId, recipientId: bob.agentId, purpose: 'example/v1' }
 * const envelope = sealEnvelope({
 *   ...binding,
 *   recipientKemPublicKey: bob.agentKem.publicKey,
 *   plaintext: message,
 * })
 * openEnvelope({ ...binding, recipient: bob.agentKem, envelope }) // the message bytes
 * ```
 *
 * @packageDocumentation
 */
export type {
  MlDsa65KeyPair,
  MlKem768Encapsulation,
  MlKem768KeyPair,
  PqcBackend,
  PqcBackendInit,
  PqcBackendName,
} from './pqc-backend.js'
export { createPqcBackend, defaultPqcBackend, isNativePqcAvailable } from './create-pqc-backend.js'
export {
  encapsulateMlKem768,
  generateMlDsa65KeyPair,
  generateMlKem768KeyPair,
  mlDsa65KeyPairFromSeed,
  mlKem768KeyPairFromSeed,
  verifyMlDsa65,
} from './post-quantum.js'
export { signingContext } from './key-material.js'

export type { Blake3Options } from './hash.js'
export { blake3, hkdfSha256, sha256 } from './hash.js'
export { openAes256Gcm, openChaCha20Poly1305, sealAes256Gcm, sealChaCha20Poly1305 } from './aead.js'
export { constantTimeEqual } from './constant-time.js'

export type { AgentId, IdentityId, MachineId, UserId } from './ids.js'
export {
  agentIdFromBytes,
  agentIdFromPublicKey,
  idToBytes,
  machineIdFromBytes,
  machineIdFromPublicKey,
  parseAgentId,
  parseMachineId,
  parseUserId,
  userIdFromBytes,
  userIdFromPublicKey,
} from './ids.js'

export type { Identity, IdentityStoreOptions } from './identity-store.js'
export {
  createEphemeralIdentity,
  loadIdentity,
  loadOrCreateIdentity,
  loadUserKeyFile,
  saveUserKey,
  withUserKey,
} from './identity-store.js'

export type {
  AgentCertificate,
  IssueAgentCertificateInit,
  VerifiedAgentCertificate,
  VerifyAgentCertificateOptions,
} from './agent-certificate.js'
export {
  AGENT_CERTIFICATE_BYTES,
  decodeAgentCertificate,
  encodeAgentCertificate,
  issueAgentCertificate,
  verifyAgentCertificate,
} from './agent-certificate.js'

export type { EnvelopeBinding, OpenEnvelopeInit, SealEnvelopeInit } from './sealed-envelope.js'
export { SEALED_ENVELOPE_OVERHEAD_BYTES, openEnvelope, sealEnvelope } from './sealed-envelope.js'

export type { KeyFileErrorOptions } from './errors.js'
export {
  BackendUnavailableError,
  CertificateExpiredError,
  CertificateMismatchError,
  CertificateNotYetValidError,
  CertificateSignatureError,
  DecryptionFailedError,
  InvalidIdError,
  InvalidKeyError,
  KeyFileAccessError,
  KeyFileCorruptError,
  KeyFileExistsError,
  KeyFileNotFoundError,
  UnsupportedKeyFileVersionError,
} from './errors.js'

export {
  AEAD_KEY_BYTES,
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  AGENT_CERTIFICATE_CONTEXT,
  DEFAULT_PUBLIC_KEY_CACHE_SIZE,
  ID_BYTES,
  ID_HEX_LENGTH,
  IDENTITY_FILE_NAMES,
  ML_DSA_65_MAX_CONTEXT_BYTES,
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SEED_BYTES,
  ML_DSA_65_SIGNATURE_BYTES,
  ML_KEM_768_CIPHERTEXT_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
  ML_KEM_768_SEED_BYTES,
  ML_KEM_768_SHARED_SECRET_BYTES,
  PEER_ID_PREFIX,
} from './constants.js'
