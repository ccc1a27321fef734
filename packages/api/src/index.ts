/**
 * `@x0x/api`: the contract of the x0x daemon's local API (compatible with x0x 0.19.21), declared
 * once. A small schema toolkit validates request bodies at the edge exactly as x0x answers them
 * (422 for a wrong shape, 400 `{ok:false,error}` for a bad value, 415, 413), infers the
 * TypeScript types, and emits JSON Schema. A route registry lists every route with its auth,
 * schemas and statuses; the daemon builds its router from it, `buildOpenApiDocument()` generates
 * the OpenAPI 3.1 document from it, and `createX0xClient` calls it from Node or a browser (REST,
 * SSE as async iterables, WebSocket sessions). `@x0x/api/node` finds a local daemon and its token.
 *
 * @example
 * ```ts
 * import { createX0xClient, decodeJsonBody, encodeBase64, routes } from '@x0x/api'
 *
 * // Daemon side: validate a body the way x0x does.
 * const body = decodeJsonBody(routes.pubsub.publish.request, {
 *   contentType: 'application/json',
 *   body: '{"topic":"chat","payload":"aGk="}',
 * })
 * body.topic // 'chat'
 *
 * // Client side: typed calls, typed events.
 * const client = createX0xClient({ baseUrl: 'http://127.0.0.1:12700', token: 'a1b2…' })
 * async function chat(signal: AbortSignal): Promise<void> {
 *   await client.publish({ topic: 'chat', payload: encodeBase64(new TextEncoder().encode('hi')) })
 *   for await (const { event, data } of client.events({ signal })) {
 *     if (event === 'message' && data.type === 'message') console.log(data.data.topic)
 *   }
 * }
 * ```
 *
 * @packageDocumentation
 */
