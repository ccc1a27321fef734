import { networkInterfaces } from 'node:os'
import type LibraryLogger from '@matrixai/logger'
import { QUICServer, QUICSocket, events as quicEvents, type QUICConnection } from '@matrixai/quic'
import {
  TypedEventTarget,
  raceSignal,
  silentLogger,
  systemClock,
  throwIfAborted,
  timeoutSignal,
  type Clock,
  type ComponentLogger,
  type Logger,
} from '@x0x/base'
import {
  DecryptionFailedError,
  machineIdFromPublicKey,
  type MachineId,
  type MlDsa65KeyPair,
} from '@x0x/pqc'
import { DialError, TransportStoppedError } from '../errors.js'
import {
  resolveTransportLimits,
  type TransportLimits,
  type TransportLimitsInit,
} from '../transport-limits.js'
import type {
  AbortOptions,
  Connection,
  DialTarget,
  PeerAddress,
  StreamHandler,
  StreamKind,
  Transport,
  TransportEvents,
} from '../transport.js'
import { createMachineCertificate, type MachineCertificate } from './certificate.js'
import { CLOSE_CODE_DUPLICATE, CLOSE_CODE_REFUSED } from './constants.js'
import { PreparedHellos } from './prepared-hellos.js'
import { acceptConnection } from './quic-acceptor.js'
import type { ConnectionContext, QuicConnectionImpl } from './quic-connection.js'
import type { DialedConnection } from './quic-dialer.js'
import { QuicDialing } from './quic-dialing.js'
import { localBounds, type QuicEndpoint } from './quic-endpoint.js'
import {
  createLibraryLogger,
  createQuicConfig,
  createServerCrypto,
  createVerifyCallback,
} from './quic-library.js'

/** Options of `createQuicTransport`; the limits are those every transport takes. */
export interface QuicTransportInit extends TransportLimitsInit {
  /**
   * The UDP address to listen and dial on (one port for both). Default host `0.0.0.0` (every
   * IPv4 interface), default port 0 (a free port; read it from `listenAddresses`).
   */
  listen?: { host?: string | undefined; port?: number | undefined } | undefined
}

/** What a QUIC transport is given. */
export interface QuicTransportComponents {
  /** The machine's ML-DSA-65 key: it authenticates every connection (its id is `machineId`). */
  machineKey: MlDsa65KeyPair
  /** Default: `systemClock`. */
  clock?: Clock | undefined
  /** Default: silent. The QUIC library's own log goes here too, at WARN and above. */
  logger?: ComponentLogger | undefined
}

/** Counters of a QUIC transport since it was created. */
export interface QuicTransportStats {
  /**
   * Received frames that failed to open: tampered, replayed, reordered or moved between streams
   * (each one closed its connection).
   */
  readonly framesFailedToOpen: number
  /**
   * Connections this side closed for a protocol error (application close code 4): a frame that
   * failed to open, or one over the frame limit.
   */
  readonly protocolErrors: number
}

/** The QUIC transport: `Transport` over real UDP, plus what NAT traversal will need. */
export interface QuicTransport extends Transport {
  /** Its limits, defaults resolved. */
  readonly limits: TransportLimits
  /** Its counters (a fresh snapshot on every read). */
  readonly stats: QuicTransportStats
  /**
   * Sends one raw UDP datagram from the transport's own port, as hole punching needs. Datagrams
   * that are not QUIC arriving on that port are dropped.
   *
   * @throws TransportStoppedError
   */
  sendRaw(address: PeerAddress, bytes: Uint8Array): Promise<void>
}

type TransportState = 'created' | 'starting' | 'started' | 'stopping' | 'stopped'

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::'])

/** The QUIC transport. Private: users hold it as a `QuicTransport`. */
class QuicTransportImpl extends TypedEventTarget<TransportEvents> implements QuicTransport {
  readonly machineId: MachineId
  readonly limits: TransportLimits
  readonly #machineKey: MlDsa65KeyPair
  readonly #listen: { host: string; port: number }
  readonly #clock: Clock
  readonly #log: Logger
  readonly #libraryLogger: LibraryLogger
  readonly #shutdown = new AbortController()
  readonly #handlers = new Map<StreamKind, StreamHandler>()
  /** Announced connections, one per machine. */
  readonly #connections = new Map<MachineId, QuicConnectionImpl>()
  /** Every connection object not yet released: announced, or still in its handshake. */
  readonly #live = new Set<QuicConnectionImpl>()
  readonly #dialing: QuicDialing
  readonly #hellos: PreparedHellos
  #state: TransportState = 'created'
  #stopped: Promise<void> | undefined
  #endpoint: QuicEndpoint | undefined
  #server: QUICServer | undefined
  #connectionCounter = 0
  #stats = { framesFailedToOpen: 0, protocolErrors: 0 }

