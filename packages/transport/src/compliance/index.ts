/**
 * `@x0x/transport/compliance`: the suite every `Transport` implementation must pass, as vitest
 * `describe` / `it` blocks (vitest is an optional peer dependency, needed only here).
 *
 * The factory makes fresh, started transports for each test, with the limits the suite asks for;
 * the suite dials them at `{ machineId, addresses: listenAddresses }`. `settle()` lets work in
 * flight progress: a memory network flushes its virtual clock, a real-socket transport waits a
 * few milliseconds. The suite waits on events and bounded polls, never on fixed sleeps.
 *
 * @example
 * ```ts
 * import { systemClock } from '@x0x/base'
 * import { createMemoryNetwork } from '@x0x/transport'
 * import { describeTransportCompliance } from '@x0x/transport/compliance'
 *
 * describeTransportCompliance('MemoryTransport', async ({ count, limits }) => {
 *   const network = createMemoryNetwork({ transport: limits }, { clock: systemClock })
 *   const transports = Array.from({ length: count }, () => network.createTransport())
 *   await Promise.all(transports.map((transport) => transport.start()))
 *   return { transports, settle: () => network.flush(), teardown: () => network.stop() }
 * })
 * ```
 *
 * @packageDocumentation
 */
import { afterEach, describe } from 'vitest'
import type { TransportLimits, TransportLimitsInit } from '../transport-limits.js'
import { registerCloseTests } from './close-tests.js'
import { registerConnectTests } from './connect-tests.js'
import {
  COMPLIANCE_LIMITS,
  Harness,
  type ComplianceFactory,
  type ComplianceOptions,
  type ComplianceSuite,
} from './harness.js'
import { registerLimitTests } from './limit-tests.js'
import { registerStreamTests } from './stream-tests.js'

/** Default `pollAttempts`: with a ~20 ms real-time `settle()`, four seconds of patience. */
const DEFAULT_POLL_ATTEMPTS = 200

/**
 * Registers the compliance suite for the transport made by `factory`, under `name`. Call it at
 * the top level of a vitest test file.
 */
export function describeTransportCompliance(
  name: string,
  factory: ComplianceFactory,
  options: ComplianceOptions = {},
): void {
  const pollAttempts = options.pollAttempts ?? DEFAULT_POLL_ATTEMPTS
  const opened: Harness[] = []
  const suite: ComplianceSuite = {
    maxBufferedFrames:
      options.maxBufferedFrames ?? 4 * COMPLIANCE_LIMITS.streamReceiveQueueFrames + 16,
    async open(count: number, limits: TransportLimitsInit = {}): Promise<Harness> {
      const init = { count, limits: { ...COMPLIANCE_LIMITS, ...definedOnly(limits) } }
      const harness = new Harness(await factory(init), init, pollAttempts)
      opened.push(harness)
      return harness
    },
  }
  describe(`${name} transport compliance`, () => {
    afterEach(async () => {
      for (const harness of opened.splice(0)) await harness.close()
    })
    describe('connections', () => {
      registerConnectTests(suite)
    })
    describe('streams', () => {
      registerStreamTests(suite)
    })
    describe('closing', () => {
      registerCloseTests(suite)
    })
    describe('limits', () => {
      registerLimitTests(suite)
    })
  })
}

function definedOnly(limits: TransportLimitsInit): Partial<TransportLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined))
}

export {
  COMPLIANCE_LIMITS,
  type ComplianceFactory,
  type ComplianceNetwork,
  type ComplianceNetworkInit,
  type ComplianceOptions,
} from './harness.js'
