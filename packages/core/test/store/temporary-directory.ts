// A fresh directory under the OS temp dir for each test, removed after it.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'

/** Registers the hooks; call the returned function inside a test for the directory. */
export function useTemporaryDirectory(prefix = 'x0x-store-'): () => string {
  let directory: string | undefined
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), prefix))
  })
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true })
    directory = undefined
  })
  return () => {
    if (directory === undefined) throw new Error('no temporary directory outside a test')
    return directory
  }
}

/** A 64-hex id whose value is `index`, typed as whichever id the caller needs. */
export function testId<T extends string>(index: number, prefix = ''): T {
  return (prefix + index.toString(16)).padStart(64, '0') as T
}
