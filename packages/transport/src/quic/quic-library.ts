// Everything that touches `@matrixai/quic` configuration: the connection config both sides use,
// the crypto callbacks, the logger bridge, the certificate verifier and close-code mapping.
import { createHmac, getRandomValues, randomBytes, timingSafeEqual } from 'node:crypto'
import LibraryLogger, { Handler, LogLevel, type LogRecord } from '@matrixai/logger'
import {
  errors as quicErrors,
  native,
  type QUICClientCrypto,
  type QUICConnection,
  type QUICServerConfigInput,
  type QUICServerCrypto,
  type QUICStream,
  type TLSVerifyCallback,
} from '@matrixai/quic'
import type { Clock, Logger } from '@x0x/base'
import type { TransportLimits } from '../transport-limits.js'
import { STREAM_KINDS, type DisconnectReason } from '../transport.js'
import {
  verifyMachineCertificate,
  type MachineCertificate,
  type VerifiedCertificate,
} from './certificate.js'
import {
  APPLICATION_PROTOCOL,
  CLOSE_CODE_DUPLICATE,
  CLOSE_CODE_NORMAL,
  CONNECTION_WINDOW_BYTES,
  INBOUND_STREAM_LIMIT_FACTOR,
  MAX_CONNECTION_WINDOW_BYTES,
  MAX_INBOUND_PING_STREAMS,
  MAX_INITIAL_STREAM_WINDOW_BYTES,
  MAX_STREAM_WINDOW_BYTES,
  MIN_QUIC_STREAMS_BIDI,
  MIN_STREAM_WINDOW_BYTES,
  READABLE_CHUNK_BYTES,
  UDP_PAYLOAD_BYTES,
} from './constants.js'

/** Forwards the library's WARN and ERROR records to our logger (its default prints INFO to stderr). */
class ForwardingHandler extends Handler {
  readonly #log: Logger

  constructor(log: Logger) {
    super()
    this.#log = log
  }

  override handle(record: LogRecord): void {
    const message = this.format(record)
    if (record.level >= LogLevel.ERROR) this.#log.error('%s', message)
    else this.#log.warn('%s', message)
  }

  emit(output: string): void {
    this.#log.warn('%s', output)
  }
}

