import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadOrCreateApiToken } from '../../src/index.js'

let dataDir: string
beforeEach(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'x0xd-token-')), 'data')
})
afterEach(async () => {
  await rm(join(dataDir, '..'), { recursive: true, force: true })
})

describe('api-token', () => {
  it('creates 64 hex chars with mode 0600 and no temporary file left behind', async () => {
    const token = await loadOrCreateApiToken(dataDir)
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    const path = join(dataDir, 'api-token')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await readFile(path, 'utf8')).trim()).toBe(token)
    expect(await readdir(dataDir)).toEqual(['api-token'])
  })

  it('reuses an existing token of at least 32 characters and tightens its mode', async () => {
    const first = await loadOrCreateApiToken(dataDir)
    const path = join(dataDir, 'api-token')
    await chmod(path, 0o644)
    expect(await loadOrCreateApiToken(dataDir)).toBe(first)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await writeFile(path, `  ${'x'.repeat(32)}\n`)
    expect(await loadOrCreateApiToken(dataDir)).toBe('x'.repeat(32))
  })

  it('regenerates a token shorter than 32 characters', async () => {
    await loadOrCreateApiToken(dataDir)
    await writeFile(join(dataDir, 'api-token'), 'short')
    expect(await loadOrCreateApiToken(dataDir)).toMatch(/^[0-9a-f]{64}$/)
  })
})
