// `x0xd doctor` (API.md §3.1): PASS / WARN / FAIL checks an operator can act on.
import { constants } from 'node:fs'
import { access, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DaemonConfig } from '../config/daemon-config.js'
import { API_TOKEN_FILE } from '../files/api-token.js'
import { readApiPortFile } from '../files/api-port-file.js'
import { probeHealth } from './cli-io.js'

export type CheckOutcome = 'PASS' | 'WARN' | 'FAIL'

/** One line of the report. */
export interface DoctorCheck {
  readonly outcome: CheckOutcome
  readonly message: string
}

async function dataDirCheck(dataDir: string): Promise<DoctorCheck> {
  try {
    await access(dataDir, constants.F_OK)
  } catch {
    return {
      outcome: 'WARN',
      message: `data dir ${dataDir} does not exist yet (created at first start)`,
    }
  }
  const probe = join(dataDir, `.doctor-${process.pid}`)
  try {
    await writeFile(probe, '', { flag: 'wx', mode: 0o600 })
    await rm(probe, { force: true })
    return { outcome: 'PASS', message: `data dir ${dataDir} is writable` }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    return { outcome: 'FAIL', message: `data dir ${dataDir} is not writable (${code})` }
  }
}

async function apiCheck(config: DaemonConfig, timeoutMs: number): Promise<DoctorCheck> {
  const fromFile = await readApiPortFile(config.dataDir).catch(() => undefined)
  if (fromFile === undefined) {
    return {
      outcome: 'WARN',
      message: `no api.port in ${config.dataDir}: the daemon is not running`,
    }
  }
  return (await probeHealth(fromFile, timeoutMs))
    ? { outcome: 'PASS', message: `API reachable at ${fromFile} (/health)` }
    : { outcome: 'FAIL', message: `API not reachable at ${fromFile} (stale api.port?)` }
}

async function tokenCheck(dataDir: string): Promise<DoctorCheck> {
  const path = join(dataDir, API_TOKEN_FILE)
  try {
    const mode = (await stat(path)).mode & 0o777
    const octal = mode.toString(8).padStart(4, '0')
    return (mode & 0o077) === 0
      ? { outcome: 'PASS', message: `token file ${path} has mode ${octal}` }
      : { outcome: 'FAIL', message: `token file ${path} has mode ${octal}; run chmod 600 ${path}` }
  } catch {
    return { outcome: 'WARN', message: `no token file ${path} yet (created at first start)` }
  }
}

/** Runs every check against a valid config. */
export async function runDoctorChecks(
  config: DaemonConfig,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  return [
    {
      outcome: 'PASS',
      message: `configuration is valid${config.configPath === undefined ? ' (built-in defaults)' : ` (${config.configPath})`}`,
    },
    await dataDirCheck(config.dataDir),
    await apiCheck(config, timeoutMs),
    await tokenCheck(config.dataDir),
  ]
}

export function formatDoctorReport(checks: readonly DoctorCheck[]): string {
  return checks.map((check) => `${check.outcome.padEnd(4)}  ${check.message}\n`).join('')
}
