// Agent certificates: a user key vouches for an agent. Version-1 encoding, fixed size:
//   version (1) ‖ user public key (1952) ‖ agent id (32) ‖ issued at (u64 BE, ms since the Unix
//   epoch) ‖ expires at (u64 BE, ms) ‖ ML-DSA-65 signature (3309) over all preceding bytes,
//   signed with the FIPS 204 context AGENT_CERTIFICATE_CONTEXT.
// Fixed offsets make the encoding canonical: the signed bytes are exactly the bytes on the wire.
import { DecodeError, InvalidArgumentError } from '@x0x/base'
import { readUint64, utf8, writeUint64 } from './bytes.js'
import {
  AGENT_CERTIFICATE_CONTEXT,
  AGENT_CERTIFICATE_VERSION,
  ID_BYTES,
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SIGNATURE_BYTES,
} from './constants.js'
import { defaultPqcBackend } from './create-pqc-backend.js'
import {
  CertificateExpiredError,
  CertificateMismatchError,
  CertificateNotYetValidError,
  CertificateSignatureError,
} from './errors.js'
import {
  agentIdFromBytes,
  idToBytes,
  parseAgentId,
  userIdFromPublicKey,
  type AgentId,
  type UserId,
} from './ids.js'
import type { MlDsa65KeyPair, PqcBackend } from './pqc-backend.js'

/** A user's signed statement that an agent acts for them between two instants. */
export interface AgentCertificate {
  /** The certifying user's ML-DSA-65 public key; its hash is the user id. */
  readonly userPublicKey: Uint8Array
  readonly agentId: AgentId
  /** Start of validity, milliseconds since the Unix epoch (inclusive). */
  readonly issuedAt: number
  /** End of validity, milliseconds since the Unix epoch (exclusive). */
  readonly expiresAt: number
  readonly signature: Uint8Array
}

/** What `issueAgentCertificate` needs. */
export interface IssueAgentCertificateInit {
  readonly user: MlDsa65KeyPair
  readonly agentId: AgentId
  /** Milliseconds since the Unix epoch. */
  readonly issuedAt: number
  /** Milliseconds since the Unix epoch; after `issuedAt`. */
  readonly expiresAt: number
}

/** What a verifier expects of a certificate. */
export interface VerifyAgentCertificateOptions {
  /** The current time, milliseconds since the Unix epoch (from the caller's clock). */
  readonly now: number
  /** When given, the certificate must name this agent. */
  readonly agentId?: AgentId
  /** When given, the certificate must be signed by this user. */
  readonly userId?: UserId
  /** Default: `defaultPqcBackend()`. */
  readonly backend?: PqcBackend
}

/** The facts a valid certificate establishes. */
export interface VerifiedAgentCertificate {
  readonly userId: UserId
  readonly agentId: AgentId
  readonly issuedAt: number
  readonly expiresAt: number
}

const CONTEXT = utf8(AGENT_CERTIFICATE_CONTEXT)
const AGENT_ID_OFFSET = 1 + ML_DSA_65_PUBLIC_KEY_BYTES
const ISSUED_AT_OFFSET = AGENT_ID_OFFSET + ID_BYTES
const EXPIRES_AT_OFFSET = ISSUED_AT_OFFSET + 8
const SIGNED_BYTES = EXPIRES_AT_OFFSET + 8
/** Size of an encoded version-1 agent certificate. */
export const AGENT_CERTIFICATE_BYTES = SIGNED_BYTES + ML_DSA_65_SIGNATURE_BYTES

function signedPart(
  userPublicKey: Uint8Array,
  agentId: AgentId,
  issuedAt: number,
  expiresAt: number,
): Uint8Array {
  const bytes = new Uint8Array(SIGNED_BYTES)
  bytes[0] = AGENT_CERTIFICATE_VERSION
  bytes.set(userPublicKey, 1)
  bytes.set(idToBytes(parseAgentId(agentId)), AGENT_ID_OFFSET)
  writeUint64(bytes, ISSUED_AT_OFFSET, issuedAt)
  writeUint64(bytes, EXPIRES_AT_OFFSET, expiresAt)
  return bytes
}

/**
 * A certificate, signed by `user`, that `agentId` acts for the user from `issuedAt` until
 * `expiresAt`.
 *
 * @throws InvalidArgumentError unless 0 ≤ issuedAt < expiresAt ≤ Number.MAX_SAFE_INTEGER (integers).
 */
