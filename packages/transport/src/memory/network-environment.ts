import type { Logger } from '@x0x/base'
import type { PeerAddress } from '../transport.js'
import type { ConnectionPair } from './connection-pair.js'
import type { LinkEnvironment } from './link.js'
import type { MemoryTransportImpl } from './memory-transport.js'

/** What the transports, connections and links of a memory network share. */
export interface NetworkEnvironment extends LinkEnvironment {
  readonly log: Logger
  /** The running transport listening at `address`, if any. */
  listenerAt(address: PeerAddress): MemoryTransportImpl | undefined
  /** Unique id of a new connection. */
  nextConnectionId(): string
  addPair(pair: ConnectionPair): void
  removePair(pair: ConnectionPair): void
  /**
   * Work that keeps the network busy without a message in transit (a dial in progress, a handshake
   * waiting, a connection dying): `flush()` waits for it.
   */
  beginWork(): void
  endWork(): void
}

// Addresses are compared on every dial and arrival; their objects are reused, so cache the key.
const keys = new WeakMap<PeerAddress, string>()

/** The key of an address in maps. */
export function addressKey(address: PeerAddress): string {
  let key = keys.get(address)
  if (key === undefined) {
    key = `${address.host}|${address.port}`
    keys.set(address, key)
  }
  return key
}
