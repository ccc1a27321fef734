import { QUICClient } from '@matrixai/quic'
import { errorFromSignal } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { DialError, HandshakeError, PeerIdentityMismatchError } from '../errors.js'
import type { PeerAddress } from '../transport.js'
import { verifyMachineCertificate, type VerifiedCertificate } from './certificate.js'
import { runClientSession, type Session } from './pq-session.js'
import { QuicConnectionImpl } from './quic-connection.js'
import {
  failHandshake,
  localBounds,
  transcriptIdentities,
  type QuicEndpoint,
} from './quic-endpoint.js'
import { clientCrypto, createQuicConfig, createVerifyCallback } from './quic-library.js'

/** A connection whose session is established, not yet announced by the transport. */
export interface DialedConnection {
  readonly connection: QuicConnectionImpl
  readonly session: Session
}

/** Hooks of one dial into the transport. */
export interface DialHooks {
  /** The peer's certificate named `machineId`; the dial is now known by that machine. */
  learned(machineId: MachineId): void
  /** The connection object exists: it counts against the caps until released. */
  created(connection: QuicConnectionImpl): void
}

function mismatch(expected: MachineId, presented: VerifiedCertificate): PeerIdentityMismatchError {
  return new PeerIdentityMismatchError(
    `expected machine ${expected}, the peer is ${presented.machineId}`,
  )
}

/** QUIC and TLS to one address; the verify callback refuses any machine but `expected`. */
async function connectQuic(
  endpoint: QuicEndpoint,
  address: PeerAddress,
  expected: MachineId | undefined,
  signal: AbortSignal,
): Promise<{ client: QUICClient; remote: VerifiedCertificate }> {
  let presented: VerifiedCertificate | undefined
  let refusal: Error | undefined
  const { clock } = endpoint.context
  const verifyCallback = createVerifyCallback(
    (verified) => {
      presented = verified
      const wanted = expected === undefined || verified.machineId === expected
      return wanted && verified.machineId !== endpoint.machineId
    },
    endpoint.log,
    clock,
    (error) => {
      refusal = error
    },
  )
  let client: QUICClient
  try {
    client = await QUICClient.createQUICClient(
      {
        host: address.host,
        port: address.port,
        socket: endpoint.socket,
        crypto: clientCrypto,
        config: createQuicConfig(endpoint.limits, endpoint.certificate, verifyCallback),
        logger: endpoint.libraryLogger.getChild('client'),
      },
      { timer: endpoint.limits.dialTimeoutMs, signal },
    )
  } catch (error) {
    if (signal.aborted) throw errorFromSignal(signal)
    if (expected !== undefined && presented !== undefined && presented.machineId !== expected) {
      throw mismatch(expected, presented)
    }
    // Our verify callback refused the certificate: say why (stale dates, a bad binding).
    if (refusal !== undefined) throw refusal
    throw new DialError(`QUIC to ${address.host}:${address.port} failed`, { cause: error })
  }
  try {
    const leaf = client.connection.getRemoteCertsChain()[0]
    if (leaf === undefined) throw new HandshakeError('the peer presented no certificate')
    const remote = verifyMachineCertificate(leaf, clock.now())
    if (expected !== undefined && remote.machineId !== expected) throw mismatch(expected, remote)
    return { client, remote }
  } catch (error) {
    await client.destroy({ isApp: true, force: true }).catch(() => undefined)
    throw error
  }
}

/**
 * Dials one address: QUIC with mutual TLS, then the post-quantum session as the client. The
 * result is established but not yet announced; on failure everything it made is released.
 *
 * @throws PeerIdentityMismatchError, ConnectionLimitError (refused), DialError, HandshakeError,
 *   DuplicateConnectionError (the peer kept a crossing connection), or the signal's error
 */
export async function dialAddress(
  endpoint: QuicEndpoint,
  address: PeerAddress,
  expected: MachineId | undefined,
  hooks: DialHooks,
  signal: AbortSignal,
): Promise<DialedConnection> {
  const { client, remote } = await connectQuic(endpoint, address, expected, signal)
  hooks.learned(remote.machineId)
  const connection = new QuicConnectionImpl(
    {
      id: endpoint.nextConnectionId(),
      quicConnection: client.connection,
      direction: 'outbound',
      remoteMachineId: remote.machineId,
      remotePublicKey: remote.machinePublicKey,
      stop: (code) => client.destroy({ isApp: true, errorCode: code, force: true }),
    },
    endpoint.context,
  )
  hooks.created(connection)
  try {
    if (signal.aborted) throw errorFromSignal(signal)
    const session = await runClientSession(
      client.connection.newStream('bidi'),
      {
        machineKey: endpoint.machineKey,
        identities: transcriptIdentities(endpoint, connection, remote.certificateKey),
        bounds: localBounds(endpoint.limits),
        signal,
      },
      endpoint.hellos.take(),
    )
    return { connection, session }
  } catch (error) {
    throw await failHandshake(connection, error, signal)
  } finally {
    // The next dial's HELLO, made now that this handshake no longer needs the CPU.
    endpoint.hellos.prepare()
  }
}