/** A library logger at WARN that writes through `log`. */
export function createLibraryLogger(log: Logger): LibraryLogger {
  return new LibraryLogger('quic', LogLevel.WARN, [new ForwardingHandler(log)])
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** HMAC-SHA256 under a per-start key: the server uses it for retry tokens and connection ids. */
export function createServerCrypto(): QUICServerCrypto {
  const key = toArrayBuffer(randomBytes(32))
  const mac = (macKey: ArrayBuffer, data: ArrayBuffer): Buffer =>
    createHmac('sha256', Buffer.from(macKey)).update(Buffer.from(data)).digest()
  return {
    key,
    ops: {
      sign: (macKey, data) => Promise.resolve(toArrayBuffer(mac(macKey, data))),
      verify: (macKey, data, signature) => {
        const expected = mac(macKey, data)
        const given = Buffer.from(signature)
        return Promise.resolve(given.length === expected.length && timingSafeEqual(given, expected))
      },
    },
  }
}

export const clientCrypto: QUICClientCrypto = {
  ops: {
    randomBytes: (data) => {
      getRandomValues(new Uint8Array(data))
      return Promise.resolve()
    },
  },
}

/**
 * A stream's initial flow window (RFC 9000 §4.1): about one receive queue of frames, so that a
 * reader that stops reading holds its sender back after a bounded amount, clamped to a range
 * that keeps throughput on fast paths.
 */
export function initialStreamWindow(limits: TransportLimits): number {
  const queueBytes = limits.streamReceiveQueueFrames * limits.maxFrameBytes
  return Math.min(MAX_INITIAL_STREAM_WINDOW_BYTES, Math.max(MIN_STREAM_WINDOW_BYTES, queueBytes))
}

/** QUIC stream credit: every kind at the receiver's tolerance, plus pings and the handshake. */
export function quicStreamCredit(limits: TransportLimits): number {
  const perKind = limits.maxStreamsPerKind * INBOUND_STREAM_LIMIT_FACTOR
  return Math.max(
    MIN_QUIC_STREAMS_BIDI,
    perKind * STREAM_KINDS.length + MAX_INBOUND_PING_STREAMS + 1,
  )
}

/** The connection configuration of both sides (see /tmp/quic-lab/NOTES.md for each choice). */
export function createQuicConfig(
  limits: TransportLimits,
  certificate: MachineCertificate,
  verifyCallback: TLSVerifyCallback,
): QUICServerConfigInput {
  const streamWindow = initialStreamWindow(limits)
  return {
    key: certificate.keyPem,
    cert: certificate.certPem,
    // The server's default is false: no client certificate would be requested (no mutual TLS).
    verifyPeer: true,
    verifyCallback,
    maxIdleTimeout: limits.idleTimeoutMs,
    keepAliveIntervalTime: limits.keepaliveIntervalMs,
    maxRecvUdpPayloadSize: UDP_PAYLOAD_BYTES,
    maxSendUdpPayloadSize: UDP_PAYLOAD_BYTES,
    initialMaxData: CONNECTION_WINDOW_BYTES,
    initialMaxStreamDataBidiLocal: streamWindow,
    initialMaxStreamDataBidiRemote: streamWindow,
    initialMaxStreamDataUni: MIN_STREAM_WINDOW_BYTES,
    initialMaxStreamsBidi: quicStreamCredit(limits),
    // We open no unidirectional streams, so a peer gets no credit for any.
    initialMaxStreamsUni: 0,
    maxConnectionWindow: MAX_CONNECTION_WINDOW_BYTES,
    maxStreamWindow: MAX_STREAM_WINDOW_BYTES,
    ccAlgorithm: 'cubic',
    enableHystart: true,
    enablePacing: true,
    readableChunkSize: READABLE_CHUNK_BYTES,
    applicationProtos: [APPLICATION_PROTOCOL],
  }
}

/**
 * A TLS verify callback that accepts a peer certificate within its validity window at
 * `clock.now()` and carrying a valid machine binding, and passes what it proves to `accept`,
 * which may refuse it by returning false. A certificate it refuses itself goes to `refused`.
 */
export function createVerifyCallback(
  accept: (verified: VerifiedCertificate) => boolean,
  log: Logger,
  clock: Clock,
  refused: (error: Error) => void = () => undefined,
): TLSVerifyCallback {
  return (certificates) => {
    const leaf = certificates[0]
    if (leaf === undefined) return Promise.resolve(native.CryptoError.CertificateRequired)
    try {
      const verified = verifyMachineCertificate(leaf, clock.now())
      return Promise.resolve(accept(verified) ? undefined : native.CryptoError.BadCertificate)
    } catch (error) {
      log('refused a peer certificate: %s', (error as Error).message)
      refused(error as Error)
      return Promise.resolve(native.CryptoError.BadCertificate)
    }
  }
}

/** Why a library connection error ended a connection, from this side's point of view. */
export function disconnectReasonOf(error: unknown): DisconnectReason {
  if (error instanceof quicErrors.ErrorQUICConnectionIdleTimeout) return 'idle-timeout'
  if (error instanceof quicErrors.ErrorQUICConnectionPeerTLS) return 'error'
  if (error instanceof quicErrors.ErrorQUICConnectionPeer) {
    const code = error.data.errorCode
    return error.data.isApp && (code === CLOSE_CODE_NORMAL || code === CLOSE_CODE_DUPLICATE)
      ? 'closed-remotely'
      : 'error'
  }
  return 'error'
}

/** The application code of the peer's CONNECTION_CLOSE, if `error` reports one. */
export function peerCloseCode(error: unknown): number | undefined {
  if (error instanceof quicErrors.ErrorQUICConnectionPeer && error.data.isApp) {
    return error.data.errorCode
  }
  return undefined
}

/** Resets both directions of a library stream; one that already ended needs nothing more. */
export function cancelStream(stream: QUICStream, reason: unknown): void {
  try {
    stream.cancel(reason)
  } catch {
    // quiche refuses to shut down a direction that has already finished: nothing is left to free.
  }
}

/** The quiche connection under a library connection, which the library keeps `protected`. */
interface NativeConnectionHolder {
  readonly conn: { streamCapacity(streamId: number): number }
}

/**
 * Whether quiche has retired stream `streamId`: it does once the peer acknowledged everything we
 * sent on it, FIN included, and the peer's direction ended (RFC 9000 §3.1, §3.2 terminal states).
 */
export function streamRetired(connection: QUICConnection, streamId: number): boolean {
  try {
    ;(connection as unknown as NativeConnectionHolder).conn.streamCapacity(streamId)
    return false
  } catch (error) {
    // quiche answers InvalidStreamState for a stream it no longer holds.
    return error instanceof Error && error.message.includes('InvalidStreamState')
  }
}
