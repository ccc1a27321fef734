import type { JsonRouteHandler } from '../http/route-handlers.js'

/** JSON handlers keyed by route name (`@x0x/api` registry names). */
export type HandlerTable = Record<string, JsonRouteHandler>
