#!/usr/bin/env node
// The layer check (DESIGN.md "Packages and layers"): a package may depend only on packages on a
// strictly lower layer. Checked in three places, so that no route around the rule is left open:
//   1. package.json dependencies, devDependencies, peerDependencies and optionalDependencies;
//   2. tsconfig project references;
//   3. import / export / require / import() specifiers in every source file of the package,
//      including relative paths that climb out of the package into a sibling.
// Exits 1 with one line per violation.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))

/** The layer table from DESIGN.md. Apps sit above every package. */
export const LAYERS = {
  // Private tooling imported only by benchmarks; on layer 0 so that every package may use it.
  '@x0x/bench-kit': 0,
  '@x0x/base': 0,
  '@x0x/pqc': 1,
  '@x0x/transport': 2,
  '@x0x/gossip-membership': 3,
  '@x0x/gossip-pubsub': 4,
  '@x0x/presence': 5,
  '@x0x/rendezvous': 5,
  '@x0x/crdt': 5,
  '@x0x/groups': 6,
  '@x0x/core': 7,
  '@x0x/api': 8,
  x0xd: 9,
  '@x0x/cli': 9,
}

/** Narrower rules on top of the table: the CLI talks to the daemon only through `@x0x/api`. */
const ALLOWED_ONLY = {
  '@x0x/cli': ['@x0x/api', '@x0x/base'],
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.tsx']
const SKIP_DIRECTORIES = new Set(['node_modules', 'dist', '.turbo', 'coverage'])

function listWorkspacePackages(root) {
  const result = []
  for (const group of ['packages', 'apps', 'tooling']) {
    const groupDir = join(root, group)
    if (!existsSync(groupDir)) continue
    for (const name of readdirSync(groupDir)) {
      const dir = join(groupDir, name)
      const manifestPath = join(dir, 'package.json')
      if (!existsSync(manifestPath)) continue
      result.push({ dir, manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) })
    }
  }
  return result
}

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRECTORIES.has(entry)) continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) yield* walk(path)
    else if (SOURCE_EXTENSIONS.some((extension) => path.endsWith(extension))) yield path
  }
}

const SPECIFIER_PATTERNS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
]

function specifiersOf(source) {
  const found = new Set()
  for (const pattern of SPECIFIER_PATTERNS) {
    for (const match of source.matchAll(pattern)) found.add(match[1])
  }
  return found
}

function packageNameOf(specifier) {
  if (!specifier.startsWith('@x0x/') && specifier !== 'x0xd') return undefined
  return specifier.split('/').slice(0, 2).join('/')
}

function stripJsonComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:"])\/\/.*$/gm, '$1')
}

/** Every violation in the workspace at `root`, one readable line each. */
export function checkLayers(root = ROOT) {
  const packages = listWorkspacePackages(root)
  const byDir = new Map(packages.map((entry) => [entry.dir, entry.manifest.name]))
  const violations = []

  const check = (from, to, where) => {
    if (to === from) return
    const fromLayer = LAYERS[from]
    const toLayer = LAYERS[to]
    if (toLayer === undefined) {
      violations.push(`${where}: ${from} depends on ${to}, which is not in the layer table`)
    } else if (!(toLayer < fromLayer)) {
      violations.push(
        `${where}: ${from} (layer ${fromLayer}) depends on ${to} (layer ${toLayer}); dependencies must point strictly downward`,
      )
    } else if (ALLOWED_ONLY[from] && !ALLOWED_ONLY[from].includes(to)) {
      violations.push(`${where}: ${from} may depend only on ${ALLOWED_ONLY[from].join(', ')}`)
    }
  }

  for (const { dir, manifest } of packages) {
    const name = manifest.name
    const label = relative(root, dir)
    if (LAYERS[name] === undefined) {
      violations.push(
        `${label}: package ${name} is not in the layer table (tooling/check-layers.mjs)`,
      )
      continue
    }
    for (const field of [
      'dependencies',
      'devDependencies',
      'peerDependencies',
      'optionalDependencies',
    ]) {
      for (const dependency of Object.keys(manifest[field] ?? {})) {
        const target = packageNameOf(dependency)
        if (target) check(name, target, `${label}/package.json ${field}`)
      }
    }
    for (const tsconfigName of readdirSync(dir).filter((file) => /^tsconfig.*\.json$/.test(file))) {
      const tsconfig = JSON.parse(stripJsonComments(readFileSync(join(dir, tsconfigName), 'utf8')))
      for (const reference of tsconfig.references ?? []) {
        const targetDir = resolve(dir, reference.path)
        const targetPackageDir = [...byDir.keys()].find(
          (candidate) => targetDir === candidate || targetDir.startsWith(candidate + sep),
        )
        if (!targetPackageDir) {
          violations.push(
            `${label}/${tsconfigName}: reference ${reference.path} is outside the workspace packages`,
          )
        } else {
          check(name, byDir.get(targetPackageDir), `${label}/${tsconfigName} reference`)
        }
      }
    }
    for (const file of walk(dir)) {
      const source = readFileSync(file, 'utf8')
      for (const specifier of specifiersOf(source)) {
        const where = relative(root, file)
        const target = packageNameOf(specifier)
        if (target) {
          check(name, target, where)
          if (manifest.name !== target && !hasDeclared(manifest, target)) {
            violations.push(`${where}: imports ${target} without declaring it in package.json`)
          }
        } else if (specifier.startsWith('.')) {
          const resolved = resolve(dirname(file), specifier)
          if (resolved !== dir && !resolved.startsWith(dir + sep)) {
            violations.push(`${where}: relative import ${specifier} leaves the package`)
          }
        }
      }
    }
  }
  return violations
}

function hasDeclared(manifest, target) {
  return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some(
    (field) => manifest[field]?.[target] !== undefined,
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const violations = checkLayers()
  if (violations.length > 0) {
    for (const line of violations) console.error(line)
    console.error(`layer check: ${violations.length} violation(s)`)
    process.exit(1)
  }
  console.log('layer check: every dependency points strictly downward')
}
