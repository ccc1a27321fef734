import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ApiEndpointNotFoundError,
  defaultDataDirectory,
  discoverDaemon,
  toBaseUrl,
} from '../src/node.js'

let directory: string

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'x0x-api-'))
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('defaultDataDirectory', () => {
  it('follows dirs::data_dir per platform, with x0x-<name> for named instances', () => {
    expect(defaultDataDirectory({ platform: 'linux', env: {}, home: '/home/a' })).toBe(
      '/home/a/.local/share/x0x',
    )
    expect(
      defaultDataDirectory({
        platform: 'linux',
        env: { XDG_DATA_HOME: '/xdg' },
        home: '/home/a',
        instanceName: 'bob',
      }),
    ).toBe('/xdg/x0x-bob')
    expect(
      defaultDataDirectory({
        platform: 'linux',
        env: { XDG_DATA_HOME: 'relative' },
        home: '/home/a',
      }),
    ).toBe('/home/a/.local/share/x0x')
    expect(defaultDataDirectory({ platform: 'darwin', env: {}, home: '/Users/a' })).toBe(
      '/Users/a/Library/Application Support/x0x',
    )
  })
})

describe('discoverDaemon', () => {
  it('reads api.port (ip:port) and api-token (trimmed)', async () => {
    await writeFile(join(directory, 'api.port'), '127.0.0.1:19101')
    await writeFile(join(directory, 'api-token'), `${'c'.repeat(64)}\n`)
    await expect(discoverDaemon({ dataDirectory: directory, env: {} })).resolves.toEqual({
      baseUrl: 'http://127.0.0.1:19101',
      token: 'c'.repeat(64),
      dataDirectory: directory,
    })
  })

  it('prefers --api and X0X_API_TOKEN', async () => {
    await writeFile(join(directory, 'api.port'), '127.0.0.1:1')
    const found = await discoverDaemon({
      dataDirectory: directory,
      api: 'localhost:5',
      env: { X0X_API_TOKEN: 'env' },
    })
    expect(found).toMatchObject({ baseUrl: 'http://localhost:5', token: 'env' })
  })

  it('falls back to 127.0.0.1:12700 for the default instance only', async () => {
    await expect(discoverDaemon({ dataDirectory: directory, env: {} })).resolves.toMatchObject({
      baseUrl: 'http://127.0.0.1:12700',
      token: undefined,
    })
    await expect(
      discoverDaemon({ dataDirectory: directory, env: {}, instanceName: 'bob' }),
    ).rejects.toBeInstanceOf(ApiEndpointNotFoundError)
  })

  it('keeps a scheme and brackets an IPv6 address as written', () => {
    expect(toBaseUrl('https://x0x.local:1/')).toBe('https://x0x.local:1')
    expect(toBaseUrl('[::1]:12700\n')).toBe('http://[::1]:12700')
  })
})
