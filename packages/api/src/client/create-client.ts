import {
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_MAX_EVENT_LINE_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from '../constants.js'
import { routes } from '../routes/routes.js'
import type { RouteDefinition, RouteRequest } from '../routes/route.js'
import type { EventStreamLimits } from './event-stream.js'
import { callRoute, type CallOptions, type ClientSettings, type RouteInput } from './route-call.js'
import { streamRoute, type EventStreamOptions } from './server-sent-events.js'
import { connectWebSocket, type WebSocketConnectOptions } from './websocket-session.js'

/** Options of `createX0xClient`. */
export interface X0xClientInit {
  /** The daemon, e.g. `http://127.0.0.1:12700`. Required. */
  baseUrl: string
  /** The API token (`<data_dir>/api-token`). Default: none (only `/health` works). */
  token?: string | undefined
  /** The `fetch` to use. Default: `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch
  /** The `WebSocket` class to use. Default: `globalThis.WebSocket`. */
  WebSocket?: typeof WebSocket
  /** Per-request deadline in ms (streams have none). Default: 30,000, as the x0x CLI. */
  timeoutMs?: number
  /**
   * Check every response and event against its schema (throws `InvalidResponseError`). Unknown
   * fields always pass. Default: false (trust the daemon, skip the cost).
   */
  validateResponses?: boolean
  /** Longest SSE line accepted. Default: 2 MiB (`DEFAULT_MAX_EVENT_LINE_BYTES`). */
  maxEventLineLength?: number
  /** Largest SSE event accepted. Default: 2 MiB (`DEFAULT_MAX_EVENT_BYTES`). */
  maxEventLength?: number
}

const { system, identity, network, discovery, pubsub, direct, contacts, websocket } = routes

/** Creates a typed client for the daemon's REST, SSE and WebSocket API (Node and browsers). */
// The return type is inferred on purpose: it is the route table, typed.
export function createX0xClient(init: X0xClientInit) {
  const settings: ClientSettings = {
    baseUrl: init.baseUrl,
    token: init.token,
    fetch: init.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: init.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    validateResponses: init.validateResponses ?? false,
  }
  const limits: EventStreamLimits = {
    maxLineLength: init.maxEventLineLength ?? DEFAULT_MAX_EVENT_LINE_BYTES,
    maxEventLength: init.maxEventLength ?? DEFAULT_MAX_EVENT_BYTES,
  }
  const call = <const Route extends RouteDefinition>(
    route: Route,
    input: RouteInput<Route>,
    options?: CallOptions,
  ) => callRoute(settings, route, input, options)
  const stream = <const Route extends RouteDefinition>(
    route: Route,
    options?: EventStreamOptions,
  ) => streamRoute(settings, limits, route, options)
  const webSocketOptions = (options: WebSocketConnectOptions) => ({
    ...options,
    WebSocket: init.WebSocket,
  })
  const agentParams = (agentId: string) => ({ agent_id: agentId })
  const machineParams = (agentId: string, machineId: string) => ({
    agent_id: agentId,
    machine_id: machineId,
  })
  type Body<Route> = RouteRequest<Route>

  return {
    /** Calls any route of the registry: for routes without a method here yet. */
    call,
    /** Streams any SSE route of the registry. */
    stream,
    health: (options?: CallOptions) => call(system.health, {}, options),
    status: (options?: CallOptions) => call(system.status, {}, options),
    shutdown: (options?: CallOptions) => call(system.shutdown, {}, options),
    announce: (body?: Body<typeof identity.announce>, options?: CallOptions) =>
      call(identity.announce, body === undefined ? {} : { body }, options),
    introduction: (query: { peer?: string } = {}, options?: CallOptions) =>
      call(identity.introduction, { query }, options),
    agent: {
      get: (options?: CallOptions) => call(identity.agent, {}, options),
      userId: (options?: CallOptions) => call(identity.userId, {}, options),
      card: (
        query: { display_name?: string; include_groups?: boolean } = {},
        options?: CallOptions,
      ) => call(identity.card, { query }, options),
      importCard: (body: Body<typeof identity.importCard>, options?: CallOptions) =>
        call(identity.importCard, { body }, options),
    },
    peers: {
      list: (options?: CallOptions) => call(network.peers, {}, options),
      probe: (peerId: string, query: { timeout_ms?: number } = {}, options?: CallOptions) =>
        call(network.probe, { params: { peer_id: peerId }, query }, options),
      health: (peerId: string, options?: CallOptions) =>
        call(network.health, { params: { peer_id: peerId } }, options),
      events: (options?: EventStreamOptions) => stream(network.events, options),
    },
    network: {
      status: (options?: CallOptions) => call(network.status, {}, options),
      bootstrapCache: (options?: CallOptions) => call(network.bootstrapCache, {}, options),
    },
    diagnostics: {
      connectivity: (options?: CallOptions) => call(network.connectivity, {}, options),
      gossip: (options?: CallOptions) => call(network.gossip, {}, options),
      dm: (options?: CallOptions) => call(network.dm, {}, options),
    },
    agents: {
      discovered: (query: { unfiltered?: boolean } = {}, options?: CallOptions) =>
        call(discovery.agents, { query }, options),
      get: (agentId: string, query: { wait?: boolean } = {}, options?: CallOptions) =>
        call(discovery.agent, { params: agentParams(agentId), query }, options),
      machine: (agentId: string, options?: CallOptions) =>
        call(discovery.agentMachine, { params: agentParams(agentId) }, options),
      find: (agentId: string, options?: CallOptions) =>
        call(discovery.find, { params: agentParams(agentId) }, options),
      reachability: (agentId: string, options?: CallOptions) =>
        call(discovery.reachability, { params: agentParams(agentId) }, options),
      connect: (body: Body<typeof direct.connectAgent>, options?: CallOptions) =>
        call(direct.connectAgent, { body }, options),
    },
    machines: {
      discovered: (query: { unfiltered?: boolean } = {}, options?: CallOptions) =>
        call(discovery.machines, { query }, options),
      get: (machineId: string, query: { wait?: boolean } = {}, options?: CallOptions) =>
        call(discovery.machine, { params: { machine_id: machineId }, query }, options),
      connect: (body: Body<typeof direct.connectMachine>, options?: CallOptions) =>
        call(direct.connectMachine, { body }, options),
    },
    users: {
      agents: (userId: string, options?: CallOptions) =>
        call(discovery.userAgents, { params: { user_id: userId } }, options),
      machines: (userId: string, options?: CallOptions) =>
        call(discovery.userMachines, { params: { user_id: userId } }, options),
    },
    publish: (body: Body<typeof pubsub.publish>, options?: CallOptions) =>
      call(pubsub.publish, { body }, options),
    subscribe: (body: Body<typeof pubsub.subscribe>, options?: CallOptions) =>
      call(pubsub.subscribe, { body }, options),
    unsubscribe: (subscriptionId: string, options?: CallOptions) =>
      call(pubsub.unsubscribe, { params: { id: subscriptionId } }, options),
    /** The daemon-wide `/events` bus (pub/sub messages and file-transfer events). */
    events: (options?: EventStreamOptions) => stream(pubsub.events, options),
    direct: {
      send: (body: Body<typeof direct.send>, options?: CallOptions) =>
        call(direct.send, { body }, options),
      connections: (options?: CallOptions) => call(direct.connections, {}, options),
      events: (options?: EventStreamOptions) => stream(direct.events, options),
    },
    contacts: {
      list: (options?: CallOptions) => call(contacts.list, {}, options),
      add: (body: Body<typeof contacts.add>, options?: CallOptions) =>
        call(contacts.add, { body }, options),
      setTrust: (body: Body<typeof contacts.setTrust>, options?: CallOptions) =>
        call(contacts.setTrust, { body }, options),
      update: (agentId: string, body: Body<typeof contacts.update>, options?: CallOptions) =>
        call(contacts.update, { params: agentParams(agentId), body }, options),
      remove: (agentId: string, options?: CallOptions) =>
        call(contacts.remove, { params: agentParams(agentId) }, options),
      revoke: (agentId: string, body: Body<typeof contacts.revoke>, options?: CallOptions) =>
        call(contacts.revoke, { params: agentParams(agentId), body }, options),
      revocations: (agentId: string, options?: CallOptions) =>
        call(contacts.revocations, { params: agentParams(agentId) }, options),
      machines: (agentId: string, options?: CallOptions) =>
        call(contacts.machines, { params: agentParams(agentId) }, options),
      addMachine: (
        agentId: string,
        body: Body<typeof contacts.addMachine>,
        options?: CallOptions,
      ) => call(contacts.addMachine, { params: agentParams(agentId), body }, options),
      removeMachine: (agentId: string, machineId: string, options?: CallOptions) =>
        call(contacts.removeMachine, { params: machineParams(agentId, machineId) }, options),
      pinMachine: (agentId: string, machineId: string, options?: CallOptions) =>
        call(contacts.pinMachine, { params: machineParams(agentId, machineId) }, options),
      unpinMachine: (agentId: string, machineId: string, options?: CallOptions) =>
        call(contacts.unpinMachine, { params: machineParams(agentId, machineId) }, options),
    },
    trust: {
      evaluate: (body: Body<typeof contacts.evaluate>, options?: CallOptions) =>
        call(contacts.evaluate, { body }, options),
    },
    ws: {
      /** `/ws`: topics only. */
      connect: (options: WebSocketConnectOptions = {}) =>
        connectWebSocket(settings, '/ws', webSocketOptions(options)),
      /** `/ws/direct`: topics plus every inbound DM. */
      connectDirect: (options: WebSocketConnectOptions = {}) =>
        connectWebSocket(settings, '/ws/direct', webSocketOptions(options)),
      sessions: (options?: CallOptions) => call(websocket.sessions, {}, options),
    },
  }
}

/** The client `createX0xClient` returns. */
export type X0xClient = ReturnType<typeof createX0xClient>
