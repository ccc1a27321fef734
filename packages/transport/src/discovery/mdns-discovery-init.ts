import type { Clock, ComponentLogger, Random } from '@x0x/base'
import type { Transport } from '../transport.js'
import type { MdnsSocket } from './mdns-socket.js'

/** Options of `createMdnsDiscovery`. */
export interface MdnsDiscoveryInit {
  /** The DNS-SD service type. Default: `_x0x._udp.local`. */
  serviceType?: string
  /** Whether to answer queries and announce this node. Default: true. */
  advertise?: boolean
  /** Whether to query for other nodes. Default: true. */
  browse?: boolean
  /** Whether to dial discovered peers through the transport. Default: false. */
  autoDial?: boolean
  /** The advertised port. Default: the port of the transport's first listen address. */
  port?: number
  /**
   * The advertised IP literals. Default: the transport's listen hosts, or, when it listens on a
   * wildcard, this machine's interface addresses (link-local IPv6 left out).
   */
  hosts?: readonly string[]
  /** TTL of advertised records, and how long a discovered peer is remembered. Default: 120 s. */
  recordTtlSeconds?: number
  /** Discovered peers remembered; the oldest is forgotten when full. Default: 256. */
  maxPeers?: number
  /** First interval between browse queries; it doubles up to the maximum. Default: 1,000 ms. */
  initialQueryIntervalMs?: number
  /** Ceiling of the interval between browse queries. Default: 60,000 ms. */
  maxQueryIntervalMs?: number
  /** Auto-dials in flight at once. Default: 4. */
  maxConcurrentDials?: number
  /** A peer is not auto-dialled again within this long. Default: 30,000 ms. */
  dialCooldownMs?: number
  /** An auto-dial gives up after this long. Default: 10,000 ms. */
  dialTimeoutMs?: number
}

/** What mDNS discovery needs injected. */
export interface MdnsDiscoveryComponents {
  /** Supplies the machine id and listen port, and dials when `autoDial` is on. */
  transport: Transport
  /** The multicast socket. Default: `createUdpMdnsSocket()` (224.0.0.251:5353). */
  socket?: MdnsSocket
  /** Default: `systemClock`. */
  clock?: Clock
  /** Default: `silentLogger`. */
  logger?: ComponentLogger
  /** Draws response delays; seed it for reproducible tests. Default: randomly seeded. */
  random?: Random
}
