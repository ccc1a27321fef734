// Wire sizes, protocol labels and limits of @x0x/pqc. Every byte count below is part of a format
// other nodes or files depend on: changing one is a protocol version change.

/** ML-DSA-65 public key `pk` (FIPS 204 Table 2): the signing identity on the wire. */
export const ML_DSA_65_PUBLIC_KEY_BYTES = 1952
/** ML-DSA-65 signature `σ` (FIPS 204 Table 2). */
export const ML_DSA_65_SIGNATURE_BYTES = 3309
/** ML-DSA key-generation seed `ξ` (FIPS 204 Algorithm 1): the whole private key we store. */
export const ML_DSA_65_SEED_BYTES = 32
/** FIPS 204 §5.2: the context string `ctx` is at most 255 bytes (its length is one byte). */
export const ML_DSA_65_MAX_CONTEXT_BYTES = 255

/** ML-KEM-768 encapsulation key `ek` (FIPS 203 Table 3). */
export const ML_KEM_768_PUBLIC_KEY_BYTES = 1184
/** ML-KEM-768 ciphertext `c` (FIPS 203 Table 3). */
export const ML_KEM_768_CIPHERTEXT_BYTES = 1088
/** ML-KEM key-generation seed `d ‖ z` (FIPS 203 Algorithm 16): the whole private key we store. */
export const ML_KEM_768_SEED_BYTES = 64
/** ML-KEM shared secret `K` (FIPS 203 §2.3). */
export const ML_KEM_768_SHARED_SECRET_BYTES = 32

/** Prefix hashed before a public key to form every id, as in x0x (ant-quic `PeerId` v2). */
export const PEER_ID_PREFIX = 'AUTONOMI_PEER_ID_V2:'
/** An id is a SHA-256 digest. */
export const ID_BYTES = 32
/** An id's text form: lowercase hex of the digest. */
export const ID_HEX_LENGTH = 64

/** ChaCha20-Poly1305 and AES-256-GCM key (RFC 8439 §2.8, NIST SP 800-38D with AES-256). */
export const AEAD_KEY_BYTES = 32
/** 96-bit nonce, the only size RFC 8439 defines and the recommended one for GCM. */
export const AEAD_NONCE_BYTES = 12
/** Full 128-bit tag: truncated tags weaken forgery resistance. */
export const AEAD_TAG_BYTES = 16

/** Default bound on cached native public-key objects per algorithm (a node meets many peers). */
export const DEFAULT_PUBLIC_KEY_CACHE_SIZE = 1024

/** Key files start with these bytes so that any other file is rejected, never parsed as a key. */
export const KEY_FILE_MAGIC = Uint8Array.of(0x78, 0x30, 0x78, 0x6b) // "x0xk"
/** The key file layout this code writes; readers refuse any other version rather than guess. */
export const KEY_FILE_VERSION = 1
/** Key files are tiny; refusing anything larger keeps a mistaken path from being read whole. */
export const KEY_FILE_MAX_BYTES = 64 * 1024
/** Permission bits of key files: owner read/write only. */
export const KEY_FILE_MODE = 0o600
/** Permission bits of a newly created identity directory: owner only. */
export const IDENTITY_DIRECTORY_MODE = 0o700

/** File names inside the identity directory, one key per file. */
export const IDENTITY_FILE_NAMES = {
  machine: 'machine.key',
  agent: 'agent.key',
  user: 'user.key',
  agentKem: 'agent-kem.key',
} as const

/** ML-DSA context binding a signature to the agent-certificate format (FIPS 204 §5.2 `ctx`). */
export const AGENT_CERTIFICATE_CONTEXT = 'x0x/agent-certificate/v1'
/** The agent-certificate layout this code writes and accepts. */
export const AGENT_CERTIFICATE_VERSION = 1

/** HKDF label separating sealed-envelope keys from every other key derived from a KEM secret. */
export const SEALED_ENVELOPE_LABEL = 'x0x/sealed-envelope/v1'
/** The sealed-envelope layout this code writes and accepts. */
export const SEALED_ENVELOPE_VERSION = 1
/** The purpose's length is one byte in the associated data, so it cannot exceed 255 bytes. */
export const SEALED_ENVELOPE_MAX_PURPOSE_BYTES = 255

/** The role byte of a key file, so that swapping two key files is detected, never trusted. */
export const KEY_FILE_KINDS = { machine: 1, agent: 2, user: 3, agentKem: 4 } as const
