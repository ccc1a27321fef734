import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createX0xClient } from '@x0x/api'
import { defaultDataDirectory, toBaseUrl } from '@x0x/api/node'
import { renderTable } from '../output/render.js'
import type { CliEnvironment, Command } from './command-context.js'

/** How long one instance gets to answer `/health` before it is listed as not responding. */
const PROBE_TIMEOUT_MS = 2_000

/** An instance directory: `x0x` (default) or `x0x-<name>` (API.md §3.1 instance names). */
const INSTANCE_DIRECTORY = /^x0x(?:-([A-Za-z0-9][A-Za-z0-9-]{0,63}))?$/

/** One row of `x0x instances`. */
export interface InstanceRow {
  readonly name: string
  readonly api: string | null
  readonly status: string
  readonly data_dir: string
}

/** The directory holding every instance's data directory (`~/.local/share` on Linux). */
export function dataDirectoryRoot(environment: CliEnvironment): string {
  return dirname(
    defaultDataDirectory({
      platform: environment.platform,
      env: environment.env,
      home: environment.home,
    }),
  )
}

/** The trimmed `api.port` of a data directory, or `undefined` without one. */
export async function readPortFile(directory: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(directory, 'api.port'), 'utf8')).trim()
    return text === '' ? undefined : text
  } catch {
    return undefined
  }
}

async function probe(address: string, signal: AbortSignal): Promise<string> {
  try {
    const client = createX0xClient({ baseUrl: toBaseUrl(address), timeoutMs: PROBE_TIMEOUT_MS })
    const health = await client.health({ signal })
    return `${health.status} (${health.peers} peers)`
  } catch {
    // A port file survives kill -9 (API.md §3.3), so a stale one is expected, not an error.
    return 'not responding'
  }
}

/** Every instance directory under the data root, with its address and a live `/health` probe. */
export async function listInstances(
  environment: CliEnvironment,
  signal: AbortSignal,
): Promise<InstanceRow[]> {
  const root = dataDirectoryRoot(environment)
  let entries: string[]
  try {
    entries = (await readdir(root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && INSTANCE_DIRECTORY.test(entry.name))
      .map((entry) => entry.name)
      .sort()
  } catch {
    return []
  }
  return Promise.all(
    entries.map(async (entry) => {
      const directory = join(root, entry)
      const port = await readPortFile(directory)
      const name = INSTANCE_DIRECTORY.exec(entry)?.[1] ?? '(default)'
      const status = port === undefined ? 'stopped' : await probe(port, signal)
      return { name, api: port ?? null, status, data_dir: directory }
    }),
  )
}

export const instancesCommand: Command = {
  name: 'instances',
  summary: 'List local daemon instances and whether they answer',
  hidden: true,
  run: async (context) => {
    const rows = await listInstances(context.environment, context.signal)
    context.output.result(rows, () =>
      rows.length === 0
        ? `no instances under ${dataDirectoryRoot(context.environment)}\n`
        : renderTable(rows, { color: context.output.color }, ['name', 'api', 'status']),
    )
    return undefined
  },
}