export {
  RequestShapeError,
  RequestSyntaxError,
  RequestValueError,
  UnsupportedMediaTypeError,
  PayloadTooLargeError,
  QueryStringError,
  Base64DecodeError,
  X0xApiError,
  InvalidResponseError,
  EventStreamLimitError,
  ApiEndpointNotFoundError,
  DaemonUnreachableError,
  formatPath,
  type SchemaPath,
  type X0xApiErrorOptions,
} from './errors.js'
export {
  COMPATIBLE_X0X_VERSION,
  MAX_REQUEST_BODY_BYTES,
  DEFAULT_API_ADDRESS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_EVENT_LINE_BYTES,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_WEBSOCKET_QUEUE_CAPACITY,
  UNAUTHORIZED_BODY,
} from './constants.js'
export {
  array,
  base64,
  boolean,
  createJsonSchemaContext,
  decodeBase64,
  encodeBase64,
  enumeration,
  hex32,
  hex32Problem,
  integer,
  jsonValue,
  literal,
  makeSchema,
  nullable,
  number,
  object,
  optional,
  parseHex32,
  parseWithSchema,
  record,
  safeParse,
  string,
  taggedUnion,
  toStandaloneJsonSchema,
  union,
  type ArrayInit,
  type Base64Init,
  type DescribedInit,
  type EnumerationInit,
  type Hex32Init,
  type Infer,
  type IntegerFormat,
  type IntegerInit,
  type JsonSchema,
  type JsonSchemaContext,
  type ObjectInit,
  type ObjectSchema,
  type ObjectType,
  type OptionalSchema,
  type Schema,
  type SchemaParts,
  type Shape,
  type StringInit,
} from './schema/index.js'
export {
  decodeJsonBody,
  decodeQuery,
  isJsonContentType,
  type DecodeJsonBodyOptions,
  type JsonBodyInput,
} from './schema/request-decoding.js'
export {
  rejectionOf,
  handlerErrorBody,
  unauthorizedRejection,
  type Rejection,
  type RejectionOptions,
} from './rejection.js'
export { isAuthorized, authOfPath, QUERY_TOKEN_PATHS, type AuthorizationRequest } from './auth.js'
export {
  defineRoute,
  type HttpMethod,
  type ParamSchemas,
  type RouteAuth,
  type RouteDefinition,
  type RouteError,
  type RouteEvent,
  type RouteKind,
  type RouteParams,
  type RouteQuery,
  type RouteRequest,
  type RouteResponse,
} from './routes/route.js'
export { routes, allRoutes } from './routes/routes.js'
export {
  createRouteRegistry,
  decodePathParams,
  type RouteMatch,
  type RouteRegistry,
} from './routes/route-registry.js'
export {
  buildOpenApiDocument,
  toOpenApiPath,
  type OpenApiDocument,
  type OpenApiInit,
} from './openapi.js'
export { createX0xClient, type X0xClient, type X0xClientInit } from './client/create-client.js'
export type { CallOptions, RouteInput } from './client/route-call.js'
export type { EventStreamOptions } from './client/server-sent-events.js'
export type { WebSocketConnectOptions, X0xWebSocketSession } from './client/websocket-session.js'
export {
  parseEventStream,
  type EventStreamLimits,
  type RawServerSentEvent,
} from './client/event-stream.js'
export {
  CONNECT_OUTCOMES,
  TRUST_DECISIONS,
  TRUST_LEVELS,
  DirectMessageSchema,
  DiscoveredAgentSchema,
  DiscoveredMachineSchema,
  ErrorBodySchema,
  BareErrorBodySchema,
  OkResponseSchema,
  type DirectMessage,
  type DiscoveredAgent,
  type DiscoveredMachine,
  type TrustLevel,
} from './schemas/common.js'
export type {
  HealthResponse,
  StatusResponse,
  ShutdownResponse,
  AgentResponse,
  UserIdResponse,
  AnnounceRequest,
  AnnounceResponse,
  AgentCardQuery,
  AgentCard,
  AgentCardResponse,
  ImportCardRequest,
  ImportCardResponse,
  IntroductionQuery,
  IntroductionResponse,
} from './schemas/system-identity.js'
export type {
  PeersResponse,
  NetworkStatusResponse,
  BootstrapCacheResponse,
  ConnectivityDiagnostics,
  GossipDiagnostics,
  DmDiagnostics,
  ProbeQuery,
  ProbeResponse,
  PeerHealthResponse,
  PeerLifecycleEvent,
} from './schemas/network.js'
export {
  BusEventSchema,
  DirectSendFailureSchema,
  type UnfilteredQuery,
  type WaitQuery,
  type DiscoveredAgentsResponse,
  type DiscoveredAgentResponse,
  type AgentMachineResponse,
  type FindAgentResponse,
  type ReachabilityResponse,
  type DiscoveredMachinesResponse,
  type DiscoveredMachineResponse,
  type UserAgentsResponse,
  type UserMachinesResponse,
  type PublishRequest,
  type SubscribeRequest,
  type SubscribeResponse,
  type BusEvent,
  type ConnectAgentRequest,
  type ConnectMachineRequest,
  type ConnectResponse,
  type DirectSendRequest,
  type DirectSendResponse,
  type DirectSendFailure,
  type DirectConnectionsResponse,
} from './schemas/discovery-messaging.js'
export {
  IDENTITY_TYPES,
  WebSocketCommandSchema,
  WebSocketMessageSchema,
  type Contact,
  type ContactsResponse,
  type AddContactRequest,
  type AddContactResponse,
  type SetTrustRequest,
  type UpdateContactRequest,
  type RevokeContactRequest,
  type RevocationsResponse,
  type ContactMachine,
  type ContactMachinesResponse,
  type AddMachineRequest,
  type AddMachineResponse,
  type PinResponse,
  type UnpinResponse,
  type TrustEvaluateRequest,
  type TrustEvaluateResponse,
  type WebSocketCommand,
  type WebSocketMessage,
  type WebSocketSessionsResponse,
} from './schemas/contacts-websocket.js'