  constructor(init: QuicTransportInit, components: QuicTransportComponents) {
    super()
    this.limits = resolveTransportLimits(init)
    this.#machineKey = components.machineKey
    this.machineId = machineIdFromPublicKey(components.machineKey.publicKey)
    this.#listen = { host: init.listen?.host ?? '0.0.0.0', port: init.listen?.port ?? 0 }
    this.#clock = components.clock ?? systemClock
    this.#log = (components.logger ?? silentLogger).forComponent('x0x:transport:quic')
    this.#libraryLogger = createLibraryLogger(this.#log)
    this.#hellos = new PreparedHellos(components.machineKey, localBounds(this.limits))
    this.#dialing = new QuicDialing({
      limits: this.limits,
      clock: this.#clock,
      shutdown: this.#shutdown.signal,
      connectionCount: () => this.#connectionCount(),
      connectionTo: (machineId) => this.#connections.get(machineId),
      admit: (dialed) => this.#admit(dialed),
      endpoint: () => this.#requireEndpoint(),
      track: (connection) => this.#live.add(connection),
    })
  }

  get stats(): QuicTransportStats {
    return { ...this.#stats }
  }

  get listenAddresses(): readonly PeerAddress[] {
    const socket = this.#endpoint?.socket
    if (socket === undefined || this.#state !== 'started') return []
    if (!WILDCARD_HOSTS.has(socket.host)) return [{ host: socket.host, port: socket.port }]
    // `::` is dual-stack (the library binds it with IPV6_V6ONLY off): both families answer.
    const families = socket.host === '::' ? ['IPv4', 'IPv6'] : ['IPv4']
    const interfaces = Object.values(networkInterfaces()).flatMap((infos) => infos ?? [])
    return families.flatMap((family) =>
      interfaces
        // A link-local IPv6 address is useless to a peer without its zone (RFC 4007 §6).
        .filter((info) => info.family === family && (info.scopeid ?? 0) === 0)
        .map((info) => ({ host: info.address, port: socket.port })),
    )
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (this.#state === 'started') return
    if (this.#state !== 'created')
      throw new TransportStoppedError(`the transport is ${this.#state}`)
    throwIfAborted(options.signal)
    this.#state = 'starting'
    const certificate = createMachineCertificate(this.#machineKey, this.#clock.now())
    const socket = new QUICSocket({ logger: this.#libraryLogger.getChild('socket') })
    try {
      await raceSignal(
        socket.start({ host: this.#listen.host, port: this.#listen.port }),
        options.signal,
      )
      this.#endpoint = this.#createEndpoint(certificate, socket)
      await raceSignal(this.#startServer(certificate, socket), options.signal)
      this.#hellos.prepare()
      this.#state = 'started'
    } catch (error) {
      this.#state = 'stopped'
      await this.#server?.stop({ force: true }).catch(() => undefined)
      await socket.stop({ force: true }).catch(() => undefined)
      throw error
    }
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop()
    return this.#stopped
  }

  dial(target: DialTarget, options: AbortOptions = {}): Promise<Connection> {
    if (this.#state !== 'started') {
      return Promise.reject(new TransportStoppedError(`the transport is ${this.#state}`))
    }
    return this.#dialing.dial(target, options)
  }

  getConnection(machineId: MachineId): Connection | undefined {
    return this.#connections.get(machineId)
  }

  getConnections(): readonly Connection[] {
    return [...this.#connections.values()]
  }

  handle(kind: StreamKind, handler: StreamHandler): void {
    this.#handlers.set(kind, handler)
  }

  unhandle(kind: StreamKind): void {
    this.#handlers.delete(kind)
  }

  async sendRaw(address: PeerAddress, bytes: Uint8Array): Promise<void> {
    const socket = this.#endpoint?.socket
    if (socket === undefined || this.#state !== 'started') {
      throw new TransportStoppedError(`the transport is ${this.#state}`)
    }
    await socket.send(bytes, address.port, address.host)
  }

  #createEndpoint(certificate: MachineCertificate, socket: QUICSocket): QuicEndpoint {
    const context: ConnectionContext = {
      limits: this.limits,
      clock: this.#clock,
      log: this.#log,
      handlerFor: (kind) => this.#handlers.get(kind),
      onClosing: (connection) => {
        if (this.#connections.get(connection.remoteMachineId) === connection) {
          this.#connections.delete(connection.remoteMachineId)
        }
      },
      onReleased: (connection) => {
        this.#live.delete(connection)
      },
      onProtocolError: (_connection, error) => {
        this.#stats.protocolErrors++
        if (error instanceof DecryptionFailedError) this.#stats.framesFailedToOpen++
      },
      onDisconnected: (connection, reason, error) => {
        if (!connection.announced) return
        this.safeDispatchEvent(
          'peer:disconnect',
          error === undefined ? { connection, reason } : { connection, reason, error },
        )
      },
    }
    return {
      machineId: this.machineId,
      machineKey: this.#machineKey,
      limits: this.limits,
      certificate,
      socket,
      libraryLogger: this.#libraryLogger,
      log: this.#log,
      context,
      hellos: this.#hellos,
      nextConnectionId: () => `quic-${++this.#connectionCounter}`,
    }
  }

  async #startServer(certificate: MachineCertificate, socket: QUICSocket): Promise<void> {
    const verifyCallback = createVerifyCallback(
      (verified) => verified.machineId !== this.machineId,
      this.#log,
      this.#clock,
    )
    const server = new QUICServer({
      crypto: createServerCrypto(),
      config: createQuicConfig(this.limits, certificate, verifyCallback),
      socket,
      logger: this.#libraryLogger.getChild('server'),
    })
    this.#server = server
    server.addEventListener(quicEvents.EventQUICServerConnection.name, this.#onServerConnection)
    await server.start()
  }

  readonly #onServerConnection = (event: Event): void => {
    void this.#accept((event as CustomEvent<QUICConnection>).detail)
  }

  async #accept(quicConnection: QUICConnection): Promise<void> {
    const endpoint = this.#requireEndpoint()
    using deadline = timeoutSignal(this.limits.dialTimeoutMs, {
      clock: this.#clock,
      signal: this.#shutdown.signal,
    })
    const inbound = this.#dialing.inboundHandshake()
    const dialed = await acceptConnection(
      endpoint,
      quicConnection,
      {
        admit: (machineId) =>
          this.#state === 'started' &&
          machineId !== this.machineId &&
          this.#connectionCount() < this.limits.maxConnections,
        created: (connection) => {
          this.#live.add(connection)
          inbound.begin(connection.remoteMachineId)
        },
        waitForTurn: (machineId, signal) =>
          this.#dialing.waitForTurn(this.machineId, machineId, signal),
      },
      deadline.signal,
    )
    try {
      inbound.end(dialed === undefined ? undefined : this.#admit(dialed))
    } catch (error) {
      inbound.end(undefined)
      this.#log('inbound connection not admitted: %s', (error as Error).message)
    }
  }

  /**
   * Announces an established connection, converging on one per machine: of two connections
   * between the same machines, both ends keep the one dialled by the lower machine id (between
   * two of the same preference, the newer). Returns the connection kept.
   */
  #admit({ connection, session }: DialedConnection): QuicConnectionImpl {
    if (this.#state !== 'started') {
      void connection.terminate(CLOSE_CODE_REFUSED)
      throw new TransportStoppedError('the transport stopped during the handshake')
    }
    if (connection.status === 'closed') {
      throw new DialError('the connection closed during its handshake')
    }
    connection.open(session)
    const peer = connection.remoteMachineId
    const existing = this.#connections.get(peer)
    if (existing !== undefined && this.#prefers(existing) && !this.#prefers(connection)) {
      void connection.terminate(CLOSE_CODE_DUPLICATE)
      return existing
    }
    this.#connections.set(peer, connection)
    if (existing !== undefined) void existing.terminate(CLOSE_CODE_DUPLICATE, 'closed-locally')
    connection.announced = true
    this.safeDispatchEvent('peer:connect', connection)
    this.#dialing.completeDials(connection)
    return connection
  }

  /** Whether the tie-break keeps `connection`: the one dialled by the lower machine id. */
  #prefers(connection: QuicConnectionImpl): boolean {
    return (connection.direction === 'outbound') === this.machineId < connection.remoteMachineId
  }

  #connectionCount(): number {
    return this.#live.size + this.#dialing.connecting
  }

  #requireEndpoint(): QuicEndpoint {
    if (this.#endpoint === undefined)
      throw new TransportStoppedError('the transport is not started')
    return this.#endpoint
  }

  async #stop(): Promise<void> {
    if (this.#state === 'created') {
      this.#state = 'stopped'
      return
    }
    this.#state = 'stopping'
    this.#hellos.stop()
    this.#shutdown.abort(new TransportStoppedError('the transport is stopping'))
    await Promise.all([...this.#live].map((connection) => connection.close()))
    const server = this.#server
    if (server !== undefined) {
      server.removeEventListener(
        quicEvents.EventQUICServerConnection.name,
        this.#onServerConnection,
      )
      await server.stop({ force: true }).catch(() => undefined)
    }
    await this.#endpoint?.socket.stop({ force: true }).catch(() => undefined)
    this.#state = 'stopped'
  }
}

/**
 * A transport over QUIC on one UDP port, with mutual TLS bound to the machine key and a
 * post-quantum session on every connection (docs/protocols/transport.md).
 *
 * @throws InvalidArgumentError when a limit is not a positive integer.
 */
export function createQuicTransport(
  init: QuicTransportInit,
  components: QuicTransportComponents,
): QuicTransport {
  return new QuicTransportImpl(init, components)
}
