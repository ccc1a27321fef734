// One daemon's life: identity and state survive a restart and a kill -9; SIGTERM and
// POST /shutdown stop it cleanly and remove api.port; the token file is private.
import { access, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateMlDsa65KeyPair, saveUserKey } from '@x0x/pqc'
import { afterEach, describe, expect, it } from 'vitest'
import { poll, removeDaemons, startDaemon, type DaemonProcess } from './daemon-process.js'

const started: DaemonProcess[] = []
const jsonPost = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

afterEach(async () => {
  await removeDaemons(started.splice(0))
})

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

describe('x0xd lifecycle', () => {
  it('keeps its identity and contacts across a clean restart and a kill -9', async () => {
    const first = await startDaemon()
    started.push(first)
    const identity = await first.json<{ agent_id: string; machine_id: string }>('/agent')
    const contact = 'ab'.repeat(32)
    const added = await first.api(
      '/contacts',
      jsonPost({ agent_id: contact, trust_level: 'known' }),
    )
    expect(added.status).toBe(201)
    expect(await first.stop()).toBe(0)
    expect(await exists(join(first.dataDir, 'api.port'))).toBe(false)

    const second = await startDaemon({ root: first.root })
    started.push(second)
    expect(await second.json('/agent')).toMatchObject(identity)
    const other = 'cd'.repeat(32)
    await second.api('/contacts', jsonPost({ agent_id: other, trust_level: 'trusted' }))
    await second.kill()

    const third = await startDaemon({ root: first.root })
    started.push(third)
    const { contacts } = await third.json<{
      contacts: { agent_id: string; trust_level: string }[]
    }>('/contacts')
    expect(contacts.map((entry) => [entry.agent_id, entry.trust_level]).sort()).toEqual([
      [contact, 'known'],
      [other, 'trusted'],
    ])
    expect((await stat(join(third.dataDir, 'api-token'))).mode & 0o777).toBe(0o600)
  })

  it('uses the user key of user_key_path and announces it only with consent', async () => {
    const keys = await mkdtemp(join(tmpdir(), 'x0x-user-key-'))
    try {
      const userId = await saveUserKey({ directory: keys, keyPair: generateMlDsa65KeyPair() })
      const daemon = await startDaemon({
        extraConfig: `user_key_path = ${JSON.stringify(join(keys, 'user.key'))}`,
      })
      started.push(daemon)
      expect(await daemon.json('/agent/user-id')).toEqual({ ok: true, user_id: userId })
      const refused = await daemon.api('/announce', jsonPost({ include_user_identity: true }))
      expect(refused.status).toBe(400)
      const announced = await daemon.api(
        '/announce',
        jsonPost({ include_user_identity: true, human_consent: true }),
      )
      expect(await announced.json()).toEqual({ ok: true, include_user_identity: true })
    } finally {
      await rm(keys, { recursive: true, force: true })
    }
  })

  it('stops on POST /shutdown and removes api.port', async () => {
    const daemon = await startDaemon()
    started.push(daemon)
    const response = await daemon.api('/shutdown', { method: 'POST' })
    expect(await response.json()).toEqual({ ok: true, message: 'shutting down' })
    await poll(() => (daemon.child.exitCode === null ? undefined : true), 'x0xd exits', 5_000)
    expect(daemon.child.exitCode).toBe(0)
    expect(await exists(join(daemon.dataDir, 'api.port'))).toBe(false)
  })
})
