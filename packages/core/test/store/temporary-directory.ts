// A fresh directory under the OS temp dir for each test, removed after it.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgentId, MachineId, UserId } from '@x0x/pqc'
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

/** The 64-hex id whose value is `index`. */
export function testId(index: number): string {
  return index.toString(16).padStart(64, '0')
}

export function testAgentId(index: number): AgentId {
  return testId(index) as AgentId
}

export function testMachineId(index: number): MachineId {
  return testId(index) as MachineId
}

export function testUserId(index: number): UserId {
  return testId(index) as UserId
}
