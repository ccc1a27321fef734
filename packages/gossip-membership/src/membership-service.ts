import {
  TypedEventTarget,
  silentLogger,
  systemClock,
  type Clock,
  type ComponentLogger,
  type Logger,
  type Seed,
  type TimerHandle,
} from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import type { Connection, FrameStream, Transport, TransportEvents } from '@x0x/transport'
import { decodeMembershipMessage, encodeMembershipMessage } from './codec.js'
import { DEFAULT_MAX_QUEUED_FRAMES_PER_PEER } from './constants.js'
import { MembershipStoppedError } from './errors.js'
import type { MembershipInit } from './options.js'
import type { MembershipMessage } from './messages.js'
import type { PeerDescriptor } from './peer.js'
import { PeerLinks } from './peer-links.js'
import {
  createMembershipState,
  type MembershipAction,
  type MembershipInput,
  type MembershipState,
  type NeighborDownReason,
} from './state.js'
import { nextWakeup, stepMembership } from './transition.js'

/** Options of `createMembership`: the protocol parameters plus the service's own. */
export interface MembershipServiceInit extends MembershipInit {
  /** Seeds the protocol's random choices. Default: derived from the machine id. */
  seed?: Seed
  /** Frames queued per peer before new ones are dropped. Default: 64. */
  maxQueuedFramesPerPeer?: number
  /** Peers with outbound membership streams at once. Default: 4 × maxActiveViewSize + 64. */
  maxLinks?: number
}

/** What the service needs injected. */
export interface MembershipComponents {
  transport: Transport
  /** Default: `systemClock`. */
  clock?: Clock
  /** Default: `silentLogger`. */
  logger?: ComponentLogger
}

/** Detail of `neighbor:down`. */
export interface NeighborDownDetail {
  readonly peer: PeerDescriptor
  readonly reason: NeighborDownReason
}

/** Events of the membership service; pub/sub follows the active view through them. */
export interface MembershipEvents {
  'neighbor:up': PeerDescriptor
  'neighbor:down': NeighborDownDetail
}

/** The membership of one node over a `Transport`. */
export interface Membership extends TypedEventTarget<MembershipEvents> {
  readonly machineId: MachineId
  /** Handles membership streams and arms the protocol timers. @throws MembershipStoppedError */
  start(): void
  /** Joins the overlay through `contacts`; re-tried from them while this node has no neighbour. */
  join(contacts: readonly PeerDescriptor[]): void
  /** The active view: the peers this node gossips with. */
  getNeighbors(): PeerDescriptor[]
  /** The passive view: known peers kept for repair. */
  getPassivePeers(): PeerDescriptor[]
  /** The protocol state, read-only (for metrics and tests). */
  readonly state: Readonly<MembershipState>
  /** Sends DISCONNECT to every neighbour, stops timers and stream handling; idempotent. */
  stop(): Promise<void>
}

class MembershipService extends TypedEventTarget<MembershipEvents> implements Membership {
  readonly machineId: MachineId
  readonly state: MembershipState
  readonly #transport: Transport
  readonly #clock: Clock
  readonly #log: Logger
  readonly #shutdown = new AbortController()
  readonly #links: PeerLinks
  #timer: TimerHandle | undefined
  #timerAt: number | undefined
  #status: 'created' | 'running' | 'stopped' = 'created'

