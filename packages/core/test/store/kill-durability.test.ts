// A kill -9 at any moment loses nothing an API call acknowledged: a child process adds contacts
// and prints each id after `add` returned; the parent SIGKILLs it mid-stream, reopens the file
// and finds every printed contact.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { AgentId } from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import { createContactBook } from '../../src/contacts/contact-book.js'
import { openDatabase } from '../../src/store/database.js'
import { useTemporaryDirectory } from './temporary-directory.js'

const WRITER = fileURLToPath(new URL('./fixtures/contact-writer.ts', import.meta.url))
/** Acknowledgements to wait for before the kill. */
const ACKS_BEFORE_KILL = 200

describe('durability against kill -9', () => {
  const directory = useTemporaryDirectory()

  it('keeps every contact whose add was acknowledged before SIGKILL', async () => {
    const path = `${directory()}/x0x.sqlite`
    const child = spawn(process.execPath, [WRITER, path], { stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = once(child, 'close')
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    let buffered = ''
    const acknowledged: string[] = []
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      acknowledged.push(...lines)
      if (acknowledged.length >= ACKS_BEFORE_KILL) child.kill('SIGKILL')
    })
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null]
    expect({ code, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' })
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL)

    const database = openDatabase(path)
    try {
      const contacts = createContactBook(database)
      const missing = acknowledged.filter(
        (agentId) => contacts.get(agentId as AgentId) === undefined,
      )
      expect(missing).toEqual([])
      expect(contacts.get(acknowledged[0] as AgentId)).toMatchObject({
        trustLevel: 'trusted',
        label: 'contact 0',
      })
      // The writer may have committed a few more than it printed, never fewer.
      expect(contacts.size).toBeGreaterThanOrEqual(acknowledged.length)
    } finally {
      database.close()
    }
  })
})
