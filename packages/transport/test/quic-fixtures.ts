// Shared setup of the QUIC tests: transports on 127.0.0.1 with fresh identities, torn down after
// each test.
import type { Clock } from '@x0x/base'
import { generateMlDsa65KeyPair, type MlDsa65KeyPair } from '@x0x/pqc'
import { afterEach } from 'vitest'
import type { TransportLimitsInit } from '../src/index.js'
import { createQuicTransport, type QuicTransport } from '../src/quic/quic-transport.js'

const started: QuicTransport[] = []

afterEach(async () => {
  await Promise.all(started.splice(0).map((transport) => transport.stop()))
})

/** Where a test transport listens (default 127.0.0.1) and the clock it reads (default system). */
export interface TestTransportOptions {
  readonly host?: string
  readonly clock?: Clock
}

/** A started QUIC transport, stopped after the test. */
export async function startQuicTransport(
  limits: TransportLimitsInit = {},
  machineKey: MlDsa65KeyPair = generateMlDsa65KeyPair(),
  options: TestTransportOptions = {},
): Promise<QuicTransport> {
  const transport = createQuicTransport(
    { ...limits, listen: { host: options.host ?? '127.0.0.1', port: 0 } },
    { machineKey, clock: options.clock },
  )
  started.push(transport)
  await transport.start()
  return transport
}

/** How to dial `transport`. */
export function targetOf(transport: QuicTransport): {
  machineId: QuicTransport['machineId']
  addresses: QuicTransport['listenAddresses']
} {
  return { machineId: transport.machineId, addresses: transport.listenAddresses }
}

/** Polls `condition` every few milliseconds; fails after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`gave up waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
