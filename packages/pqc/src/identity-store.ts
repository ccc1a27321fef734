// The identity directory (DESIGN.md "Identity"): machine, agent and optional user ML-DSA-65 keys
// plus the agent's ML-KEM-768 key, one file each. Security invariants: the user key is never
// generated here; a corrupt, truncated or mismatched key file is an error, never a reason to
// generate a new key (which would silently change an identity).
import { join } from 'node:path'
import { throwIfAborted } from '@x0x/base'
import { publicBytesEqual } from './bytes.js'
import { IDENTITY_FILE_NAMES } from './constants.js'
import { defaultPqcBackend } from './create-pqc-backend.js'
import {
  KeyFileAccessError,
  KeyFileCorruptError,
  KeyFileExistsError,
  KeyFileNotFoundError,
} from './errors.js'
import {
  agentIdFromPublicKey,
  machineIdFromPublicKey,
  userIdFromPublicKey,
  type AgentId,
  type MachineId,
  type UserId,
} from './ids.js'
import { decodeKeyFile, describeKeyFileRole, encodeKeyFile, type KeyFileRole } from './key-file.js'
import { ensureIdentityDirectory, readKeyFileBytes, writeKeyFileExclusive } from './key-file-io.js'
import type { MlDsa65KeyPair, MlKem768KeyPair, PqcBackend } from './pqc-backend.js'

/** An agent's keys and the ids derived from them. */
export interface Identity {
  /** Authenticates this machine's transport connections. */
  readonly machine: MlDsa65KeyPair
  readonly machineId: MachineId
  /** Signs everything the agent says; portable between machines. */
  readonly agent: MlDsa65KeyPair
  readonly agentId: AgentId
  /** Receives sealed envelopes and group keys addressed to the agent. */
  readonly agentKem: MlKem768KeyPair
  /** Present only when the user created or imported one (`saveUserKey`). */
  readonly user?: MlDsa65KeyPair
  readonly userId?: UserId
}

/** Where the identity lives and how to load it. */
export interface IdentityStoreOptions {
  /** The identity directory, e.g. `~/.x0x`. Created with mode 0700 when missing. */
  readonly directory: string
  /** Backend for the key pairs. Default: `defaultPqcBackend()`. */
  readonly backend?: PqcBackend
  readonly signal?: AbortSignal
}

interface KeyPairCodec<KeyPair> {
  readonly role: KeyFileRole
  fromSeed(seed: Uint8Array): KeyPair
  generate(): KeyPair
}

type AnyKeyPair = MlDsa65KeyPair | MlKem768KeyPair

function signingCodec(role: 'machine' | 'agent' | 'user', backend: PqcBackend) {
  return {
    role,
    fromSeed: (seed: Uint8Array) => backend.mlDsa65KeyPairFromSeed(seed),
    generate: () => backend.generateMlDsa65KeyPair(),
  } satisfies KeyPairCodec<MlDsa65KeyPair>
}

function kemCodec(backend: PqcBackend) {
  return {
    role: 'agentKem',
    fromSeed: (seed: Uint8Array) => backend.mlKem768KeyPairFromSeed(seed),
    generate: () => backend.generateMlKem768KeyPair(),
  } satisfies KeyPairCodec<MlKem768KeyPair>
}

async function loadKey<KeyPair extends AnyKeyPair>(
  directory: string,
  codec: KeyPairCodec<KeyPair>,
): Promise<KeyPair | undefined> {
  return loadKeyAt(join(directory, IDENTITY_FILE_NAMES[codec.role]), codec)
}

async function loadKeyAt<KeyPair extends AnyKeyPair>(
  path: string,
  codec: KeyPairCodec<KeyPair>,
): Promise<KeyPair | undefined> {
  const bytes = await readKeyFileBytes(path)
  if (bytes === undefined) return undefined
  try {
    const { seed, publicKey } = decodeKeyFile(bytes, codec.role, path)
    const keyPair = codec.fromSeed(seed)
    seed.fill(0)
    if (!publicBytesEqual(keyPair.publicKey, publicKey)) {
      throw new KeyFileCorruptError(
        `${describeKeyFileRole(codec.role)} file ${path} is corrupt: its public key does not derive from its seed`,
        { path },
      )
    }
    return keyPair
  } finally {
    bytes.fill(0)
  }
}

async function storeKey(directory: string, role: KeyFileRole, keyPair: AnyKeyPair) {
  const path = join(directory, IDENTITY_FILE_NAMES[role])
  const seed = keyPair.exportSeed()
  const bytes = encodeKeyFile(role, { seed, publicKey: keyPair.publicKey })
  try {
    return await writeKeyFileExclusive(path, bytes)
  } finally {
    seed.fill(0)
    bytes.fill(0)
  }
}

async function loadOrCreateKey<KeyPair extends AnyKeyPair>(
  directory: string,
  codec: KeyPairCodec<KeyPair>,
): Promise<KeyPair> {
  const existing = await loadKey(directory, codec)
  if (existing !== undefined) return existing
  const created = codec.generate()
  if (await storeKey(directory, codec.role, created)) return created
  // Another process created the file between our read and our write: its key is the identity.
  const winner = await loadKey(directory, codec)
  if (winner === undefined) {
    const path = join(directory, IDENTITY_FILE_NAMES[codec.role])
    throw new KeyFileAccessError(`key file ${path} vanished while being created`, { path })
  }
  return winner
}

