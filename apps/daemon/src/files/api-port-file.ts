// `<data_dir>/api.port` (API.md §3.3): the actually bound `ip:port`, so clients find an instance
// listening on an ephemeral port. Removed on a clean stop; stale after kill -9.
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomically } from './atomic-write.js'

export const API_PORT_FILE = 'api.port'

/** Writes `address` (`127.0.0.1:19101`) to `<dataDir>/api.port`. */
export async function writeApiPortFile(dataDir: string, address: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await writeFileAtomically(join(dataDir, API_PORT_FILE), `${address}\n`, 0o644)
}

/** The address in `<dataDir>/api.port`, or `undefined` if there is none. */
export async function readApiPortFile(dataDir: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(dataDir, API_PORT_FILE), 'utf8')).trim()
    return text === '' ? undefined : text
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Removes `<dataDir>/api.port` if it still holds `address`: a second instance that took over the
 * data dir after us keeps its file.
 */
export async function removeApiPortFile(dataDir: string, address: string): Promise<void> {
  if ((await readApiPortFile(dataDir)) !== address) return
  await rm(join(dataDir, API_PORT_FILE), { force: true })
}
