import { BEARER_PREFIX } from './constants.js'
import type { RouteAuth } from './routes/route.js'

/** Paths that accept `?token=` besides the header (API.md §0), at 0.19.21. */
export const QUERY_TOKEN_PATHS: ReadonlySet<string> = new Set([
  '/ws',
  '/ws/direct',
  '/events',
  '/direct/events',
])

/** A request as the auth middleware sees it. */
export interface AuthorizationRequest {
  readonly method: string
  /** The path without the query string. */
  readonly path: string
  /** The raw query string without `?` (the token is compared raw, not URL-decoded, as x0x does). */
  readonly rawQuery?: string | undefined
  /** The `Authorization` header, if any. */
  readonly authorization?: string | null | undefined
}

/** Compares without an early exit, so response timing does not reveal a token prefix. */
function equalTokens(a: string, b: string): boolean {
  let difference = a.length ^ b.length
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    difference |= (a.charCodeAt(index) || 0) ^ (b.charCodeAt(index) || 0)
  }
  return difference === 0
}

/** The first `token=` value of a raw query string, undecoded. */
function queryToken(rawQuery: string | undefined): string | undefined {
  if (rawQuery === undefined) return undefined
  for (const pair of rawQuery.split('&')) {
    if (pair.startsWith('token=')) return pair.slice('token='.length)
  }
  return undefined
}

/** The auth rule of a path, including paths no route has (they need a token too, API.md §0). */
export function authOfPath(method: string, path: string): RouteAuth {
  if (method === 'OPTIONS' || path === '/health' || path === '/gui' || path === '/gui/')
    return 'none'
  if (path.startsWith('/constitution')) return 'none'
  return QUERY_TOKEN_PATHS.has(path) ? 'bearer-or-query-token' : 'bearer'
}

/**
 * Whether a request passes x0x's auth middleware with `token`: exempt paths always pass; others
 * need `Authorization: Bearer <token>` (case-sensitive prefix, exact token), or on the four
 * streaming paths the first raw `token=` query value.
 */
export function isAuthorized(request: AuthorizationRequest, token: string): boolean {
  const auth = authOfPath(request.method, request.path)
  if (auth === 'none') return true
  const header = request.authorization
  if (typeof header === 'string' && header.startsWith(BEARER_PREFIX)) {
    if (equalTokens(header.slice(BEARER_PREFIX.length), token)) return true
  }
  if (auth === 'bearer-or-query-token') {
    const fromQuery = queryToken(request.rawQuery)
    if (fromQuery !== undefined && equalTokens(fromQuery, token)) return true
  }
  return false
}
