// SQL of the contact book and the mapping of its rows to records (schema in store/schema.ts).
import type { AgentId, MachineId } from '@x0x/pqc'
import {
  nullableNumberColumn,
  nullableTextColumn,
  numberColumn,
  textColumn,
  type Row,
} from '../store/rows.js'
import {
  parseIdentityType,
  parseTrustLevel,
  type Contact,
  type ContactMachine,
  type Revocation,
} from './contact-types.js'

export const SELECT_CONTACTS = 'SELECT * FROM contacts ORDER BY added_at, agent_id'
export const SELECT_CONTACT = 'SELECT * FROM contacts WHERE agent_id = ?'
export const COUNT_CONTACTS = 'SELECT count(*) AS count FROM contacts'
export const INSERT_CONTACT = `INSERT INTO contacts
  (agent_id, trust_level, label, added_at, last_seen, identity_type) VALUES (?, ?, ?, ?, NULL, ?)`
export const UPDATE_CONTACT =
  'UPDATE contacts SET trust_level = ?, label = ?, identity_type = ? WHERE agent_id = ?'
export const UPDATE_CONTACT_TRUST = 'UPDATE contacts SET trust_level = ? WHERE agent_id = ?'
export const TOUCH_CONTACT =
  'UPDATE contacts SET last_seen = max(coalesce(last_seen, 0), ?) WHERE agent_id = ?'
export const DELETE_CONTACT = 'DELETE FROM contacts WHERE agent_id = ?'

export const SELECT_MACHINES =
  'SELECT * FROM contact_machines WHERE agent_id = ? ORDER BY first_seen, machine_id'
export const SELECT_MACHINE = 'SELECT * FROM contact_machines WHERE agent_id = ? AND machine_id = ?'
export const COUNT_MACHINES = 'SELECT count(*) AS count FROM contact_machines WHERE agent_id = ?'
export const INSERT_MACHINE = `INSERT INTO contact_machines
  (agent_id, machine_id, label, first_seen, last_seen, pinned) VALUES (?, ?, ?, ?, ?, ?)`
export const UPDATE_MACHINE =
  'UPDATE contact_machines SET label = ?, pinned = ? WHERE agent_id = ? AND machine_id = ?'
export const SET_MACHINE_PINNED =
  'UPDATE contact_machines SET pinned = ? WHERE agent_id = ? AND machine_id = ?'
export const TOUCH_MACHINE = `UPDATE contact_machines SET last_seen = max(last_seen, ?)
  WHERE agent_id = ? AND machine_id = ?`
export const DELETE_MACHINE = 'DELETE FROM contact_machines WHERE agent_id = ? AND machine_id = ?'

export const SELECT_REVOCATIONS = 'SELECT * FROM revocations ORDER BY timestamp, agent_id'
export const COUNT_REVOCATIONS = 'SELECT count(*) AS count FROM revocations'
// A second revocation of the same agent replaces the reason: the latest statement stands.
export const UPSERT_REVOCATION = `INSERT INTO revocations (agent_id, reason, timestamp, revoker_id)
  VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET
  reason = excluded.reason, timestamp = excluded.timestamp, revoker_id = excluded.revoker_id`

export function contactFromRow(row: Row): Contact {
  return {
    agentId: textColumn(row, 'agent_id') as AgentId,
    trustLevel: parseTrustLevel(textColumn(row, 'trust_level')),
    label: nullableTextColumn(row, 'label'),
    addedAt: numberColumn(row, 'added_at'),
    lastSeen: nullableNumberColumn(row, 'last_seen'),
    identityType: parseIdentityType(textColumn(row, 'identity_type')),
  }
}

export function machineFromRow(row: Row): ContactMachine {
  return {
    machineId: textColumn(row, 'machine_id') as MachineId,
    label: nullableTextColumn(row, 'label'),
    firstSeen: numberColumn(row, 'first_seen'),
    lastSeen: numberColumn(row, 'last_seen'),
    pinned: numberColumn(row, 'pinned') === 1,
  }
}

export function revocationFromRow(row: Row): Revocation {
  return {
    agentId: textColumn(row, 'agent_id') as AgentId,
    reason: textColumn(row, 'reason'),
    timestamp: numberColumn(row, 'timestamp'),
    revokerId: nullableTextColumn(row, 'revoker_id') as AgentId | null,
  }
}

export function countFromRow(row: Row | undefined): number {
  return row === undefined ? 0 : numberColumn(row, 'count')
}
