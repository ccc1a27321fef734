import type { TypedEventTarget } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'

/**
 * The kinds of stream a connection carries. Each kind has its own streams and queues, so bulk
 * transfer cannot starve membership probes or control traffic.
 */
export type StreamKind = 'control' | 'membership' | 'pubsub' | 'direct' | 'bulk'

/** Every stream kind, in priority order (most latency-sensitive first). */
export const STREAM_KINDS: readonly StreamKind[] = [
  'control',
  'membership',
  'pubsub',
  'direct',
  'bulk',
]

/** Where a peer may be reached: a hint, never an identity (identities are machine ids). */
export interface PeerAddress {
  /** IPv4 or IPv6 literal, or a host name. */
  readonly host: string
  readonly port: number
}

/** Options of every operation that can be cancelled. */
export interface AbortOptions {
  signal?: AbortSignal | undefined
}

/**
 * One authenticated, encrypted, framed stream. Frames arrive whole and in order, or the stream
 * fails; a frame is never split or merged. Sending waits when the peer's queue is full
 * (back-pressure) rather than buffering without bound.
 */
export interface FrameStream extends AsyncIterable<Uint8Array> {
  /** Unique within its connection. */
  readonly id: string
  readonly kind: StreamKind
  /** The authenticated machine at the other end. */
  readonly remoteMachineId: MachineId
  /**
   * Sends one frame of at most the transport's `maxFrameBytes`. Resolves once the frame is
   * accepted into the bounded send queue; waits (back-pressure) while that queue is full.
   *
   * @throws FrameTooLargeError, StreamClosedError, AbortError
   */
  send(frame: Uint8Array, options?: AbortOptions): Promise<void>
  /**
   * The next frame, or `undefined` once the remote has ended its side.
   *
   * @throws StreamResetError when the stream failed or was aborted, AbortError
   */
  read(options?: AbortOptions): Promise<Uint8Array | undefined>
  /** Ends this side: the remote reads the frames already sent, then `undefined`. */
  closeWrite(options?: AbortOptions): Promise<void>
  /** Ends this side and stops reading; resolves when the stream is fully released. */
  close(options?: AbortOptions): Promise<void>
  /** Tears the stream down at once in both directions; pending reads and sends reject. */
  abort(reason?: Error): void
}

/** Whether this side dialled the connection or accepted it. */
export type ConnectionDirection = 'inbound' | 'outbound'

/** The life of a connection; it only moves forward. */
export type ConnectionStatus = 'open' | 'closing' | 'closed'

/**
 * A live, mutually authenticated connection to one remote machine, with the post-quantum session
 * established both ways. A transport keeps at most one per remote machine id.
 */
export interface Connection {
  /** Unique within this transport. */
  readonly id: string
  readonly remoteMachineId: MachineId
  /** The remote machine's ML-DSA-65 public key (1952 B), authenticated during the handshake. */
  readonly remotePublicKey: Uint8Array | undefined
  /** The remote's address as seen by this side. */
  readonly remoteAddress: PeerAddress
  readonly direction: ConnectionDirection
  /** `clock.now()` when the connection became open. */
  readonly openedAt: number
  readonly status: ConnectionStatus
  /**
   * Opens a stream of `kind`; the remote's handler for that kind receives it.
   *
   * @throws ConnectionClosedError, StreamLimitError, AbortError
   */
  openStream(kind: StreamKind, options?: AbortOptions): Promise<FrameStream>
  /** Round-trip time of a ping on the control stream, in milliseconds. */
  ping(options?: AbortOptions): Promise<number>
  /** Closes gracefully: streams end, then the connection; resolves when every resource is released. */
  close(options?: AbortOptions): Promise<void>
  /** Closes at once; open streams fail with `reason`. */
  abort(reason?: Error): void
}

/** Receives inbound streams of one kind. It must not throw; errors are its own to handle. */
export type StreamHandler = (stream: FrameStream, connection: Connection) => void

/** Whom to dial. */
export interface DialTarget {
  /**
   * The machine expected at the addresses. When set, a peer presenting any other identity is
   * rejected during the handshake. Leave unset only for a seed known by address alone.
   */
  machineId?: MachineId | undefined
  /** Address hints, tried in order. */
  addresses: readonly PeerAddress[]
}

/** Why a connection ended. */
export type DisconnectReason = 'closed-locally' | 'closed-remotely' | 'idle-timeout' | 'error'

/** Events of a transport, named `noun:verb`, mapped to the detail they carry. */
export interface TransportEvents {
  /** A connection became open (authenticated both ways, post-quantum session established). */
  'peer:connect': Connection
  /** A connection that was open has closed and released every resource. */
  'peer:disconnect': { connection: Connection; reason: DisconnectReason; error?: Error }
}

/**
 * The contract between x0x's transports and everything above them. Implementations:
 * `QuicTransport` (real UDP on one port), `MemoryTransport` (in-process, virtual time).
 * `@x0x/transport/compliance` holds the suite every implementation must pass.
 */
export interface Transport extends TypedEventTarget<TransportEvents> {
  /** This node's machine id. */
  readonly machineId: MachineId
  /** The addresses this transport listens on; empty before `start()`. */
  readonly listenAddresses: readonly PeerAddress[]
  /** Binds and starts accepting connections. */
  start(options?: AbortOptions): Promise<void>
  /** Closes every connection gracefully and releases the socket; idempotent. */
  stop(): Promise<void>
  /**
   * Returns the live connection to `target.machineId` if there is one; otherwise dials the
   * addresses in order. Concurrent dials to the same machine share one attempt, and a dial that
   * races an inbound connection from the same machine converges on a single connection.
   *
   * @throws PeerIdentityMismatchError, DialError, ConnectionLimitError, TransportStoppedError, AbortError
   */
  dial(target: DialTarget, options?: AbortOptions): Promise<Connection>
  /** The open connection to `machineId`, if any. */
  getConnection(machineId: MachineId): Connection | undefined
  /** Every open connection. */
  getConnections(): readonly Connection[]
  /** Routes inbound streams of `kind` to `handler`, replacing any previous handler. */
  handle(kind: StreamKind, handler: StreamHandler): void
  /** Stops routing streams of `kind`; inbound streams of that kind are then reset. */
  unhandle(kind: StreamKind): void
}
