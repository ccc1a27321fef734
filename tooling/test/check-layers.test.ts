import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkLayers } from '../check-layers.mjs'

let root: string

function write(path: string, content: string | object): void {
  const full = join(root, path)
  mkdirSync(dirname(full), { recursive: true })
  writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content))
}

function addPackage(dir: string, name: string, extra: object = {}): void {
  write(`${dir}/package.json`, { name, ...extra })
  write(`${dir}/src/index.ts`, 'export const x = 1\n')
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'x0x-layers-'))
  addPackage('packages/base', '@x0x/base')
  addPackage('packages/pqc', '@x0x/pqc', { dependencies: { '@x0x/base': 'workspace:^' } })
})

afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('checkLayers', () => {
  it('accepts a workspace whose dependencies all point downward', () => {
    write('packages/pqc/src/a.ts', "import { X0xError } from '@x0x/base'\n")
    expect(checkLayers(root)).toEqual([])
  })

  it('rejects a dependency on a higher layer in package.json', () => {
    addPackage('packages/base', '@x0x/base', { devDependencies: { '@x0x/pqc': 'workspace:^' } })
    expect(checkLayers(root).join('\n')).toMatch(/@x0x\/base \(layer 0\) depends on @x0x\/pqc/)
  })

  it('rejects a dependency between packages on the same layer', () => {
    addPackage('packages/crdt', '@x0x/crdt', { dependencies: { '@x0x/presence': 'workspace:^' } })
    addPackage('packages/presence', '@x0x/presence')
    expect(checkLayers(root).join('\n')).toMatch(
      /@x0x\/crdt \(layer 5\) depends on @x0x\/presence \(layer 5\)/,
    )
  })

  it('rejects an upward import in source even when package.json is clean', () => {
    write('packages/base/test/a.test.ts', "const m = await import('@x0x/pqc')\n")
    expect(checkLayers(root).join('\n')).toMatch(
      /packages\/base\/test\/a\.test\.ts.*depends on @x0x\/pqc/,
    )
  })

  it('rejects an import of a lower package that is not declared', () => {
    addPackage('packages/transport', '@x0x/transport')
    write('packages/transport/src/a.ts', "export { X0xError } from '@x0x/base'\n")
    expect(checkLayers(root).join('\n')).toMatch(/imports @x0x\/base without declaring it/)
  })

  it('rejects a relative import that climbs into a sibling package', () => {
    write('packages/pqc/src/a.ts', "import '../../base/src/index.js'\n")
    expect(checkLayers(root).join('\n')).toMatch(/relative import .* leaves the package/)
  })

  it('rejects an upward tsconfig reference', () => {
    write('packages/base/tsconfig.build.json', '{ "references": [{ "path": "../pqc" }] }')
    expect(checkLayers(root).join('\n')).toMatch(/tsconfig\.build\.json reference/)
  })

  it('rejects a package missing from the layer table', () => {
    addPackage('packages/mystery', '@x0x/mystery')
    expect(checkLayers(root).join('\n')).toMatch(/not in the layer table/)
  })

  it('lets the CLI use only the API package', () => {
    addPackage('packages/core', '@x0x/core')
    addPackage('apps/cli', '@x0x/cli', { dependencies: { '@x0x/core': 'workspace:^' } })
    expect(checkLayers(root).join('\n')).toMatch(/@x0x\/cli may depend only on @x0x\/api/)
  })
})
