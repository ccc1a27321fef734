/**
 * `@x0x/gossip-membership/testing`: the overlay simulator and its metrics, for this package's
 * tests and benchmarks and for the layers above (pub/sub reuses it for broadcast metrics).
 *
 * - `createSimulation`: N nodes running the real protocol core over a lightweight seeded network
 *   on a `VirtualClock` (latency, loss, partitions, crashes); scales to 10,000 nodes.
 * - `createMembershipNetwork`: N full `Membership` services over `MemoryTransport`, for small N.
 *
 * @example
 * ```ts
 * import { createSimulation } from '@x0x/gossip-membership/testing'
 *
 * const simulation = createSimulation({ seed: 7 })
 * simulation.addNodes(200, { intervalMs: 50 })
 * simulation.run(30_000)
 * simulation.metrics().connected // true
 * ```
 *
 * @packageDocumentation
 */
export {
  Simulation,
  createSimulation,
  type AddNodesOptions,
  type LatencyModel,
  type LossMode,
  type RunUntilOptions,
  type SimulatedNode,
  type SimulationInit,
} from './simulator.js'
export {
  computeOverlayMetrics,
  type OverlayMetrics,
  type OverlayNodeView,
} from './overlay-metrics.js'
export {
  createMembershipNetwork,
  type MembershipNetwork,
  type MembershipNetworkInit,
  type MembershipNetworkNode,
} from './memory-harness.js'
