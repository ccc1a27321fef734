import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createEphemeralIdentity,
  loadIdentity,
  loadOrCreateIdentity,
  loadUserKeyFile,
  saveUserKey,
  withUserKey,
} from '../src/identity-store.js'
import { native, noble } from './fixtures.js'

let root: string
let directory: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'x0x-pqc-identity-'))
  directory = join(root, 'identity')
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const fileMode = async (path: string) => (await stat(path)).mode & 0o777

async function corrupt(name: string, change: (bytes: Uint8Array) => Uint8Array) {
  const path = join(directory, name)
  await writeFile(path, change(new Uint8Array(await readFile(path))))
  return path
}

describe('loadOrCreateIdentity', () => {
  it('creates machine, agent and KEM key files with mode 0600 in a 0700 directory', async () => {
    const identity = await loadOrCreateIdentity({ directory, backend: native })
    expect((await readdir(directory)).sort()).toEqual(['agent-kem.key', 'agent.key', 'machine.key'])
    expect(await fileMode(directory)).toBe(0o700)
    for (const name of ['machine.key', 'agent.key', 'agent-kem.key']) {
      expect(await fileMode(join(directory, name))).toBe(0o600)
    }
    expect(identity.user).toBeUndefined()
    expect(identity.userId).toBeUndefined()
    expect(identity.agentId).not.toBe(identity.machineId)
  })

  it('reloads the same identity, on either backend', async () => {
    const first = await loadOrCreateIdentity({ directory, backend: native })
    const again = await loadOrCreateIdentity({ directory, backend: native })
    const withNoble = await loadIdentity({ directory, backend: noble })
    for (const loaded of [again, withNoble]) {
      expect(loaded.agentId).toBe(first.agentId)
      expect(loaded.machineId).toBe(first.machineId)
      expect(loaded.agentKem.publicKey).toEqual(first.agentKem.publicKey)
    }
    expect(withNoble.agent.backend).toBe('noble')
  })

  it('gives concurrent callers one identity', async () => {
    const [left, right] = await Promise.all([
      loadOrCreateIdentity({ directory, backend: native }),
      loadOrCreateIdentity({ directory, backend: native }),
    ])
    expect(left.agentId).toBe(right.agentId)
    expect(left.machineId).toBe(right.machineId)
    expect(left.agentKem.publicKey).toEqual(right.agentKem.publicKey)
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('creates only the missing keys and keeps the rest', async () => {
    const first = await loadOrCreateIdentity({ directory, backend: native })
    await rm(join(directory, 'agent-kem.key'))
    const second = await loadOrCreateIdentity({ directory, backend: native })
    expect(second.agentId).toBe(first.agentId)
    expect(second.agentKem.publicKey).not.toEqual(first.agentKem.publicKey)
  })

  it('stops with AbortError when the signal has fired', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      loadOrCreateIdentity({ directory, backend: native, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('damaged key files are errors, never regenerated', () => {
  beforeEach(async () => {
    await loadOrCreateIdentity({ directory, backend: native })
  })

  it.each([
    [
      'a flipped public-key bit',
      'agent.key',
      (b: Uint8Array) => flip(b, 1000),
      /does not derive from its seed/,
    ],
    [
      'a flipped seed bit',
      'agent-kem.key',
      (b: Uint8Array) => flip(b, 10),
      /does not derive from its seed/,
    ],
    [
      'truncation',
      'machine.key',
      (b: Uint8Array) => b.subarray(0, 1500),
      /1500 bytes, expected 1990/,
    ],
    ['an empty file', 'agent.key', () => new Uint8Array(0), /truncated \(0 bytes\)/],
    ['a trailing byte', 'agent.key', (b: Uint8Array) => Uint8Array.of(...b, 0), /1991 bytes/],
    ['random text', 'machine.key', () => new TextEncoder().encode('# not a key file'), /bad magic/],
  ])('%s', async (_label, name, change, message) => {
    const path = await corrupt(name, change)
    const damaged = await readFile(path)
    await expect(loadOrCreateIdentity({ directory, backend: native })).rejects.toMatchObject({
      name: 'KeyFileCorruptError',
      path,
      message: expect.stringMatching(message) as unknown,
    })
    expect(await readFile(path)).toEqual(damaged)
  })

  it('a key file swapped for another role', async () => {
    await writeFile(join(directory, 'agent.key'), await readFile(join(directory, 'machine.key')))
    await expect(loadIdentity({ directory, backend: native })).rejects.toThrow(
      /agent key \(ML-DSA-65\) file .* holds a machine key/,
    )
  })

  it('a file from a newer format version', async () => {
    await corrupt('agent.key', (bytes) => {
      bytes[4] = 7
      return bytes
    })
    await expect(loadOrCreateIdentity({ directory, backend: native })).rejects.toMatchObject({
      name: 'UnsupportedKeyFileVersionError',
      version: 7,
    })
  })

  it('an oversized file', async () => {
    await writeFile(join(directory, 'machine.key'), new Uint8Array(100_000))
    await expect(loadOrCreateIdentity({ directory, backend: native })).rejects.toThrow(
      /too large for a key/,
    )
  })

  it('a directory where a key file should be', async () => {
    await rm(join(directory, 'agent.key'))
    await mkdir(join(directory, 'agent.key'))
    await expect(loadOrCreateIdentity({ directory, backend: native })).rejects.toMatchObject({
      name: 'KeyFileAccessError',
    })
  })
})

describe('loadIdentity', () => {
  it('never creates keys', async () => {
    await expect(loadIdentity({ directory, backend: native })).rejects.toMatchObject({
      name: 'KeyFileNotFoundError',
      path: join(directory, 'machine.key'),
    })
  })
})

describe('saveUserKey', () => {
  it('stores a user key that later loads are given', async () => {
    const created = await loadOrCreateIdentity({ directory, backend: native })
    const user = native.generateMlDsa65KeyPair()
    const userId = await saveUserKey({ directory, keyPair: user, backend: native })
    expect(await fileMode(join(directory, 'user.key'))).toBe(0o600)
    const loaded = await loadOrCreateIdentity({ directory, backend: native })
    expect(loaded.userId).toBe(userId)
    expect(loaded.user?.publicKey).toEqual(user.publicKey)
    expect(loaded.agentId).toBe(created.agentId)
    await expect(saveUserKey({ directory, keyPair: user })).resolves.toBe(userId)
  })

  it('refuses to replace a different user key', async () => {
    await saveUserKey({ directory, keyPair: native.generateMlDsa65KeyPair() })
    await expect(
      saveUserKey({ directory, keyPair: native.generateMlDsa65KeyPair() }),
    ).rejects.toMatchObject({ name: 'KeyFileExistsError' })
  })
})

describe('loadUserKeyFile', () => {
  it('loads a user key kept outside the identity directory and attaches it', async () => {
    const elsewhere = join(root, 'elsewhere')
    const user = native.generateMlDsa65KeyPair()
    const userId = await saveUserKey({ directory: elsewhere, keyPair: user, backend: native })
    const loaded = await loadUserKeyFile(join(elsewhere, 'user.key'), { backend: native })
    expect(loaded.publicKey).toEqual(user.publicKey)
    const identity = withUserKey(await loadOrCreateIdentity({ directory, backend: native }), loaded)
    expect(identity.userId).toBe(userId)
  })

  it('is a typed error when the file is missing or damaged', async () => {
    await expect(loadUserKeyFile(join(root, 'none.key'))).rejects.toMatchObject({
      name: 'KeyFileNotFoundError',
    })
    const elsewhere = join(root, 'elsewhere')
    await saveUserKey({ directory: elsewhere, keyPair: native.generateMlDsa65KeyPair() })
    const path = join(elsewhere, 'user.key')
    await writeFile(path, flip(new Uint8Array(await readFile(path)), 40))
    await expect(loadUserKeyFile(path)).rejects.toMatchObject({ name: 'KeyFileCorruptError' })
  })
})

describe('createEphemeralIdentity', () => {
  it('makes distinct keys in memory without a user key', () => {
    const identity = createEphemeralIdentity({ backend: native })
    expect(identity.agentId).not.toBe(identity.machineId)
    expect(identity.agentKem.publicKey).toHaveLength(1184)
    expect(identity.user).toBeUndefined()
  })
})

function flip(bytes: Uint8Array, index: number): Uint8Array {
  bytes[index] = (bytes[index] ?? 0) ^ 0x40
  return bytes
}
