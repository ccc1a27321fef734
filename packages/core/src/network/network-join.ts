// Joining the overlay: bootstrap dials the configured seeds and the best cached peers (again
// whenever connections run out), mDNS finds peers on the LAN, and every peer reached that way is
// offered to membership as a contact. Membership then builds the active view (HyParView) over
// which pub/sub spreads; the transport's connections alone do not make a node a neighbour.
import type { ComponentLogger, Clock, Logger } from '@x0x/base'
import type { Membership } from '@x0x/gossip-membership'
import type { MachineId } from '@x0x/pqc'
import {
  createBootstrap,
  createMdnsDiscovery,
  type Bootstrap,
  type BootstrapEvents,
  type MdnsDiscovery,
  type MdnsDiscoveryEvents,
  type MdnsSocket,
  type PeerAddress,
  type PeerCache,
  type Transport,
} from '@x0x/transport'

/** Options of the join. */
export interface NetworkJoinInit {
  /** `host:port` seeds. Default: none. */
  readonly bootstrapPeers?: readonly string[] | undefined
  /** LAN discovery: `true` uses the real multicast socket, a socket is used as given. */
  readonly mdns?: boolean | MdnsSocket | undefined
}

export interface NetworkJoinComponents {
  readonly transport: Transport
  readonly membership: Membership
  readonly peerCache?: PeerCache | undefined
  readonly clock: Clock
  readonly logger: ComponentLogger
}

/** The running join machinery. */
export class NetworkJoin {
  readonly bootstrap: Bootstrap
  readonly mdns: MdnsDiscovery | undefined
  readonly #membership: Membership
  readonly #log: Logger

  constructor(init: NetworkJoinInit, components: NetworkJoinComponents) {
    this.#membership = components.membership
    this.#log = components.logger.forComponent('x0x:agent:join')
    this.bootstrap = createBootstrap(
      { seeds: init.bootstrapPeers ?? [] },
      {
        transport: components.transport,
        ...(components.peerCache === undefined ? {} : { peerCache: components.peerCache }),
        clock: components.clock,
        logger: components.logger,
      },
    )
    const mdns = init.mdns ?? false
    this.mdns =
      mdns === false
        ? undefined
        : createMdnsDiscovery(
            {},
            {
              transport: components.transport,
              ...(mdns === true ? {} : { socket: mdns }),
              clock: components.clock,
              logger: components.logger,
            },
          )
  }

  async start(): Promise<void> {
    this.bootstrap.addEventListener('target:connect', this.#onSeed)
    this.bootstrap.start()
    if (this.mdns !== undefined) {
      this.mdns.addEventListener('peer:discovered', this.#onLanPeer)
      try {
        await this.mdns.start()
      } catch (error) {
        // LAN discovery is a convenience: a host without multicast still joins through seeds.
        this.#log.warn('mDNS unavailable: %s', String(error))
      }
    }
  }

  async stop(): Promise<void> {
    this.bootstrap.removeEventListener('target:connect', this.#onSeed)
    this.mdns?.removeEventListener('peer:discovered', this.#onLanPeer)
    await Promise.all([this.bootstrap.stop(), this.mdns?.stop()])
  }

  readonly #onSeed = (event: CustomEvent<BootstrapEvents['target:connect']>): void => {
    const { connection } = event.detail
    this.#offer(connection.remoteMachineId, [connection.remoteAddress])
  }

  readonly #onLanPeer = (event: CustomEvent<MdnsDiscoveryEvents['peer:discovered']>): void => {
    this.#offer(event.detail.machineId, event.detail.addresses)
  }

  #offer(id: MachineId, addresses: readonly PeerAddress[]): void {
    if (this.#membership.state.active.has(id)) return
    try {
      this.#membership.join([{ id, addresses }])
    } catch (error) {
      this.#log('join through %s failed: %s', id, String(error))
    }
  }
}
