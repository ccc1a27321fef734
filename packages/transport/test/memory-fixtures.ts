import { VirtualClock } from '@x0x/base'
import {
  createMemoryNetwork,
  type Connection,
  type DialTarget,
  type FrameStream,
  type MemoryNetwork,
  type MemoryNetworkInit,
  type MemoryTransport,
  type MemoryTransportInit,
  type Transport,
  type TransportEvents,
} from '../src/index.js'

/** A virtual-time network and its clock. */
export interface TestNetwork {
  readonly clock: VirtualClock
  readonly network: MemoryNetwork
  /** Creates and starts a transport. */
  readonly node: (init?: MemoryTransportInit) => Promise<MemoryTransport>
}

export function testNetwork(init: MemoryNetworkInit = {}): TestNetwork {
  const clock = new VirtualClock()
  const network = createMemoryNetwork(init, { clock })
  return {
    clock,
    network,
    node: async (transportInit = {}) => {
      const transport = network.createTransport(transportInit)
      await transport.start()
      return transport
    },
  }
}

export function targetOf(transport: Transport): DialTarget {
  return { machineId: transport.machineId, addresses: transport.listenAddresses }
}

/** Dials while flushing the network, so the dial completes in virtual time. */
export async function connect(
  network: MemoryNetwork,
  from: Transport,
  to: Transport,
): Promise<Connection> {
  const dialing = from.dial(targetOf(to))
  await network.flush()
  return dialing
}

/** Every peer event of a transport, with the virtual time it fired at. */
export interface TimedEvents {
  readonly connects: { at: number; connection: Connection }[]
  readonly disconnects: { at: number; detail: TransportEvents['peer:disconnect'] }[]
}

export function recordEvents(transport: Transport, clock: VirtualClock): TimedEvents {
  const events: TimedEvents = { connects: [], disconnects: [] }
  transport.addEventListener('peer:connect', (event) => {
    events.connects.push({ at: clock.now(), connection: event.detail })
  })
  transport.addEventListener('peer:disconnect', (event) => {
    events.disconnects.push({ at: clock.now(), detail: event.detail })
  })
  return events
}

/** A frame carrying `index` in its first four bytes, `length` bytes long. */
export function indexedFrame(index: number, length = 4): Uint8Array {
  const frame = new Uint8Array(Math.max(4, length))
  new DataView(frame.buffer).setUint32(0, index)
  return frame
}

export function indexOf(frame: Uint8Array): number {
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0)
}

/** Records what a stream's reader receives and when, until the stream ends. */
export function recordArrivals(
  stream: FrameStream,
  clock: VirtualClock,
): { frames: { at: number; index: number }[]; done: Promise<void> } {
  const frames: { at: number; index: number }[] = []
  const done = (async () => {
    for await (const frame of stream) frames.push({ at: clock.now(), index: indexOf(frame) })
  })()
  return { frames, done }
}

/** Makes `kind` streams of `transport` land in `streams`. */
export function collectStreams(transport: Transport, kind: FrameStream['kind']): FrameStream[] {
  const streams: FrameStream[] = []
  transport.handle(kind, (stream) => {
    streams.push(stream)
  })
  return streams
}