export function issueAgentCertificate(init: IssueAgentCertificateInit): AgentCertificate {
  const { user, agentId, issuedAt, expiresAt } = init
  if (!Number.isSafeInteger(issuedAt) || !Number.isSafeInteger(expiresAt) || issuedAt < 0) {
    throw new InvalidArgumentError('certificate times must be non-negative integer milliseconds')
  }
  if (expiresAt <= issuedAt) {
    throw new InvalidArgumentError('certificate must expire after it is issued')
  }
  const signed = signedPart(user.publicKey, agentId, issuedAt, expiresAt)
  const signature = user.sign(signed, CONTEXT)
  return { userPublicKey: user.publicKey, agentId, issuedAt, expiresAt, signature }
}

/** The canonical bytes of a certificate (`AGENT_CERTIFICATE_BYTES` long). */
export function encodeAgentCertificate(certificate: AgentCertificate): Uint8Array {
  const { userPublicKey, agentId, issuedAt, expiresAt, signature } = certificate
  if (userPublicKey.length !== ML_DSA_65_PUBLIC_KEY_BYTES) {
    throw new InvalidArgumentError('certificate user public key must be 1952 bytes')
  }
  if (signature.length !== ML_DSA_65_SIGNATURE_BYTES) {
    throw new InvalidArgumentError('certificate signature must be 3309 bytes')
  }
  const bytes = new Uint8Array(AGENT_CERTIFICATE_BYTES)
  bytes.set(signedPart(userPublicKey, agentId, issuedAt, expiresAt), 0)
  bytes.set(signature, SIGNED_BYTES)
  return bytes
}

/**
 * Parses an encoded certificate. Checks structure only; call `verifyAgentCertificate` before
 * trusting it.
 *
 * @throws DecodeError for any other length, an unknown version or out-of-range times.
 */
export function decodeAgentCertificate(bytes: Uint8Array): AgentCertificate {
  if (bytes.length !== AGENT_CERTIFICATE_BYTES) {
    throw new DecodeError(
      `agent certificate must be ${AGENT_CERTIFICATE_BYTES} bytes, got ${bytes.length}`,
    )
  }
  if (bytes[0] !== AGENT_CERTIFICATE_VERSION) {
    throw new DecodeError(`agent certificate version ${bytes[0] ?? 0} is not supported`)
  }
  const issuedAt = readUint64(bytes, ISSUED_AT_OFFSET)
  const expiresAt = readUint64(bytes, EXPIRES_AT_OFFSET)
  if (issuedAt === undefined || expiresAt === undefined || expiresAt <= issuedAt) {
    throw new DecodeError('agent certificate validity window is out of range')
  }
  return {
    userPublicKey: bytes.slice(1, AGENT_ID_OFFSET),
    agentId: agentIdFromBytes(bytes.subarray(AGENT_ID_OFFSET, ISSUED_AT_OFFSET)),
    issuedAt,
    expiresAt,
    signature: bytes.slice(SIGNED_BYTES),
  }
}

/**
 * Checks, in this order, the signature (under the user key the certificate carries and the
 * agent-certificate context), the expected agent and user, and the validity window at `now`.
 *
 * @throws CertificateSignatureError, CertificateMismatchError, CertificateNotYetValidError,
 *   CertificateExpiredError; InvalidIdError when `agentId` is not a well-formed id.
 */
export function verifyAgentCertificate(
  certificate: AgentCertificate,
  options: VerifyAgentCertificateOptions,
): VerifiedAgentCertificate {
  const { userPublicKey, agentId, issuedAt, expiresAt, signature } = certificate
  const backend = options.backend ?? defaultPqcBackend()
  const valid =
    userPublicKey.length === ML_DSA_65_PUBLIC_KEY_BYTES &&
    Number.isSafeInteger(issuedAt) &&
    Number.isSafeInteger(expiresAt) &&
    issuedAt >= 0 &&
    expiresAt > issuedAt &&
    backend.verifyMlDsa65(
      userPublicKey,
      signedPart(userPublicKey, agentId, issuedAt, expiresAt),
      signature,
      CONTEXT,
    )
  if (!valid) throw new CertificateSignatureError('agent certificate signature is invalid')
  const userId = userIdFromPublicKey(userPublicKey)
  if (options.agentId !== undefined && options.agentId !== agentId) {
    throw new CertificateMismatchError(
      `agent certificate is for agent ${agentId}, expected ${options.agentId}`,
    )
  }
  if (options.userId !== undefined && options.userId !== userId) {
    throw new CertificateMismatchError(
      `agent certificate is signed by user ${userId}, expected ${options.userId}`,
    )
  }
  if (options.now < issuedAt) {
    throw new CertificateNotYetValidError(`agent certificate is valid from ${issuedAt}`)
  }
  if (options.now >= expiresAt) {
    throw new CertificateExpiredError(`agent certificate expired at ${expiresAt}`)
  }
  return { userId, agentId, issuedAt, expiresAt }
}
