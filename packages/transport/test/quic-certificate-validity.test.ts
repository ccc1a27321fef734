// Peer certificates outside their validity window (RFC 5280 §4.1.2.5) are refused, give or take
// CERTIFICATE_CLOCK_SKEW_MS, whether their binding is cached or not; over QUIC, both ways.
import { X509Certificate, generateKeyPairSync } from 'node:crypto'
import { native } from '@matrixai/quic'
import { silentLogger, systemClock, type Clock } from '@x0x/base'
import { generateMlDsa65KeyPair, machineIdFromPublicKey } from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import {
  createEd25519Certificate,
  createMachineBinding,
  createMachineCertificate,
  verifyMachineCertificate,
} from '../src/quic/certificate.js'
import {
  CERTIFICATE_BACKDATE_MS,
  CERTIFICATE_CLOCK_SKEW_MS,
  MACHINE_BINDING_OID,
} from '../src/quic/constants.js'
import { TAG_UTC_TIME, decodeTime, encodeTime, encodeTlv, readElement } from '../src/quic/der.js'
import { createVerifyCallback } from '../src/quic/quic-library.js'
import { startQuicTransport, targetOf, waitUntil } from './quic-fixtures.js'

const machineKey = generateMlDsa65KeyPair()
const MINUTE = 60_000
const notBefore = Date.UTC(2030, 0, 1)
const notAfter = Date.UTC(2030, 0, 2)

/** A correctly bound certificate valid from `notBefore` to `notAfter`. */
function boundCertificate(validity: { notBefore: number; notAfter: number }): Uint8Array {
  const keyPair = generateKeyPairSync('ed25519')
  const spki = keyPair.publicKey.export({ type: 'spki', format: 'der' })
  const binding = createMachineBinding(machineKey, new Uint8Array(spki.subarray(spki.length - 32)))
  return createEd25519Certificate(
    [{ oid: MACHINE_BINDING_OID, value: binding }],
    validity.notBefore,
    keyPair,
    validity,
  ).certDer
}

const errorName = (action: () => unknown): string | undefined => {
  try {
    action()
    return undefined
  } catch (error) {
    return (error as Error).name
  }
}

/** The system clock, read `skewMs` ahead. */
function skewedClock(skewMs: number): Clock {
  return { ...systemClock, now: () => Date.now() + skewMs }
}

