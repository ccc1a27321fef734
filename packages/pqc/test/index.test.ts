import { describe, expect, it } from 'vitest'
import * as pqc from '../src/index.js'

describe('@x0x/pqc public face', () => {
  it('runs the example from the package doc comment', () => {
    const { createEphemeralIdentity, openEnvelope, sealEnvelope, signingContext, verifyMlDsa65 } =
      pqc
    const alice = createEphemeralIdentity()
    const bob = createEphemeralIdentity()
    const context = signingContext('example/greeting/v1')
    const message = new TextEncoder().encode('hello')
    const signature = alice.agent.sign(message, context)
    expect(verifyMlDsa65(alice.agent.publicKey, message, signature, context)).toBe(true)
    const binding = { senderId: alice.agentId, recipientId: bob.agentId, purpose: 'example/v1' }
    const envelope = sealEnvelope({
      ...binding,
      recipientKemPublicKey: bob.agentKem.publicKey,
      plaintext: message,
    })
    expect(openEnvelope({ ...binding, recipient: bob.agentKem, envelope })).toEqual(message)
  })

  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(pqc).sort()).toEqual(
      [
        'AEAD_KEY_BYTES',
        'AEAD_NONCE_BYTES',
        'AEAD_TAG_BYTES',
        'AGENT_CERTIFICATE_BYTES',
        'AGENT_CERTIFICATE_CONTEXT',
        'BackendUnavailableError',
        'CertificateExpiredError',
        'CertificateMismatchError',
        'CertificateNotYetValidError',
        'CertificateSignatureError',
        'DEFAULT_PUBLIC_KEY_CACHE_SIZE',
        'DecryptionFailedError',
        'IDENTITY_FILE_NAMES',
        'ID_BYTES',
        'ID_HEX_LENGTH',
        'InvalidIdError',
        'InvalidKeyError',
        'KeyFileAccessError',
        'KeyFileCorruptError',
        'KeyFileExistsError',
        'KeyFileNotFoundError',
        'ML_DSA_65_MAX_CONTEXT_BYTES',
        'ML_DSA_65_PUBLIC_KEY_BYTES',
        'ML_DSA_65_SEED_BYTES',
        'ML_DSA_65_SIGNATURE_BYTES',
        'ML_KEM_768_CIPHERTEXT_BYTES',
        'ML_KEM_768_PUBLIC_KEY_BYTES',
        'ML_KEM_768_SEED_BYTES',
        'ML_KEM_768_SHARED_SECRET_BYTES',
        'PEER_ID_PREFIX',
        'SEALED_ENVELOPE_OVERHEAD_BYTES',
        'UnsupportedKeyFileVersionError',
        'agentIdFromBytes',
        'agentIdFromPublicKey',
        'blake3',
        'constantTimeEqual',
        'createEphemeralIdentity',
        'createPqcBackend',
        'decodeAgentCertificate',
        'defaultPqcBackend',
        'encapsulateMlKem768',
        'encodeAgentCertificate',
        'generateMlDsa65KeyPair',
        'generateMlKem768KeyPair',
        'hkdfSha256',
        'idToBytes',
        'isNativePqcAvailable',
        'issueAgentCertificate',
        'loadIdentity',
        'loadOrCreateIdentity',
        'loadUserKeyFile',
        'machineIdFromBytes',
        'machineIdFromPublicKey',
        'mlDsa65KeyPairFromSeed',
        'mlKem768KeyPairFromSeed',
        'openAes256Gcm',
        'openChaCha20Poly1305',
        'openEnvelope',
        'parseAgentId',
        'parseMachineId',
        'parseUserId',
        'saveUserKey',
        'sealAes256Gcm',
        'sealChaCha20Poly1305',
        'sealEnvelope',
        'sha256',
        'signingContext',
        'userIdFromBytes',
        'userIdFromPublicKey',
        'verifyAgentCertificate',
        'verifyMlDsa65',
        'withUserKey',
      ].sort(),
    )
  })

  it('gives every error class a stable name that matches the class', () => {
    const errors = Object.entries(pqc).filter(([name]) => name.endsWith('Error'))
    for (const [name, ErrorClass] of errors) {
      const instance = new (ErrorClass as new (message: string, options: object) => Error)('x', {
        path: '/p',
        version: 2,
      })
      expect(instance.name).toBe(name)
      expect(instance).toBeInstanceOf(Error)
    }
  })

  it('pins the wire sizes of FIPS 203 / 204', () => {
    expect(pqc.ML_DSA_65_PUBLIC_KEY_BYTES).toBe(1952)
    expect(pqc.ML_DSA_65_SIGNATURE_BYTES).toBe(3309)
    expect(pqc.ML_KEM_768_PUBLIC_KEY_BYTES).toBe(1184)
    expect(pqc.ML_KEM_768_CIPHERTEXT_BYTES).toBe(1088)
    expect(pqc.PEER_ID_PREFIX).toBe('AUTONOMI_PEER_ID_V2:')
  })
})
