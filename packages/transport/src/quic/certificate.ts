// Per-start Ed25519 TLS certificates bound to the machine's ML-DSA-65 key (transport.md §1).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { concatBytes } from '@x0x/base'
import {
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SIGNATURE_BYTES,
  machineIdFromPublicKey,
  signingContext,
  verifyMlDsa65,
  type MachineId,
  type MlDsa65KeyPair,
} from '@x0x/pqc'
import {
  HandshakeError,
  PeerCertificateExpiredError,
  PeerCertificateNotYetValidError,
} from '../errors.js'
import {
  CERT_BINDING_CONTEXT,
  CERTIFICATE_BACKDATE_MS,
  CERTIFICATE_CLOCK_SKEW_MS,
  CERTIFICATE_NOT_AFTER,
  MACHINE_BINDING_OID,
  MACHINE_BINDING_VERSION,
} from './constants.js'
import {
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_CONTEXT_0,
  TAG_CONTEXT_3,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_UTF8_STRING,
  decodeTime,
  encodeOid,
  encodeSequence,
  encodeTime,
  encodeTlv,
  expectTag,
  readChildren,
  readElement,
} from './der.js'

/** Raw Ed25519 public keys are 32 bytes (RFC 8032 §5.1.5). */
const ED25519_PUBLIC_KEY_BYTES = 32
/** RFC 8410 §3: id-Ed25519. */
const ED25519_ALGORITHM = encodeSequence(encodeOid('1.3.101.112'))
const COMMON_NAME_OID = encodeOid('2.5.4.3')
const BINDING_OID = encodeOid(MACHINE_BINDING_OID)
const BINDING_BYTES = 1 + ML_DSA_65_PUBLIC_KEY_BYTES + ML_DSA_65_SIGNATURE_BYTES
const BINDING_CONTEXT = signingContext(CERT_BINDING_CONTEXT)
/**
 * Certificates whose binding verified, by SHA-256 of their DER: each side checks the peer's
 * certificate in the TLS verify callback and again when it sets the connection up, and a node
 * re-dials the same peers, so the ML-DSA-65 verification runs once per certificate. Only
 * successes are kept (a forged certificate costs a verification every time); oldest evicted.
 */
const VERIFIED_CACHE_ENTRIES = 256
const verifiedCache = new Map<string, CheckedCertificate>()

/** A certificate and its private key, in the PEM form the QUIC library takes. */
export interface MachineCertificate {
  readonly keyPem: string
  readonly certPem: string
  readonly certDer: Uint8Array
  /** The raw 32-byte Ed25519 key of the certificate (it enters the handshake transcript). */
  readonly certificateKey: Uint8Array
}

/** What a valid peer certificate proves. */
export interface VerifiedCertificate {
  readonly machineId: MachineId
  readonly machinePublicKey: Uint8Array
  readonly certificateKey: Uint8Array
}

/** A certificate's validity window (RFC 5280 §4.1.2.5), in milliseconds since the epoch. */
export interface CertificateValidity {
  readonly notBefore: number
  readonly notAfter: number
}

/** A certificate whose binding verified, with the window its dates allow. */
interface CheckedCertificate extends CertificateValidity {
  readonly verified: VerifiedCertificate
}

/** An extension to place in a certificate. */
export interface CertificateExtension {
  readonly oid: string
  readonly critical?: boolean
  readonly value: Uint8Array
}

function rawPublicKey(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  return new Uint8Array(spki.subarray(spki.length - ED25519_PUBLIC_KEY_BYTES))
}

function distinguishedName(commonName: string): Uint8Array {
  const value = encodeTlv(TAG_UTF8_STRING, new TextEncoder().encode(commonName))
  return encodeSequence(encodeTlv(TAG_SET, encodeSequence(COMMON_NAME_OID, value)))
}

function encodeExtension(extension: CertificateExtension): Uint8Array {
  const critical = extension.critical === true ? [encodeTlv(TAG_BOOLEAN, Uint8Array.of(0xff))] : []
  return encodeSequence(
    encodeOid(extension.oid),
    ...critical,
    encodeTlv(TAG_OCTET_STRING, extension.value),
  )
}

function toPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64')
  const lines = base64.match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

/**
 * A self-signed X.509 v3 certificate (RFC 5280) for a fresh Ed25519 key (or `keyPair`), carrying
 * `extensions`. Valid from `CERTIFICATE_BACKDATE_MS` before `now` with no expiry, unless
 * `validity` says otherwise (tests craft certificates outside their window with it).
 */
export function createEd25519Certificate(
  extensions: readonly CertificateExtension[],
  now: number,
  keyPair: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ed25519'),
  validity: CertificateValidity = {
    notBefore: now - CERTIFICATE_BACKDATE_MS,
    notAfter: CERTIFICATE_NOT_AFTER,
  },
): MachineCertificate {
  const serial = randomBytes(16)
  // A positive INTEGER without a leading zero byte (X.690 §8.3.2).
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01
  const name = distinguishedName('x0x')
  const tbs = encodeSequence(
    encodeTlv(TAG_CONTEXT_0, encodeTlv(TAG_INTEGER, Uint8Array.of(2))),
    encodeTlv(TAG_INTEGER, serial),
    ED25519_ALGORITHM,
    name,
    encodeSequence(
      encodeTime(new Date(validity.notBefore)),
      encodeTime(new Date(validity.notAfter)),
    ),
    name,
    new Uint8Array(keyPair.publicKey.export({ type: 'spki', format: 'der' })),
    ...(extensions.length > 0
      ? [encodeTlv(TAG_CONTEXT_3, encodeSequence(...extensions.map(encodeExtension)))]
      : []),
  )
  const signature = sign(null, tbs, keyPair.privateKey)
  const certDer = encodeSequence(
    tbs,
    ED25519_ALGORITHM,
    encodeTlv(TAG_BIT_STRING, Uint8Array.of(0), signature),
  )
  return {
    keyPem: keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: toPem(certDer),
    certDer,
    certificateKey: rawPublicKey(keyPair.publicKey),
  }
}

/** The binding extension's value: version ‖ machine public key ‖ signature over `certificateKey`. */
export function createMachineBinding(
  machineKey: MlDsa65KeyPair,
  certificateKey: Uint8Array,
): Uint8Array {
  const signature = machineKey.sign(certificateKey, BINDING_CONTEXT)
  return concatBytes(Uint8Array.of(MACHINE_BINDING_VERSION), machineKey.publicKey, signature)
}

/** A fresh Ed25519 certificate whose key `machineKey` vouches for (made at every start). */
export function createMachineCertificate(
  machineKey: MlDsa65KeyPair,
  now: number,
): MachineCertificate {
  const keyPair = generateKeyPairSync('ed25519')
  const binding = createMachineBinding(machineKey, rawPublicKey(keyPair.publicKey))
  return createEd25519Certificate([{ oid: MACHINE_BINDING_OID, value: binding }], now, keyPair)
}

interface CertificateFields extends CertificateValidity {
  readonly certificateKey: Uint8Array
  readonly binding: Uint8Array | undefined
}

function readFields(certDer: Uint8Array): CertificateFields {
  const certificate = expectTag(readElement(certDer), TAG_SEQUENCE, 'a certificate')
  const [tbsElement] = readChildren(certificate.contents)
  const tbs = readChildren(expectTag(tbsElement, TAG_SEQUENCE, 'tbsCertificate').contents)
  // version [0], serial, signature, issuer, validity, subject, subjectPublicKeyInfo, …
  const offset = tbs[0]?.tag === TAG_CONTEXT_0 ? 1 : 0
  const validity = readChildren(expectTag(tbs[offset + 3], TAG_SEQUENCE, 'validity').contents)
  const notBefore = decodeTime(validity[0])
  const notAfter = decodeTime(validity[1])
  const spki = readChildren(
    expectTag(tbs[offset + 5], TAG_SEQUENCE, 'subjectPublicKeyInfo').contents,
  )
  const algorithm = expectTag(spki[0], TAG_SEQUENCE, 'an algorithm')
  if (Buffer.compare(algorithm.encoded, ED25519_ALGORITHM) !== 0) {
    throw new HandshakeError('the peer certificate key is not Ed25519')
  }
  const bits = expectTag(spki[1], TAG_BIT_STRING, 'a public key').contents
  if (bits.length !== 1 + ED25519_PUBLIC_KEY_BYTES || bits[0] !== 0) {
    throw new HandshakeError('malformed certificate: Ed25519 key of the wrong size')
  }
  const extensionsElement = tbs.slice(offset + 6).find((element) => element.tag === TAG_CONTEXT_3)
  let binding: Uint8Array | undefined
  if (extensionsElement !== undefined) {
    const list = expectTag(readChildren(extensionsElement.contents)[0], TAG_SEQUENCE, 'extensions')
    for (const extension of readChildren(list.contents)) {
      const parts = readChildren(expectTag(extension, TAG_SEQUENCE, 'an extension').contents)
      if (Buffer.compare(expectTag(parts[0], TAG_OID, 'an OID').encoded, BINDING_OID) !== 0)
        continue
      if (binding !== undefined) throw new HandshakeError('two machine bindings in one certificate')
      binding = expectTag(parts.at(-1), TAG_OCTET_STRING, 'an extension value').contents
    }
  }
  return { certificateKey: bits.subarray(1), binding, notBefore, notAfter }
}

