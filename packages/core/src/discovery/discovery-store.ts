// Persistence of the discovery cache in the core database: the cache writes each accepted
// record through (one prepared statement) and reads everything back once at start. The rows
// came from the network, so loading validates them and drops what does not parse.
import { parseAgentId, parseMachineId, parseUserId } from '@x0x/pqc'
import type { CoreDatabase } from '../store/database.js'
import {
  nullableBytesColumn,
  nullableTextColumn,
  numberColumn,
  textColumn,
  type Row,
} from '../store/rows.js'
import type { DiscoveredAgentRecord } from './discovery-cache-types.js'

const UPSERT_AGENT = `INSERT INTO discovered_agents (agent_id, machine_id, user_id, addresses,
  announced_at, last_seen, agent_public_key, kem_public_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (agent_id) DO UPDATE SET machine_id = excluded.machine_id,
  user_id = excluded.user_id, addresses = excluded.addresses,
  announced_at = excluded.announced_at, last_seen = excluded.last_seen,
  agent_public_key = excluded.agent_public_key, kem_public_key = excluded.kem_public_key`
const DELETE_AGENT = 'DELETE FROM discovered_agents WHERE agent_id = ?'
const SELECT_NEWEST = 'SELECT * FROM discovered_agents ORDER BY last_seen DESC, agent_id LIMIT ?'
const DELETE_OLDER = 'DELETE FROM discovered_agents WHERE last_seen < ?'
const DELETE_BEYOND = `DELETE FROM discovered_agents WHERE agent_id NOT IN
  (SELECT agent_id FROM discovered_agents ORDER BY last_seen DESC, agent_id LIMIT ?)`

/** Where a discovery cache keeps its records between runs. */
export interface DiscoveryStore {
  /**
   * The `limit` most recently seen records seen at or after `oldestLastSeen` (Unix seconds),
   * least recently seen first. Older, surplus and unparsable rows are deleted.
   */
  load(limit: number, oldestLastSeen: number): DiscoveredAgentRecord[]
  save(record: DiscoveredAgentRecord): void
  delete(agentIds: Iterable<string>): void
}

/** A discovery store in `database`. */
export function createDiscoveryStore(database: CoreDatabase): DiscoveryStore {
  return {
    load(limit, oldestLastSeen) {
      return database.transaction(() => {
        database.statement(DELETE_OLDER).run(oldestLastSeen)
        database.statement(DELETE_BEYOND).run(limit)
        const records: DiscoveredAgentRecord[] = []
        for (const row of database.statement(SELECT_NEWEST).all(limit)) {
          const record = recordFromRow(row)
          if (record === undefined) database.statement(DELETE_AGENT).run(row['agent_id'] ?? null)
          else records.push(record)
        }
        return records.reverse()
      })
    },
    save(record) {
      database
        .statement(UPSERT_AGENT)
        .run(
          record.agentId,
          record.machineId,
          record.userId,
          JSON.stringify(record.addresses),
          record.announcedAt,
          record.lastSeen,
          record.agentPublicKey,
          record.kemPublicKey,
        )
    },
    delete(agentIds) {
      database.transaction(() => {
        for (const agentId of agentIds) database.statement(DELETE_AGENT).run(agentId)
      })
    },
  }
}

function recordFromRow(row: Row): DiscoveredAgentRecord | undefined {
  try {
    const userId = nullableTextColumn(row, 'user_id')
    const addresses: unknown = JSON.parse(textColumn(row, 'addresses'))
    if (!Array.isArray(addresses) || !addresses.every((item) => typeof item === 'string')) {
      return undefined
    }
    return {
      agentId: parseAgentId(textColumn(row, 'agent_id')),
      machineId: parseMachineId(textColumn(row, 'machine_id')),
      userId: userId === null ? null : parseUserId(userId),
      addresses,
      announcedAt: numberColumn(row, 'announced_at'),
      lastSeen: numberColumn(row, 'last_seen'),
      agentPublicKey: nullableBytesColumn(row, 'agent_public_key'),
      kemPublicKey: nullableBytesColumn(row, 'kem_public_key'),
    }
  } catch {
    // A row edited into nonsense is a cache miss, not a reason to refuse to start.
    return undefined
  }
}
