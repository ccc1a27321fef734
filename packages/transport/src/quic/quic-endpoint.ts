import type LibraryLogger from '@matrixai/logger'
import type { QUICSocket } from '@matrixai/quic'
import { X0xError, errorFromSignal, type Logger } from '@x0x/base'
import type { MachineId, MlDsa65KeyPair } from '@x0x/pqc'
import { ConnectionLimitError, HandshakeError } from '../errors.js'
import type { TransportLimits } from '../transport-limits.js'
import type { MachineCertificate } from './certificate.js'
import {
  CLOSE_CODE_DUPLICATE,
  CLOSE_CODE_HANDSHAKE_FAILED,
  CLOSE_CODE_REFUSED,
} from './constants.js'
import type { PreparedHellos } from './prepared-hellos.js'
import type { ConnectionContext, QuicConnectionImpl } from './quic-connection.js'
import type { PeerBounds, TranscriptIdentities } from './session-handshake.js'

/** What the dialling and accepting paths share with the transport. */
export interface QuicEndpoint {
  readonly machineId: MachineId
  readonly machineKey: MlDsa65KeyPair
  readonly limits: TransportLimits
  readonly certificate: MachineCertificate
  readonly socket: QUICSocket
  readonly libraryLogger: LibraryLogger
  readonly log: Logger
  readonly context: ConnectionContext
  /** Signed HELLOs (each with its ephemeral KEM key) for our dials, one made ahead. */
  readonly hellos: PreparedHellos
  nextConnectionId(): string
}

/**
 * Internal: the peer closed our connection because it keeps another one between us (the
 * simultaneous-dial tie-break); the dial converges on that one.
 */
export class DuplicateConnectionError extends X0xError {
  override readonly name = 'DuplicateConnectionError'
}

/** The bounds we announce in the handshake. */
export function localBounds(limits: TransportLimits): PeerBounds {
  return { maxFrameBytes: limits.maxFrameBytes, maxStreamsPerKind: limits.maxStreamsPerKind }
}

/** The transcript identities, seen from `connection`'s side. */
export function transcriptIdentities(
  endpoint: QuicEndpoint,
  connection: QuicConnectionImpl,
  remoteCertificateKey: Uint8Array,
): TranscriptIdentities {
  const local = {
    certificateKey: endpoint.certificate.certificateKey,
    machineKey: endpoint.machineKey.publicKey,
  }
  const remote = { certificateKey: remoteCertificateKey, machineKey: connection.remotePublicKey }
  const [client, server] = connection.direction === 'outbound' ? [local, remote] : [remote, local]
  return {
    clientCertificateKey: client.certificateKey,
    serverCertificateKey: server.certificateKey,
    clientMachineKey: client.machineKey,
    serverMachineKey: server.machineKey,
  }
}

/**
 * Closes a connection whose session handshake failed and returns the error to report: the
 * peer's refusal (its close code) when it sent one, else a `HandshakeError`.
 */
export async function failHandshake(
  connection: QuicConnectionImpl,
  error: unknown,
  signal: AbortSignal,
): Promise<Error> {
  await connection.terminate(CLOSE_CODE_HANDSHAKE_FAILED, 'error', error as Error)
  const code = connection.peerCloseCode
  if (signal.aborted) return errorFromSignal(signal)
  if (code === CLOSE_CODE_REFUSED) {
    return new ConnectionLimitError('the peer refused the connection', { cause: error })
  }
  if (code === CLOSE_CODE_DUPLICATE) {
    return new DuplicateConnectionError('the peer keeps another connection', { cause: error })
  }
  if (error instanceof HandshakeError) return error
  return new HandshakeError('the post-quantum handshake failed', { cause: error })
}
