/**
 * `@x0x/gossip-pubsub/testing`: an in-process broadcast simulation over pub/sub nodes (static
 * random overlay, virtual time, real signatures) and fast-check arbitraries of pub/sub frames.
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
