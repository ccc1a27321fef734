#!/usr/bin/env node
// The packaging check (DESIGN.md: "each package installs and works alone"): pack every published
// package exactly as it would be published (`pnpm pack` turns `workspace:^` into real semver
// ranges), install the tarballs into a scratch project outside the workspace with plain npm, and
// import each package there. A package that relies on a sibling it does not declare, forgets a
// file in `files`, or exports a path that does not exist fails here.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options })
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    )
  }
  return result.stdout
}

function publishedPackages() {
  return ['packages', 'apps']
    .map((group) => join(ROOT, group))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
    .filter((packageDir) => existsSync(join(packageDir, 'package.json')))
    .map((packageDir) => ({
      dir: packageDir,
      manifest: JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => manifest.private !== true)
}

const scratch = mkdtempSync(join(tmpdir(), 'x0x-packaging-'))
try {
  const packages = publishedPackages()
  const tarballs = {}
  for (const { dir, manifest } of packages) {
    const output = run('pnpm', ['pack', '--pack-destination', scratch], { cwd: dir })
    const tarball = output
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.endsWith('.tgz'))
    if (!tarball) throw new Error(`pnpm pack printed no tarball for ${manifest.name}`)
    tarballs[manifest.name] = `file:${tarball.startsWith('/') ? tarball : join(scratch, tarball)}`
  }
  // A consumer of a subpath with optional peers (`./testing` needs fast-check, `./compliance`
  // vitest) installs those peers itself; so does the scratch project.
  const peers = {}
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (!name.startsWith('@x0x/')) peers[name] = range
    }
  }
  // Overrides make a packed package's dependency on a sibling resolve to the sibling's tarball,
  // never to whatever the registry holds under that name.
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({
      name: 'x0x-packaging-check',
      private: true,
      type: 'module',
      dependencies: { ...peers, ...tarballs },
      overrides: tarballs,
    }),
  )
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], {
    cwd: scratch,
    env: { ...process.env, npm_config_engine_strict: 'false' },
  })
  for (const { manifest } of packages) {
    const subpaths = Object.keys(manifest.exports ?? { '.': null })
    for (const subpath of subpaths) {
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`
      const probe = `const m = await import(${JSON.stringify(specifier)}); const n = Object.keys(m).length; if (n === 0) throw new Error('no exports'); console.log(${JSON.stringify(specifier)} + ': ' + n + ' exports')`
      process.stdout.write(
        run(process.execPath, ['--input-type=module', '-e', probe], { cwd: scratch }),
      )
    }
  }
  // Every command a package installs runs from the scratch project (`--version` or `--help`).
  for (const { manifest } of packages) {
    for (const [command, target] of Object.entries(manifest.bin ?? {})) {
      const entry = join(scratch, 'node_modules', manifest.name, target)
      const flag = command === 'x0xd' ? '--version' : '--help'
      const output = run(process.execPath, [entry, flag], { cwd: scratch })
      console.log(`${command} ${flag}: ${output.trim().split('\n')[0]}`)
    }
  }
  console.log(
    `packaging check: ${packages.length} packages install and import outside the workspace`,
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
