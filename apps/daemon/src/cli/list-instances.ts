// `x0xd --list` (API.md §3.1): the local instances that left an `api.port`, and whether each
// answers `/health` (running) or not (stale: killed without a clean stop).
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { dataDirectoriesRoot, type PathEnvironment } from '../config/instance-paths.js'
import { readApiPortFile } from '../files/api-port-file.js'
import { probeHealth } from './cli-io.js'

/** One row of the table. */
export interface InstanceRow {
  /** `default` for `x0x`, else the instance name. */
  readonly name: string
  readonly api: string
  readonly status: 'running' | 'stale'
}

/** Instances are data dirs named `x0x` or `x0x-<name>` under the platform's data dir. */
async function instanceDirectories(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true })
    return entries
      .filter(
        (entry) => entry.isDirectory() && (entry.name === 'x0x' || entry.name.startsWith('x0x-')),
      )
      .map((entry) => entry.name)
      .sort()
  } catch {
    return []
  }
}

/** Finds the instances with an `api.port` and probes each. */
export async function listInstances(
  environment: PathEnvironment,
  timeoutMs: number,
): Promise<InstanceRow[]> {
  const root = dataDirectoriesRoot(environment)
  const rows = await Promise.all(
    (await instanceDirectories(root)).map(async (directory): Promise<InstanceRow | undefined> => {
      const api = await readApiPortFile(join(root, directory)).catch(() => undefined)
      if (api === undefined) return undefined
      const running = await probeHealth(api, timeoutMs)
      const name = directory === 'x0x' ? 'default' : directory.slice('x0x-'.length)
      return { name, api, status: running ? 'running' : 'stale' }
    }),
  )
  return rows.filter((row) => row !== undefined)
}

/** The `NAME API STATUS` table, columns padded to their widest cell. */
export function formatInstanceTable(rows: readonly InstanceRow[]): string {
  const lines = [['NAME', 'API', 'STATUS'], ...rows.map((row) => [row.name, row.api, row.status])]
  const widths = [0, 1].map((column) =>
    Math.max(...lines.map((line) => (line[column] ?? '').length)),
  )
  return (
    lines
      .map((line) =>
        line
          .map((cell, column) => (column < 2 ? cell.padEnd((widths[column] ?? 0) + 2) : cell))
          .join(''),
      )
      .join('\n') + '\n'
  )
}