function assembleIdentity(
  machine: MlDsa65KeyPair,
  agent: MlDsa65KeyPair,
  agentKem: MlKem768KeyPair,
  user: MlDsa65KeyPair | undefined,
): Identity {
  const identity = {
    machine,
    machineId: machineIdFromPublicKey(machine.publicKey),
    agent,
    agentId: agentIdFromPublicKey(agent.publicKey),
    agentKem,
  }
  return user === undefined
    ? identity
    : { ...identity, user, userId: userIdFromPublicKey(user.publicKey) }
}

/**
 * Loads the identity in `directory`, generating (and durably writing) the machine, agent and agent
 * KEM keys that are missing. The user key is loaded when present and never generated.
 *
 * @throws KeyFileCorruptError, UnsupportedKeyFileVersionError, KeyFileAccessError, AbortError
 */
export async function loadOrCreateIdentity(options: IdentityStoreOptions): Promise<Identity> {
  const { directory, signal } = options
  const backend = options.backend ?? defaultPqcBackend()
  throwIfAborted(signal)
  await ensureIdentityDirectory(directory)
  const machine = await loadOrCreateKey(directory, signingCodec('machine', backend))
  throwIfAborted(signal)
  const agent = await loadOrCreateKey(directory, signingCodec('agent', backend))
  throwIfAborted(signal)
  const agentKem = await loadOrCreateKey(directory, kemCodec(backend))
  throwIfAborted(signal)
  const user = await loadKey(directory, signingCodec('user', backend))
  return assembleIdentity(machine, agent, agentKem, user)
}

/**
 * Loads an existing identity without creating anything.
 *
 * @throws KeyFileNotFoundError when the machine, agent or agent KEM key file is missing;
 *   otherwise as `loadOrCreateIdentity`.
 */
export async function loadIdentity(options: IdentityStoreOptions): Promise<Identity> {
  const { directory, signal } = options
  const backend = options.backend ?? defaultPqcBackend()
  const required = async <KeyPair extends AnyKeyPair>(codec: KeyPairCodec<KeyPair>) => {
    throwIfAborted(signal)
    const keyPair = await loadKey(directory, codec)
    if (keyPair !== undefined) return keyPair
    const path = join(directory, IDENTITY_FILE_NAMES[codec.role])
    throw new KeyFileNotFoundError(`no ${describeKeyFileRole(codec.role)} at ${path}`, { path })
  }
  const machine = await required(signingCodec('machine', backend))
  const agent = await required(signingCodec('agent', backend))
  const agentKem = await required(kemCodec(backend))
  const user = await loadKey(directory, signingCodec('user', backend))
  return assembleIdentity(machine, agent, agentKem, user)
}

/**
 * Stores a user key in the identity directory (the only way one gets there besides copying the
 * file). Saving the key that is already stored is a no-op.
 *
 * @throws KeyFileExistsError when a different user key is already stored.
 */
export async function saveUserKey(
  options: IdentityStoreOptions & { readonly keyPair: MlDsa65KeyPair },
): Promise<UserId> {
  const { directory, keyPair, signal } = options
  const codec = signingCodec('user', options.backend ?? defaultPqcBackend())
  throwIfAborted(signal)
  await ensureIdentityDirectory(directory)
  if (!(await storeKey(directory, 'user', keyPair))) {
    const existing = await loadKey(directory, codec)
    if (existing === undefined || !publicBytesEqual(existing.publicKey, keyPair.publicKey)) {
      const path = join(directory, IDENTITY_FILE_NAMES.user)
      throw new KeyFileExistsError(`a different user key is already stored at ${path}`, { path })
    }
  }
  return userIdFromPublicKey(keyPair.publicKey)
}

/**
 * Loads a user key file kept outside the identity directory (x0x's `user_key_path`).
 *
 * @throws KeyFileNotFoundError when there is no file at `path`; KeyFileCorruptError,
 *   UnsupportedKeyFileVersionError, KeyFileAccessError as `loadOrCreateIdentity`.
 */
export async function loadUserKeyFile(
  path: string,
  options: { readonly backend?: PqcBackend } = {},
): Promise<MlDsa65KeyPair> {
  const keyPair = await loadKeyAt(
    path,
    signingCodec('user', options.backend ?? defaultPqcBackend()),
  )
  if (keyPair === undefined) {
    throw new KeyFileNotFoundError(`no ${describeKeyFileRole('user')} at ${path}`, { path })
  }
  return keyPair
}

/** The identity with `user` as its user key (replacing any user key it had). */
export function withUserKey(identity: Identity, user: MlDsa65KeyPair): Identity {
  return { ...identity, user, userId: userIdFromPublicKey(user.publicKey) }
}

/** A fresh identity held only in memory (tests, demos): machine, agent and agent KEM keys. */
export function createEphemeralIdentity(options: { readonly backend?: PqcBackend } = {}): Identity {
  const backend = options.backend ?? defaultPqcBackend()
  return assembleIdentity(
    backend.generateMlDsa65KeyPair(),
    backend.generateMlDsa65KeyPair(),
    backend.generateMlKem768KeyPair(),
    undefined,
  )
}