describe('certificate validity', () => {
  it('refuses a certificate before notBefore and after notAfter, beyond the skew tolerance', () => {
    const certificate = boundCertificate({ notBefore, notAfter })
    const verify = (now: number) => () => verifyMachineCertificate(certificate, now)
    const early = notBefore - CERTIFICATE_CLOCK_SKEW_MS - MINUTE
    const late = notAfter + CERTIFICATE_CLOCK_SKEW_MS + MINUTE
    // Not yet verified (nothing cached): refused before its binding is checked.
    expect(errorName(verify(early))).toBe('PeerCertificateNotYetValidError')
    expect(errorName(verify(late))).toBe('PeerCertificateExpiredError')
    // Within the tolerance at both ends.
    const proved = verifyMachineCertificate(
      certificate,
      notBefore - CERTIFICATE_CLOCK_SKEW_MS + MINUTE,
    )
    expect(proved.machineId).toBe(machineIdFromPublicKey(machineKey.publicKey))
    expect(errorName(verify(notAfter + CERTIFICATE_CLOCK_SKEW_MS - MINUTE))).toBeUndefined()
    // Verified and cached now: the window is still checked on every use.
    expect(errorName(verify(early))).toBe('PeerCertificateNotYetValidError')
    expect(errorName(verify(late))).toBe('PeerCertificateExpiredError')
  })

  it('makes our certificates valid from an hour back, with no expiry (RFC 5280 99991231235959Z)', () => {
    const now = Date.now()
    const certificate = createMachineCertificate(machineKey, now)
    const parsed = new X509Certificate(certificate.certPem)
    expect(Date.parse(parsed.validFrom)).toBe(
      Math.floor((now - CERTIFICATE_BACKDATE_MS) / 1000) * 1000,
    )
    expect(parsed.validTo).toBe('Dec 31 23:59:59 9999 GMT')
    const farFuture = Date.UTC(9000, 0, 1)
    expect(verifyMachineCertificate(certificate.certDer, farFuture).certificateKey).toEqual(
      certificate.certificateKey,
    )
  })

  it('reads both RFC 5280 time forms and refuses others', () => {
    for (const instant of [
      Date.UTC(1999, 11, 31, 23, 59, 59),
      Date.UTC(2049, 5, 1),
      Date.UTC(2050, 0, 1),
    ]) {
      expect(decodeTime(readElement(encodeTime(new Date(instant))))).toBe(instant)
    }
    const utc = (text: string) =>
      readElement(encodeTlv(TAG_UTC_TIME, new TextEncoder().encode(text)))
    expect(decodeTime(utc('500101000000Z'))).toBe(Date.UTC(1950, 0, 1))
    expect(() => decodeTime(utc('240231000000Z'))).toThrow(/impossible date/)
    expect(() => decodeTime(utc('2402280000Z'))).toThrow(/UTCTime/)
    expect(() => decodeTime(utc('240228000000+0100'))).toThrow(/UTCTime/)
  })

  it('the TLS verify callback refuses an expired certificate and reports the typed error', async () => {
    const certificate = boundCertificate({ notBefore, notAfter })
    const refusals: Error[] = []
    const clock = { ...systemClock, now: () => notAfter + CERTIFICATE_CLOCK_SKEW_MS + MINUTE }
    const callback = createVerifyCallback(
      () => true,
      silentLogger.forComponent('test'),
      clock,
      (error) => {
        refusals.push(error)
      },
    )
    expect(await callback([certificate], [])).toBe(native.CryptoError.BadCertificate)
    expect(refusals.map((error) => error.name)).toEqual(['PeerCertificateExpiredError'])
  })
})

describe('certificate validity over QUIC', () => {
  it('a dialler refuses a listener whose certificate is not valid yet: DialError, cause typed', async () => {
    const [client, server] = await Promise.all([
      startQuicTransport(),
      // Its certificate starts an hour before its clock: an hour in the dialler's future.
      startQuicTransport({}, undefined, { clock: skewedClock(2 * 60 * MINUTE) }),
    ])
    const connects: string[] = []
    server.addEventListener('peer:connect', () => connects.push('server'))
    const error = await client.dial(targetOf(server)).catch((failure: unknown) => failure as Error)
    expect((error as Error).name).toBe('DialError')
    expect(((error as Error).cause as Error).name).toBe('PeerCertificateNotYetValidError')
    expect(client.getConnections()).toEqual([])
    await waitUntil(() => server.getConnections().length === 0, 'the listener holds nothing')
    expect(connects).toEqual([])
  })

  it('a listener refuses a dialler whose certificate is not valid yet; nobody connects', async () => {
    const [client, server] = await Promise.all([
      startQuicTransport({}, undefined, { clock: skewedClock(2 * 60 * MINUTE) }),
      startQuicTransport(),
    ])
    const connects: string[] = []
    client.addEventListener('peer:connect', () => connects.push('client'))
    server.addEventListener('peer:connect', () => connects.push('server'))
    const error = await client.dial(targetOf(server)).catch((failure: unknown) => failure as Error)
    expect((error as Error).name).toBe('DialError')
    expect(client.getConnections()).toEqual([])
    expect(server.getConnections()).toEqual([])
    expect(connects).toEqual([])
  })

  it('connects across clocks that disagree by less than the backdating', async () => {
    const [client, server] = await Promise.all([
      startQuicTransport({}, undefined, { clock: skewedClock(50 * MINUTE) }),
      startQuicTransport(),
    ])
    const connection = await client.dial(targetOf(server))
    expect(connection.remoteMachineId).toBe(server.machineId)
  })
})
