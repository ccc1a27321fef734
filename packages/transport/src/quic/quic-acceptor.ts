import type { QUICConnection } from '@matrixai/quic'
import type { MachineId } from '@x0x/pqc'
import { HandshakeError } from '../errors.js'
import { verifyMachineCertificate, type VerifiedCertificate } from './certificate.js'
import { CLOSE_CODE_DUPLICATE, CLOSE_CODE_REFUSED } from './constants.js'
import { runServerSession } from './pq-session.js'
import { QuicConnectionImpl } from './quic-connection.js'
import type { DialedConnection } from './quic-dialer.js'
import {
  failHandshake,
  localBounds,
  transcriptIdentities,
  type QuicEndpoint,
} from './quic-endpoint.js'

/** Hooks of one inbound connection into the transport. */
export interface AcceptHooks {
  /** Whether a connection from `machineId` may set up now (caps, stopping, not ourselves). */
  admit(machineId: MachineId): boolean
  /** The connection object exists: it counts against the caps until released. */
  created(connection: QuicConnectionImpl): void
  /**
   * Resolves once the handshake may run; false when a crossing dial of ours to the same machine
   * won the tie-break, so this connection is closed as a duplicate.
   */
  waitForTurn(machineId: MachineId, signal: AbortSignal): Promise<boolean>
}

function peerCertificate(
  quicConnection: QUICConnection,
  now: number,
): VerifiedCertificate | undefined {
  try {
    const leaf = quicConnection.getRemoteCertsChain()[0]
    if (leaf === undefined) throw new HandshakeError('the peer presented no certificate')
    return verifyMachineCertificate(leaf, now)
  } catch {
    return undefined
  }
}

/**
 * Sets up a connection the server accepted (TLS already verified the client's certificate): the
 * post-quantum session as the server, on the first stream the client opens. Resolves with the
 * established connection, or undefined when it was refused, superseded or failed (everything it
 * made is then released).
 */
export async function acceptConnection(
  endpoint: QuicEndpoint,
  quicConnection: QUICConnection,
  hooks: AcceptHooks,
  signal: AbortSignal,
): Promise<DialedConnection | undefined> {
  const remote = peerCertificate(quicConnection, endpoint.context.clock.now())
  if (remote === undefined || !hooks.admit(remote.machineId)) {
    await quicConnection
      .stop({ isApp: true, errorCode: CLOSE_CODE_REFUSED, force: true })
      .catch(() => undefined)
    return undefined
  }
  const connection = new QuicConnectionImpl(
    {
      id: endpoint.nextConnectionId(),
      quicConnection,
      direction: 'inbound',
      remoteMachineId: remote.machineId,
      remotePublicKey: remote.machinePublicKey,
      stop: (code) => quicConnection.stop({ isApp: true, errorCode: code, force: true }),
    },
    endpoint.context,
  )
  hooks.created(connection)
  try {
    if (!(await hooks.waitForTurn(remote.machineId, signal))) {
      await connection.terminate(CLOSE_CODE_DUPLICATE)
      return undefined
    }
    const session = await runServerSession(await connection.waitForFirstStream(signal), {
      machineKey: endpoint.machineKey,
      identities: transcriptIdentities(endpoint, connection, remote.certificateKey),
      bounds: localBounds(endpoint.limits),
      signal,
    })
    return { connection, session }
  } catch (error) {
    const failure = await failHandshake(connection, error, signal)
    endpoint.log('inbound handshake from %s failed: %s', remote.machineId, failure.message)
    return undefined
  }
}
