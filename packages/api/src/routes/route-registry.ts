import { InvalidArgumentError } from '@x0x/base'
import { RequestShapeError, RequestValueError } from '../errors.js'
import type { HttpMethod, RouteDefinition } from './route.js'

/** What `match` found for a method and path. */
export type RouteMatch =
  | {
      readonly status: 'found'
      readonly route: RouteDefinition
      readonly params: Record<string, string>
    }
  /** A route has this path but not this method: axum answers 405. */
  | { readonly status: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  /** No route has this path: axum answers an empty 404 (after auth, so 401 without a token). */
  | { readonly status: 'not-found' }

/** A lookup table over route definitions. */
export interface RouteRegistry {
  readonly routes: readonly RouteDefinition[]
  /** The route called `name`, or `undefined`. */
  byName(name: string): RouteDefinition | undefined
  /** Resolves a request path (no query string) the way axum's router does. */
  match(method: string, path: string): RouteMatch
}

interface CompiledRoute {
  readonly route: RouteDefinition
  readonly segments: readonly string[]
}

/** A path with its parameter names erased: two routes with equal patterns share a path. */
function patternOf(path: string): string {
  return path.replace(/:[^/]+/g, ':')
}

function segmentsOf(path: string): string[] {
  return path.split('/').slice(1)
}

/**
 * Static segments beat parameters at the same position (matchit, which axum uses), so
 * `/agents/find/:agent_id` wins over `/agents/:agent_id/machine` for `/agents/find/…`.
 */
function comparePriority(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.min(a.segments.length, b.segments.length)
  for (let index = 0; index < length; index++) {
    const aParam = (a.segments[index] as string).startsWith(':')
    const bParam = (b.segments[index] as string).startsWith(':')
    if (aParam !== bParam) return aParam ? 1 : -1
  }
  return 0
}

function matchSegments(
  pattern: readonly string[],
  actual: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index] as string
    const segment = actual[index] as string
    if (expected.startsWith(':')) {
      if (segment === '') return undefined
      try {
        params[expected.slice(1)] = decodeURIComponent(segment)
      } catch {
        return undefined // malformed percent-encoding: no route matches it
      }
    } else if (expected !== segment) {
      return undefined
    }
  }
  return params
}

/**
 * Builds a registry, refusing duplicate names and duplicate method + path pairs (a router would
 * silently serve only one of them).
 */
export function createRouteRegistry(definitions: readonly RouteDefinition[]): RouteRegistry {
  const names = new Map<string, RouteDefinition>()
  const keys = new Set<string>()
  for (const route of definitions) {
    if (names.has(route.name)) throw new InvalidArgumentError(`duplicate route name ${route.name}`)
    const key = `${route.method} ${patternOf(route.path)}`
    if (keys.has(key))
      throw new InvalidArgumentError(`duplicate route ${route.method} ${route.path}`)
    names.set(route.name, route)
    keys.add(key)
  }
  const compiled = definitions
    .map((route) => ({ route, segments: segmentsOf(route.path) }))
    .sort(comparePriority)
  return {
    routes: definitions,
    byName: (name) => names.get(name),
    match(method, path) {
      const actual = segmentsOf(path)
      for (const candidate of compiled) {
        const params = matchSegments(candidate.segments, actual)
        if (params === undefined) continue
        const shape = patternOf(candidate.route.path)
        const samePath = compiled.filter((other) => patternOf(other.route.path) === shape)
        const found = samePath.find((other) => other.route.method === method)
        if (found === undefined) {
          return {
            status: 'method-not-allowed',
            allowed: samePath.map((other) => other.route.method),
          }
        }
        return { status: 'found', route: found.route, params }
      }
      return { status: 'not-found' }
    },
  }
}

/**
 * Checks and normalises a matched route's path parameters (hex ids come out lower-case). Throws
 * `RequestValueError` with the route's 400 message.
 */
export function decodePathParams(
  route: RouteDefinition,
  params: Readonly<Record<string, string>>,
): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, schema] of Object.entries(route.params ?? {})) {
    const text = params[name]
    if (text === undefined) throw new RequestValueError(`missing path parameter ${name}`)
    try {
      result[name] = schema.checkValue(schema.decodeText(text, []), [])
    } catch (error) {
      if (error instanceof RequestShapeError) {
        throw new RequestValueError(error.detail, [], { cause: error })
      }
      throw error
    }
  }
  return result
}