  constructor(init: MembershipServiceInit, components: MembershipComponents) {
    super()
    this.#transport = components.transport
    this.#clock = components.clock ?? systemClock
    this.#log = (components.logger ?? silentLogger).forComponent('x0x:membership')
    this.machineId = this.#transport.machineId
    const self = { id: this.machineId, addresses: this.#transport.listenAddresses }
    this.state = createMembershipState(self, init)
    const options = this.state.options
    this.#links = new PeerLinks({
      transport: this.#transport,
      clock: this.#clock,
      log: this.#log,
      signal: this.#shutdown.signal,
      maxQueuedFramesPerPeer: init.maxQueuedFramesPerPeer ?? DEFAULT_MAX_QUEUED_FRAMES_PER_PEER,
      maxLinks: init.maxLinks ?? 4 * options.maxActiveViewSize + 64,
      lingerMs: 2 * options.probeIntervalMs,
      isWanted: (peer) => this.state.active.has(peer) || this.state.pending.has(peer),
      onSendFailed: (peer) => {
        this.#step({ type: 'send-failed', peer })
      },
    })
  }

  start(): void {
    if (this.#status === 'stopped') throw new MembershipStoppedError()
    if (this.#status === 'running') return
    this.#status = 'running'
    this.state.self = { id: this.machineId, addresses: this.#transport.listenAddresses }
    this.#transport.handle('membership', (stream, connection) => {
      void this.#readStream(stream, connection)
    })
    this.#transport.addEventListener('peer:disconnect', this.#onDisconnect)
    this.#step({ type: 'start' })
  }

  join(contacts: readonly PeerDescriptor[]): void {
    if (this.#status === 'stopped') throw new MembershipStoppedError()
    this.#step({ type: 'join', contacts })
  }

  getNeighbors(): PeerDescriptor[] {
    return [...this.state.active.values()].map((neighbor) => neighbor.peer)
  }

  getPassivePeers(): PeerDescriptor[] {
    return [...this.state.passive.values()].map((entry) => entry.peer)
  }

  async stop(): Promise<void> {
    if (this.#status === 'stopped') return
    const wasRunning = this.#status === 'running'
    this.#step({ type: 'leave' })
    this.#status = 'stopped'
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    if (wasRunning) {
      this.#transport.unhandle('membership')
      this.#transport.removeEventListener('peer:disconnect', this.#onDisconnect)
    }
    // Let the DISCONNECT frames queued by `leave` go out before cancelling the rest.
    await Promise.resolve()
    this.#shutdown.abort(new MembershipStoppedError())
    this.#links.clear()
  }

  readonly #onDisconnect = (event: CustomEvent<TransportEvents['peer:disconnect']>): void => {
    const peer = event.detail.connection.remoteMachineId
    this.#links.connectionLost(peer)
    this.#step({ type: 'connection-lost', peer })
  }

  async #readStream(stream: FrameStream, connection: Connection): Promise<void> {
    const from = connection.remoteMachineId
    try {
      for await (const frame of stream) {
        if (this.#status !== 'running') break
        let message
        try {
          message = decodeMembershipMessage(frame)
        } catch (error) {
          // A peer sending garbage loses its stream; membership frames are never malformed by accident.
          this.#log.warn('dropping membership stream from %s: %s', from, error)
          stream.abort(error instanceof Error ? error : undefined)
          return
        }
        this.#step({ type: 'receive', from, message: withObservedHost(message, connection) })
      }
    } catch (error) {
      this.#log('membership stream from %s ended: %s', from, error)
    }
  }

  #step(input: MembershipInput): void {
    if (this.#status === 'stopped') return
    const { actions } = stepMembership(this.state, input, this.#clock.now())
    for (const action of actions) this.#perform(action)
    this.#schedule()
  }

  #perform(action: MembershipAction): void {
    switch (action.type) {
      case 'send':
        if (!this.#links.send(action.to, encodeMembershipMessage(action.message))) {
          this.#log('dropped a %s frame to %s at a queue bound', action.message.type, action.to.id)
        }
        break
      case 'disconnect':
        this.#links.close(action.peer)
        break
      case 'neighbor:up':
        this.safeDispatchEvent('neighbor:up', action.peer)
        break
      case 'neighbor:down':
        this.safeDispatchEvent('neighbor:down', { peer: action.peer, reason: action.reason })
        break
    }
  }

  #schedule(): void {
    if (this.#status !== 'running') return
    const wakeAt = nextWakeup(this.state)
    if (wakeAt === this.#timerAt) return
    this.#clock.clearTimeout(this.#timer)
    this.#timerAt = wakeAt
    this.#timer = undefined
    if (wakeAt === undefined) return
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined
        this.#timerAt = undefined
        this.#step({ type: 'tick' })
      },
      Math.max(0, wakeAt - this.#clock.now()),
    )
  }
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])

/**
 * A node listening on a wildcard address (`0.0.0.0`, `::`) advertises it as is; the address its
 * connection comes from is where it can be reached, so wildcards in JOIN and NEIGHBOR become
 * that host before the addresses are passed on to others.
 */
export function withObservedHost<Message extends MembershipMessage>(
  message: Message,
  connection: Pick<Connection, 'remoteAddress'>,
): Message {
  if (message.type !== 'join' && message.type !== 'neighbor') return message
  if (!message.addresses.some((address) => WILDCARD_HOSTS.has(address.host))) return message
  const host = connection.remoteAddress.host
  return {
    ...message,
    addresses: message.addresses.map((address) =>
      WILDCARD_HOSTS.has(address.host) ? { host, port: address.port } : address,
    ),
  }
}

/**
 * Membership of one node over `components.transport`: handles inbound 'membership' streams,
 * drives the pure core with the injected clock, and emits `neighbor:up` / `neighbor:down`.
 *
 * @throws InvalidArgumentError on invalid options
 */
export function createMembership(
  init: MembershipServiceInit,
  components: MembershipComponents,
): Membership {
  return new MembershipService(init, components)
}
