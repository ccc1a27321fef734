/**
 * `@x0x/core`: the x0x `Agent` (layer 7). One identity on the network: it joins through seeds,
 * the persistent peer cache and mDNS, announces itself with a signature of its agent key and its
 * machine key, discovers other agents, publishes and subscribes (Plumtree over HyParView), sends
 * private direct messages (acknowledged, ordered, signed; sealed with ML-KEM through gossip when
 * no connection can be made), and keeps contacts, trust, machine pins and revocations in SQLite.
 *
 * @example
 * ```ts
 * import { openNodeAgent } from '@x0x/core'
 *
 * const { agent, close } = await openNodeAgent({
 *   identityDir: '/home/me/.x0x',
 *   dataDir: '/home/me/.local/share/x0x',
 *   listen: { host: '0.0.0.0', port: 5483 },
 *   bootstrapPeers: ['192.0.2.10:5483'],
 * })
 * await agent.start()
 * const chat = await agent.subscribe('chat')
 * await agent.publish('chat', new TextEncoder().encode('hello'))
 * for await (const message of chat) {
 *   console.log(message.sender, message.trustLevel, new TextDecoder().decode(message.payload))
 *   break
 * }
 * await close()
 * ```
 *
 * @packageDocumentation
 */
export { createAgent, type Agent } from './agent.js'
export type {
  AgentComponents,
  AgentEvents,
  AgentInit,
  AgentMessage,
  AgentSubscribeOptions,
  AgentSubscription,
  ConnectResult,
} from './agent-types.js'
export {
  DATABASE_FILE_NAME,
  openNodeAgent,
  type NodeAgent,
  type NodeAgentInit,
} from './node-agent.js'
export type {
  DirectMessage,
  DirectMessagingStats,
  DirectPath,
  DirectSendResult,
  TrustDecision,
} from './direct/direct-types.js'
export {
  MAX_DIRECT_FRAME_BYTES,
  decodeDirectFrame,
  encodeDirectAck,
  encodeDirectMessage,
  type DirectFrame,
} from './direct/direct-codec.js'
export {
  decodeAnnouncement,
  encodeAnnouncement,
  type AnnouncementContent,
  type VerifiedAnnouncement,
} from './identity/announcement.js'
export { advertisedAddresses } from './identity/identity-service.js'
export {
  AGENT_CARD_PREFIX,
  MAX_AGENT_CARD_BYTES,
  createAgentCard,
  encodeAgentCardLink,
  parseAgentCardLink,
  type AgentCard,
  type AgentCardInit,
  type DmCapabilities,
} from './card/agent-card.js'
export { exportAgentCard, importAgentCard, type ImportedCard } from './card/card-exchange.js'
export {
  AgentBlockedError,
  AgentNotFoundError,
  AgentStoppedError,
  DirectPayloadTooLargeError,
  DirectSendError,
  InvalidAgentCardError,
  InvalidAnnouncementError,
  UserIdentityUnavailableError,
  type DirectSendFailure,
} from './errors.js'
export {
  DEFAULT_DIRECT_ACK_TIMEOUT_MS,
  DEFAULT_FIND_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_IDENTITY_TTL_MS,
  DIRECT_MESSAGE_BUS_TOPIC,
  IDENTITY_ANNOUNCE_TOPIC,
  IDENTITY_QUERY_TOPIC,
  MAX_DIRECT_PAYLOAD_BYTES,
} from './constants.js'
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  openDatabase,
  openMemoryDatabase,
  type CoreDatabase,
  type OpenDatabaseOptions,
} from './store/database.js'
export { SCHEMA_VERSION } from './store/schema.js'
export { DatabaseCorruptError, DatabaseOpenError, DatabaseVersionError } from './store/errors.js'
export {
  DEFAULT_SQLITE_PEER_CACHE_MAX_ADDRESSES,
  DEFAULT_SQLITE_PEER_CACHE_MAX_PEERS,
  createSqlitePeerCacheStore,
  type SqlitePeerCacheStoreOptions,
} from './store/sqlite-peer-cache-store.js'
export {
  createContactBook,
  type AddContactOptions,
  type AddMachineOptions,
  type Contact,
  type ContactBook,
  type ContactBookOptions,
  type ContactMachine,
  type IdentityType,
  type Revocation,
  type TrustLevel,
} from './contacts/contact-book.js'
export {
  DEFAULT_MAX_CONTACTS,
  DEFAULT_MAX_MACHINES_PER_CONTACT,
  DEFAULT_MAX_REVOCATIONS,
  IDENTITY_TYPES,
  TRUST_LEVELS,
  parseIdentityType,
  parseTrustLevel,
} from './contacts/contact-types.js'
export { decideTrust, type TrustFacts } from './contacts/trust-evaluation.js'
export {
  ContactLimitError,
  InvalidIdentityTypeError,
  InvalidTrustLevelError,
  RevocationLimitError,
} from './contacts/errors.js'
export {
  createDiscoveryCache,
  type DiscoveredAgentRecord,
  type DiscoveredMachineRecord,
  type DiscoveryCache,
  type DiscoveryCacheOptions,
  type DiscoveryQueryOptions,
} from './discovery/discovery-cache.js'
export {
  DEFAULT_DISCOVERY_TTL_MS,
  DEFAULT_MAX_DISCOVERED_AGENTS,
  DISCOVERY_PRUNE_TTL_FACTOR,
  MAX_ADDRESSES_PER_AGENT,
} from './discovery/discovery-cache-types.js'
