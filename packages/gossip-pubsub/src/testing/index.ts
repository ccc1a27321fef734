/**
 * `@x0x/gossip-pubsub/testing`: an in-process broadcast simulation over pub/sub nodes (static
 * random overlay, virtual time, real signatures), Plumtree over the membership simulator for the
 * large B3/B4 runs with a memoised verifier, and fast-check arbitraries of pub/sub frames.
 *
 * @packageDocumentation
 */
export {
  createBroadcastSimulation,
  randomOverlay,
  type BroadcastSimulation,
  type BroadcastSimulationInit,
  type MessageFigures,
  type SimulatedNode,
} from './broadcast-simulation.js'
export {
  createOverlayBroadcast,
  type BroadcastCounters,
  type OverlayBroadcast,
  type OverlayBroadcastInit,
} from './overlay-broadcast.js'
export { graphShape, type GraphShape } from './graph-shape.js'
export {
  createMemoisedVerifier,
  type MemoisedVerifier,
  type MemoisedVerifierInit,
} from './memoised-verifier.js'
export {
  createPubsubNetwork,
  type PubsubNetwork,
  type PubsubNetworkInit,
  type PubsubNetworkNode,
} from './pubsub-network.js'
export {
  agentIdArbitrary,
  controlFrameArbitrary,
  messageIdArbitrary,
  topicArbitrary,
} from './arbitraries.js'
