import type { ObjectSchema, ObjectType, Shape } from '../schema/composites.js'
import type { Infer, Schema } from '../schema/schema.js'

/** HTTP methods the daemon serves. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * How a route authenticates (API.md §0): `bearer` = `Authorization: Bearer <token>` only;
 * `bearer-or-query-token` also accepts `?token=` (only `/ws`, `/ws/direct`, `/events`,
 * `/direct/events`); `none` = exempt (`/health`).
 */
export type RouteAuth = 'bearer' | 'bearer-or-query-token' | 'none'

/** What a route answers with. */
export type RouteKind = 'json' | 'sse' | 'websocket'

/** A documented non-success answer. */
export interface RouteError {
  readonly status: number
  /** The exact `error` text where x0x has one, else what the status means here. */
  readonly description: string
}

/** Path parameter schemas by name (`:agent_id` → `agent_id`). */
export type ParamSchemas = Readonly<Record<string, Schema<string>>>

/**
 * One route of the daemon, declared once: the daemon builds its router from these, the client
 * calls them, and the OpenAPI document is generated from them.
 */
export interface RouteDefinition {
  /** Unique, stable, dotted: the OpenAPI `operationId` and the client method's path. */
  readonly name: string
  readonly method: HttpMethod
  /** With `:param` segments, as API.md writes it. */
  readonly path: string
  readonly summary: string
  /** The OpenAPI tag: the route family (system, identity, network, …). */
  readonly tag: string
  readonly auth: RouteAuth
  readonly kind: RouteKind
  readonly params?: ParamSchemas
  readonly query?: ObjectSchema<Shape>
  readonly request?: Schema<unknown>
  /**
   * `required`: axum `Json<T>`. `optional`: x0x's hand-parsed optional body (empty allowed,
   * errors in JSON). Default: `required` when `request` is set.
   */
  readonly requestMode?: 'required' | 'optional'
  /** The success body (JSON routes; none for 204). */
  readonly response?: Schema<unknown>
  /** SSE routes: the `data` schema of each event name. */
  readonly events?: Readonly<Record<string, Schema<unknown>>>
  /** WebSocket routes: what the client sends. */
  readonly commands?: Schema<unknown>
  /** WebSocket routes: what the server sends. */
  readonly messages?: Schema<unknown>
  readonly successStatus: 200 | 201 | 204
  readonly errors: readonly RouteError[]
  /**
   * The shape of handler errors: `ok-false` = `{ok:false,error}` (almost everywhere), `bare` =
   * `{error}` (`/introduction`). Default: `ok-false`.
   */
  readonly errorBody?: 'ok-false' | 'bare'
}

/** Keeps a route's literal types so the client can be typed from it. */
export function defineRoute<const Route extends RouteDefinition>(route: Route): Route {
  return route
}

/** What a route without params or query takes: nothing. */
export type NoFields = Readonly<Partial<Record<string, never>>>

/** The typed path parameters of a route. */
export type RouteParams<Route> = Route extends { readonly params: infer P extends ParamSchemas }
  ? { [K in keyof P]: string }
  : NoFields

/** The typed query of a route. */
export type RouteQuery<Route> = Route extends {
  readonly query: ObjectSchema<infer S extends Shape>
}
  ? ObjectType<S>
  : NoFields

/** The typed request body of a route. */
export type RouteRequest<Route> = Route extends { readonly request: infer S } ? Infer<S> : undefined

/** The typed success body of a route (`undefined` for 204). */
export type RouteResponse<Route> = Route extends { readonly response: infer S }
  ? Infer<S>
  : undefined

/** One typed event of an SSE route: `{ event, data }`. */
export type RouteEvent<Route> = Route extends {
  readonly events: infer E extends Readonly<Record<string, Schema<unknown>>>
}
  ? { [K in keyof E]: { event: K; data: Infer<E[K]> } }[keyof E]
  : never
