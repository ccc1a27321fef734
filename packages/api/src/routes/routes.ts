import { contactRoutes } from './contacts-routes.js'
import { discoveryRoutes } from './discovery-routes.js'
import { directRoutes, pubsubRoutes, websocketRoutes } from './messaging-routes.js'
import { networkRoutes } from './network-routes.js'
import { identityRoutes, systemRoutes } from './system-identity-routes.js'
import type { RouteDefinition } from './route.js'

/**
 * Every route the daemon serves, by family. A new family (presence, groups, MLS, tasks, stores,
 * files, GUI) is one more `xxx-routes.ts` file and one more entry here; the router, the OpenAPI
 * document and the client pick it up.
 */
export const routes = {
  system: systemRoutes,
  identity: identityRoutes,
  network: networkRoutes,
  discovery: discoveryRoutes,
  pubsub: pubsubRoutes,
  direct: directRoutes,
  contacts: contactRoutes,
  websocket: websocketRoutes,
} as const

/** `routes` as one flat list, in declaration order. */
export const allRoutes: readonly RouteDefinition[] = Object.values(routes).flatMap(
  (family): RouteDefinition[] => Object.values(family as Readonly<Record<string, RouteDefinition>>),
)
