// `<data_dir>/api-token` (API.md §0, §3.3): the bearer token every protected route requires.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomically } from './atomic-write.js'

/** The token file's name inside the data dir. */
export const API_TOKEN_FILE = 'api-token'
/** 32 random bytes, written as 64 hex characters (x0x). */
export const API_TOKEN_BYTES = 32
/** x0x reuses a file whose trimmed content is at least this long, else regenerates it. */
export const MIN_REUSED_TOKEN_LENGTH = 32
/** Owner read/write only: the token is the key to the agent. */
export const SECRET_FILE_MODE = 0o600

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Returns the instance's API token, creating `<dataDir>/api-token` (mode 0600, atomically) at
 * first start. An existing token of at least 32 characters is reused, and its mode tightened to
 * 0600 if someone loosened it; a shorter one is replaced.
 */
export async function loadOrCreateApiToken(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const path = join(dataDir, API_TOKEN_FILE)
  const existing = await readExisting(path)
  if (existing !== undefined && existing.length >= MIN_REUSED_TOKEN_LENGTH) {
    await chmod(path, SECRET_FILE_MODE)
    return existing
  }
  const token = randomBytes(API_TOKEN_BYTES).toString('hex')
  await writeFileAtomically(path, `${token}\n`, SECRET_FILE_MODE)
  return token
}
