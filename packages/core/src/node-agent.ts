// An agent on this machine, assembled from files: the identity directory (keys, never lost with
// the data dir), the SQLite database in the data dir (contacts, machines, revocations, discovery
// cache, peer cache), and a QUIC transport on one UDP port. This is what the daemon runs.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { silentLogger, type ComponentLogger } from '@x0x/base'
import {
  createPqcBackend,
  loadOrCreateIdentity,
  loadUserKeyFile,
  withUserKey,
  type Identity,
} from '@x0x/pqc'
import { createPeerCache, createQuicTransport, type PeerCache } from '@x0x/transport'
import { createAgent, type Agent } from './agent.js'
import type { AgentInit } from './agent-types.js'
import { createContactBook } from './contacts/contact-book.js'
import { createDiscoveryCache } from './discovery/discovery-cache.js'
import { openDatabase, type CoreDatabase } from './store/database.js'
import { createSqlitePeerCacheStore } from './store/sqlite-peer-cache-store.js'
import { DEFAULT_IDENTITY_TTL_MS } from './constants.js'

/** The database file in the data dir. */
export const DATABASE_FILE_NAME = 'x0x.sqlite'

/** Options of `openNodeAgent`. */
export interface NodeAgentInit extends AgentInit {
  /** Keys live here (`~/.x0x`, `~/.x0x-<name>`). */
  identityDir: string
  /** The database and other state live here. */
  dataDir: string
  /** UDP address to listen and dial on. Default `0.0.0.0:5483`. */
  listen?: { host: string; port: number }
  /** Discovery cache TTL. Default: 900,000 ms (x0x `identity_ttl_secs`). */
  identityTtlMs?: number
  /** A user key file outside the identity dir (x0x `user_key_path`); replaces `user.key`. */
  userKeyPath?: string | undefined
}

/** An agent plus what it was opened from; `close()` stops it and closes the database. */
export interface NodeAgent {
  readonly agent: Agent
  readonly identity: Identity
  readonly database: CoreDatabase
  readonly peerCache: PeerCache
  close(): Promise<void>
}

/**
 * Loads (or creates, at first start) the identity, opens the database, and creates the agent on a
 * QUIC transport. Call `agent.start()` to go online.
 *
 * @throws key file errors from `@x0x/pqc`, database errors from the store
 */
export async function openNodeAgent(
  init: NodeAgentInit,
  logger: ComponentLogger = silentLogger,
): Promise<NodeAgent> {
  const backend = createPqcBackend('native')
  const stored = await loadOrCreateIdentity({ directory: init.identityDir, backend })
  const identity =
    init.userKeyPath === undefined
      ? stored
      : withUserKey(stored, await loadUserKeyFile(init.userKeyPath, { backend }))
  await mkdir(init.dataDir, { recursive: true, mode: 0o700 })
  const database = openDatabase(join(init.dataDir, DATABASE_FILE_NAME))
  try {
    const contacts = createContactBook(database)
    const discovery = createDiscoveryCache({
      ttlMs: init.identityTtlMs ?? DEFAULT_IDENTITY_TTL_MS,
      database,
    })
    const peerCache = createPeerCache({}, { store: createSqlitePeerCacheStore(database), logger })
    await peerCache.load()
    const transport = createQuicTransport(
      { listen: init.listen ?? { host: '0.0.0.0', port: 5483 } },
      { machineKey: identity.machine, logger },
    )
    const agent = createAgent(init, {
      identity,
      transport,
      contacts,
      discovery,
      peerCache,
      backend,
      logger,
    })
    return {
      agent,
      identity,
      database,
      peerCache,
      async close() {
        await agent.stop()
        await peerCache.close()
        database.close()
      },
    }
  } catch (error) {
    database.close()
    throw error
  }
}
