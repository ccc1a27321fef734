// The schema of the core database, as an append-only list of migrations: migration i takes the
// database from `PRAGMA user_version` i to i + 1. Never edit a released migration; append one.
// Tables are STRICT so a wrong type is an error rather than silently stored text.

/** Version 1: contacts, machines, revocations, discovery cache, peer cache. */
const CREATE_TABLES = `
CREATE TABLE contacts (
  agent_id TEXT PRIMARY KEY NOT NULL,
  trust_level TEXT NOT NULL CHECK (trust_level IN ('blocked', 'unknown', 'known', 'trusted')),
  label TEXT,
  added_at INTEGER NOT NULL,
  last_seen INTEGER,
  identity_type TEXT NOT NULL
    CHECK (identity_type IN ('anonymous', 'known', 'trusted', 'pinned'))
) STRICT;

CREATE TABLE contact_machines (
  agent_id TEXT NOT NULL REFERENCES contacts (agent_id) ON DELETE CASCADE,
  machine_id TEXT NOT NULL,
  label TEXT,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  pinned INTEGER NOT NULL CHECK (pinned IN (0, 1)),
  PRIMARY KEY (agent_id, machine_id)
) STRICT;

CREATE TABLE revocations (
  agent_id TEXT PRIMARY KEY NOT NULL,
  reason TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  revoker_id TEXT
) STRICT;

CREATE TABLE discovered_agents (
  agent_id TEXT PRIMARY KEY NOT NULL,
  machine_id TEXT NOT NULL,
  user_id TEXT,
  addresses TEXT NOT NULL,
  announced_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  agent_public_key BLOB,
  kem_public_key BLOB
) STRICT;

CREATE TABLE peer_cache (
  machine_id TEXT PRIMARY KEY NOT NULL,
  addresses TEXT NOT NULL,
  successes INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL,
  reliability REAL NOT NULL,
  rtt_ms REAL,
  last_success_at REAL NOT NULL,
  last_failure_at REAL
) STRICT;

CREATE TABLE store_metadata (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
`

/** Every migration in order; the schema version of a fresh database is the length of this list. */
export const MIGRATIONS: readonly string[] = [CREATE_TABLES]

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length
