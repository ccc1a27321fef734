// Two processes over real QUIC on loopback: the child runs the built package.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { MachineId } from '@x0x/pqc'
import { afterEach, describe, expect, it } from 'vitest'
import type { PeerAddress, TransportEvents } from '../src/index.js'
import { startQuicTransport } from './quic-fixtures.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/quic-echo-peer.mjs', import.meta.url))
const BUILT = fileURLToPath(new URL('../dist/quic/quic-transport.js', import.meta.url))

interface ChildPeer {
  readonly process: ChildProcess
  readonly machineId: MachineId
  readonly address: PeerAddress
}

const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

async function spawnPeer(): Promise<ChildPeer> {
  const child = spawn(process.execPath, [FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => {
      reject(new Error(`the peer process exited with ${code} before it started`))
    })
  })
  const { machineId, address } = JSON.parse(first) as { machineId: MachineId; address: PeerAddress }
  return { process: child, machineId, address }
}

describe('QuicTransport across processes', () => {
  it.runIf(existsSync(BUILT))(
    'exchanges sealed frames with another process and sees it die as peer:disconnect',
    async () => {
      const peer = await spawnPeer()
      const local = await startQuicTransport({ idleTimeoutMs: 3_000, keepaliveIntervalMs: 500 })
      const connection = await local.dial({ machineId: peer.machineId, addresses: [peer.address] })
      expect(connection.remoteMachineId).toBe(peer.machineId)
      const stream = await connection.openStream('direct')
      const frames = Array.from({ length: 20 }, (_, index) => new Uint8Array(10_000).fill(index))
      const replies = (async () => {
        const received: Uint8Array[] = []
        for await (const frame of stream) received.push(frame)
        return received
      })()
      for (const frame of frames) await stream.send(frame)
      await stream.closeWrite()
      const received = await replies
      expect(received.map((frame) => [frame.length, frame[0]])).toEqual(
        frames.map((frame) => [frame.length, frame[0]]),
      )

      const disconnected = new Promise<TransportEvents['peer:disconnect']>((resolve) => {
        local.addEventListener('peer:disconnect', (event) => {
          resolve(event.detail)
        })
      })
      peer.process.kill('SIGKILL')
      const { connection: lost, reason } = await disconnected
      // Nothing answers any more: QUIC's idle timeout (3 s here) declares the path dead.
      expect(lost).toBe(connection)
      expect(reason).toBe('idle-timeout')
      expect(local.getConnections()).toEqual([])
    },
  )
})