/**
 * Checks that the leaf certificate of a peer is within its validity window at `now` (give or
 * take `CERTIFICATE_CLOCK_SKEW_MS`) and carries a machine binding for its own key, and returns
 * the machine it proves. TLS 1.3's CertificateVerify (RFC 8446 §4.4.3) already proved that the
 * peer holds the certificate's Ed25519 key; the binding ties that key to the machine.
 *
 * @throws HandshakeError when the certificate is malformed, unbound, or bound by a bad signature;
 *   PeerCertificateNotYetValidError or PeerCertificateExpiredError outside its window.
 */
export function verifyMachineCertificate(certDer: Uint8Array, now: number): VerifiedCertificate {
  const digest = createHash('sha256').update(certDer).digest('base64')
  const cached = verifiedCache.get(digest)
  if (cached !== undefined) {
    // Checked on every use: a certificate may expire while its entry lives.
    checkValidity(cached, now)
    return cached.verified
  }
  const checked = verifyUncached(certDer, now)
  if (verifiedCache.size >= VERIFIED_CACHE_ENTRIES) {
    verifiedCache.delete(verifiedCache.keys().next().value as string)
  }
  verifiedCache.set(digest, checked)
  return checked.verified
}

function checkValidity(validity: CertificateValidity, now: number): void {
  if (now + CERTIFICATE_CLOCK_SKEW_MS < validity.notBefore) {
    throw new PeerCertificateNotYetValidError(
      `the peer certificate is valid from ${new Date(validity.notBefore).toISOString()}`,
    )
  }
  if (now - CERTIFICATE_CLOCK_SKEW_MS > validity.notAfter) {
    throw new PeerCertificateExpiredError(
      `the peer certificate expired at ${new Date(validity.notAfter).toISOString()}`,
    )
  }
}

function verifyUncached(certDer: Uint8Array, now: number): CheckedCertificate {
  const { certificateKey, binding, notBefore, notAfter } = readFields(certDer)
  // Before the ML-DSA-65 verification: a stale certificate costs no signature check.
  checkValidity({ notBefore, notAfter }, now)
  if (binding === undefined) throw new HandshakeError('the peer certificate has no machine binding')
  if (binding.length !== BINDING_BYTES || binding[0] !== MACHINE_BINDING_VERSION) {
    throw new HandshakeError('the peer machine binding has the wrong version or size')
  }
  const machinePublicKey = binding.slice(1, 1 + ML_DSA_65_PUBLIC_KEY_BYTES)
  const signature = binding.subarray(1 + ML_DSA_65_PUBLIC_KEY_BYTES)
  if (!verifyMlDsa65(machinePublicKey, certificateKey, signature, BINDING_CONTEXT)) {
    throw new HandshakeError('the peer machine binding signature does not verify')
  }
  const verified = {
    machineId: machineIdFromPublicKey(machinePublicKey),
    machinePublicKey,
    certificateKey: certificateKey.slice(),
  }
  return { verified, notBefore, notAfter }
}
