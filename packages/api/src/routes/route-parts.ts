import { hex32, type Schema } from '../schema/index.js'
import type { RouteError } from './route.js'

/** Every authenticated route can answer 401 (body without `ok`). */
export const UNAUTHORIZED: RouteError = {
  status: 401,
  description: 'missing or invalid Authorization: Bearer token',
}

/** A bad hex id in the path, in x0x's generic words. */
export const BAD_HEX_ID: RouteError = {
  status: 400,
  description: 'invalid hex id, e.g. `expected 32 bytes (64 hex chars), got N`',
}

/** The network is not up yet (the API binds before the node joins). */
export const NETWORK_NOT_READY: RouteError = {
  status: 503,
  description: 'network not initialized / node not available',
}

/** Path parameter schema of a 32-byte hex id, with the route's own message if it has one. */
export function hexParam(invalidMessage?: string): Schema<string> {
  return hex32(invalidMessage === undefined ? {} : { invalidMessage })
}
