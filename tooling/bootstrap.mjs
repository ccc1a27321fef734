#!/usr/bin/env node
// Bootstrap for `npm start` and `npm test` on a machine that has only Node (>= 20) and npm.
//
// 1. Node >= 24: the system Node when it is new enough, otherwise the `node-<platform>-<arch>`
//    package from the npm registry, installed into the ignored `.tools/node` folder.
// 2. pnpm at the version pinned in `packageManager`, installed into `.tools/pnpm`.
// 3. `pnpm install --frozen-lockfile`, then `pnpm run build`.
// 4. The requested command: `start` (the demo / daemon), `test` (every check CI makes), `setup`.
//
// Plain JavaScript with no dependencies: it has to run on the old Node before anything is installed.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, delimiter } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
const TOOLS = join(ROOT, '.tools')
/** The Node major the workspace runs on (native ML-DSA / ML-KEM, node:sqlite, type stripping). */
const REQUIRED_NODE_MAJOR = 24

const log = (line) => process.stderr.write(`[bootstrap] ${line}\n`)

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options })
  if (result.error) throw result.error
  if (result.status !== 0) {
    const signal = result.signal ? ` (signal ${result.signal})` : ''
    log(`failed: ${command} ${args.join(' ')} exited ${result.status}${signal}`)
    process.exit(result.status ?? 1)
  }
}

function nodeMajor(binary) {
  const result = spawnSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' })
  if (result.status !== 0) return 0
  return Number.parseInt(result.stdout.trim().split('.')[0], 10)
}

function npmInstallInto(folder, spec) {
  // A throwaway prefix with its own package.json so npm never walks up into the workspace.
  run(npmCommand(), [
    'install',
    '--prefix',
    folder,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    spec,
  ])
}

function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm'
}

function ensureNode() {
  if (Number.parseInt(process.versions.node.split('.')[0], 10) >= REQUIRED_NODE_MAJOR) {
    return process.execPath
  }
  const packageName = `node-${process.platform}-${process.arch}`
  const folder = join(TOOLS, 'node')
  const binary = join(folder, 'node_modules', packageName, 'bin', 'node')
  if (!existsSync(binary) || nodeMajor(binary) < REQUIRED_NODE_MAJOR) {
    log(
      `system Node ${process.versions.node} is older than ${REQUIRED_NODE_MAJOR}; installing ${packageName}@${REQUIRED_NODE_MAJOR} into .tools/node`,
    )
    npmInstallInto(folder, `${packageName}@${REQUIRED_NODE_MAJOR}`)
  }
  if (nodeMajor(binary) < REQUIRED_NODE_MAJOR) {
    log(`could not obtain Node ${REQUIRED_NODE_MAJOR} (${binary})`)
    process.exit(1)
  }
  return binary
}

function ensurePnpm() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const [name, version] = manifest.packageManager.split('@')
  const folder = join(TOOLS, 'pnpm')
  const entry = join(folder, 'node_modules', name, 'bin', 'pnpm.cjs')
  const installedManifest = join(folder, 'node_modules', name, 'package.json')
  const installed = existsSync(installedManifest)
    ? JSON.parse(readFileSync(installedManifest, 'utf8')).version
    : undefined
  if (installed !== version) {
    log(`installing ${name}@${version} into .tools/pnpm`)
    npmInstallInto(folder, `${name}@${version}`)
  }
  return entry
}

function cleanEnvironment(nodeBinary) {
  const env = { ...process.env }
  // npm exports its own config and paths to scripts; they describe the old Node, not ours.
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_')) delete env[key]
  }
  env.PATH = [
    dirname(nodeBinary),
    join(TOOLS, 'pnpm', 'node_modules', '.bin'),
    join(ROOT, 'node_modules', '.bin'),
    env.PATH,
  ].join(delimiter)
  env.TURBO_TELEMETRY_DISABLED = '1'
  env.DO_NOT_TRACK = '1'
  return env
}

/** Runs `args` on `nodeBinary` with the terminal attached; returns its exit code. */
function runChild(nodeBinary, args, env) {
  const result = spawnSync(nodeBinary, args, { stdio: 'inherit', env })
  return result.status ?? 1
}

function runDaemon(nodeBinary, main, args, env) {
  const child = spawn(nodeBinary, [main, ...args], { stdio: 'inherit', env })
  // The terminal's Ctrl-C reaches the daemon directly (same process group), so this process
  // only waits; a SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => undefined)
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.on('exit', (code) => {
    process.exit(code ?? 1)
  })
}

const command = process.argv[2] ?? 'setup'
const nodeBinary = ensureNode()
const pnpmEntry = ensurePnpm()
const env = cleanEnvironment(nodeBinary)
const pnpm = (...args) => run(nodeBinary, [pnpmEntry, ...args], { env })

const CLI_MAIN = join(ROOT, 'apps', 'cli', 'dist', 'main.js')
const DAEMON_MAIN = join(ROOT, 'apps', 'daemon', 'dist', 'main.js')

// `x0x` runs the CLI on the bootstrapped Node; it sets up only when nothing was built yet.
if (command !== 'x0x' || !existsSync(CLI_MAIN)) {
  pnpm('install', '--frozen-lockfile', '--prefer-offline')
  pnpm('run', 'build')
}

switch (command) {
  case 'setup':
    break
  case 'test':
    pnpm('run', 'verify')
    break
  case 'start':
    // The daemon with the defaults (or the flags after `npm start --`); Ctrl-C stops it cleanly.
    runDaemon(nodeBinary, DAEMON_MAIN, process.argv.slice(3), env)
    break
  case 'x0x':
    process.exitCode = runChild(nodeBinary, [CLI_MAIN, ...process.argv.slice(3)], env)
    break
  default:
    log(`unknown command ${command}; expected setup, test, start or x0x`)
    process.exit(2)
}
