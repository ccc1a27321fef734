/**
 * `@x0x/transport`: layer 2 of x0x. The `Transport` contract between peers (authenticated
 * connections to machine ids, framed streams of five kinds with back-pressure, peer events), its
 * errors and limits, and `MemoryTransport`: the same contract in one process, on a seeded network
 * with per-link latency, jitter, loss and bandwidth, partitions and crashes, driven by an injected
 * (usually virtual) clock. `@x0x/transport/compliance` holds the suite every implementation passes.
 *
 * @example
 * ```ts
 * import { VirtualClock } from '@x0x/base'
 * import { createMemoryNetwork } from '@x0x/transport'
 *
 * const clock = new VirtualClock()
 * const network = createMemoryNetwork({ seed: 1, link: { latencyMs: 20, jitterMs: 5 } }, { clock })
 * const alice = network.createTransport()
 * const bob = network.createTransport()
 * await Promise.all([alice.start(), bob.start()])
 * bob.handle('direct', (stream) => {
 *   void (async () => {
 *     for await (const frame of stream) await stream.send(frame) // echo
 *     await stream.closeWrite()
 *   })()
 * })
 *
 * const dialing = alice.dial({ machineId: bob.machineId, addresses: bob.listenAddresses })
 * await network.flush() // advances virtual time until nothing is in flight
 * const stream = await (await dialing).openStream('direct')
 * await stream.send(new TextEncoder().encode('hello'))
 * const reply = stream.read()
 * await network.flush()
 * await reply // the 5 bytes of 'hello', one virtual round trip (40–50 ms) later
 * ```
 *
 * @packageDocumentation
 */

// The contract.
export {
  STREAM_KINDS,
  type AbortOptions,
  type Connection,
  type ConnectionDirection,
  type ConnectionStatus,
  type DialTarget,
  type DisconnectReason,
  type FrameStream,
  type PeerAddress,
  type StreamHandler,
  type StreamKind,
  type Transport,
  type TransportEvents,
} from './transport.js'
export {
  ConnectionClosedError,
  ConnectionLimitError,
  DialError,
  FrameTooLargeError,
  HandshakeError,
  PeerCertificateExpiredError,
  PeerCertificateNotYetValidError,
  PeerIdentityMismatchError,
  StreamClosedError,
  StreamLimitError,
  StreamResetError,
  TransportStoppedError,
} from './errors.js'

// Limits shared by every implementation.
export {
  resolveTransportLimits,
  type TransportLimits,
  type TransportLimitsInit,
} from './transport-limits.js'
export {
  DEFAULT_DIAL_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_KEEPALIVE_INTERVAL_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_PENDING_DIALS,
  DEFAULT_MAX_STREAMS_PER_KIND,
  DEFAULT_STREAM_RECEIVE_QUEUE_FRAMES,
} from './constants.js'

// The in-memory transport.
export {
  createMemoryNetwork,
  type FlushOptions,
  type LinkOptions,
  type MemoryNetwork,
  type MemoryNetworkComponents,
  type MemoryNetworkInit,
  type MemoryTransportInit,
  type NetworkPartition,
} from './memory/memory-network.js'
export type { MemoryTransport } from './memory/memory-transport.js'
export { DEFAULT_LINK_PROFILE, type LinkProfile } from './memory/link-profile.js'
export { DEFAULT_FLUSH_MAX_STEPS, MIN_RETRANSMISSION_TIMEOUT_MS } from './constants.js'

// Bootstrap: seeds, the persistent peer cache, and rejoining.
export {
  createBootstrap,
  type Bootstrap,
  type BootstrapComponents,
  type BootstrapEvents,
  type BootstrapInit,
  type BootstrapRoundResult,
  type BootstrapStats,
} from './bootstrap/bootstrap.js'
export type { BootstrapSeed } from './bootstrap/bootstrap-targets.js'
export {
  createPeerCache,
  type PeerCache,
  type PeerCacheBestOptions,
  type PeerCacheComponents,
  type PeerCacheEntry,
  type PeerCacheInit,
  type PeerCacheLoadResult,
} from './bootstrap/peer-cache.js'
export type { CachedAddress, PeerCacheRecord } from './bootstrap/peer-record.js'
export { scoreOf as peerCacheScore } from './bootstrap/peer-record.js'
export {
  createFilePeerCacheStore,
  createMemoryPeerCacheStore,
  type FilePeerCacheStoreInit,
  type MemoryPeerCacheStore,
  type PeerCacheSnapshot,
  type PeerCacheStore,
} from './bootstrap/peer-cache-store.js'
export { formatPeerAddress, parsePeerAddress } from './bootstrap/peer-address-text.js'
export {
  InvalidPeerAddressError,
  PeerCacheCorruptError,
  PeerCacheIoError,
  PeerCacheTooLargeError,
} from './errors.js'

// LAN discovery by mDNS (RFC 6762 / RFC 6763).
export {
  createMdnsDiscovery,
  type MdnsDiscovery,
  type MdnsDiscoveryEvents,
  type MdnsDiscoveryStats,
} from './discovery/mdns-discovery.js'
export type { MdnsDiscoveryComponents, MdnsDiscoveryInit } from './discovery/mdns-discovery-init.js'
export type { MdnsPeer } from './discovery/mdns-records.js'
export {
  createMemoryMdnsBus,
  createUdpMdnsSocket,
  type MdnsPacketHandler,
  type MdnsSocket,
  type MemoryMdnsBus,
  type MemoryMdnsBusComponents,
  type UdpMdnsSocketInit,
} from './discovery/mdns-socket.js'
export {
  DEFAULT_BOOTSTRAP_CACHED_PEERS,
  DEFAULT_BOOTSTRAP_INITIAL_BACKOFF_MS,
  DEFAULT_BOOTSTRAP_MAX_BACKOFF_MS,
  DEFAULT_BOOTSTRAP_MAX_CONCURRENT_DIALS,
  DEFAULT_MDNS_MAX_PEERS,
  DEFAULT_PEER_CACHE_MAX_ADDRESSES,
  DEFAULT_PEER_CACHE_MAX_PEERS,
  MDNS_SERVICE_TYPE,
} from './constants.js'

// The QUIC transport: real UDP on one port, TLS bound to the machine key, post-quantum sessions.
export {
  createQuicTransport,
  type QuicTransport,
  type QuicTransportComponents,
  type QuicTransportInit,
  type QuicTransportStats,
} from './quic/quic-transport.js'
