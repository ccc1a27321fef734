import { COMPATIBLE_X0X_VERSION } from './constants.js'
import {
  createJsonSchemaContext,
  type JsonSchema,
  type JsonSchemaContext,
} from './schema/schema.js'
import { BareErrorBodySchema, ErrorBodySchema } from './schemas/common.js'
import { allRoutes } from './routes/routes.js'
import type { RouteDefinition } from './routes/route.js'

/** Options of `buildOpenApiDocument`. */
export interface OpenApiInit {
  /** The routes to describe. Default: every route of the registry (`allRoutes`). */
  routes?: readonly RouteDefinition[]
  /** `info.version`. Default: the x0x version whose contract this is. */
  version?: string
  /** `servers[0].url`. Default: `http://127.0.0.1:12700`. */
  serverUrl?: string
}

/** An OpenAPI 3.1 document as plain JSON. */
export type OpenApiDocument = Readonly<Record<string, unknown>>

/** `/peers/:peer_id/probe` → `/peers/{peer_id}/probe`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([^/]+)/g, '{$1}')
}

const PLAIN_TEXT = { 'text/plain': { schema: { type: 'string' } } }

function parametersOf(route: RouteDefinition, context: JsonSchemaContext): JsonSchema[] {
  const parameters: JsonSchema[] = []
  for (const [name, schema] of Object.entries(route.params ?? {})) {
    parameters.push({ name, in: 'path', required: true, schema: schema.toJsonSchema(context) })
  }
  for (const [name, schema] of Object.entries(route.query?.shape ?? {})) {
    parameters.push({
      name,
      in: 'query',
      required: !schema.optional,
      schema: schema.toJsonSchema(context),
    })
  }
  return parameters
}

function successOf(route: RouteDefinition, context: JsonSchemaContext): JsonSchema {
  if (route.kind === 'sse') {
    const events = Object.entries(route.events ?? {}).map(([event, schema]) => ({
      type: 'object',
      properties: { event: { const: event }, data: schema.toJsonSchema(context) },
    }))
    return {
      description: 'text/event-stream: `event: <name>` + one `data: <json>` line per event',
      content: { 'text/event-stream': { schema: { oneOf: events } } },
    }
  }
  if (route.kind === 'websocket') {
    return {
      description: 'WebSocket upgrade (101); JSON text frames discriminated by `type`',
      'x-websocket': {
        clientMessages: route.commands?.toJsonSchema(context),
        serverMessages: route.messages?.toJsonSchema(context),
      },
    }
  }
  if (route.response === undefined) return { description: 'empty body' }
  return {
    description: 'success',
    content: { 'application/json': { schema: route.response.toJsonSchema(context) } },
  }
}

function errorsOf(route: RouteDefinition, context: JsonSchemaContext): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {}
  const handlerBody =
    route.errorBody === 'bare'
      ? BareErrorBodySchema.toJsonSchema(context)
      : ErrorBodySchema.toJsonSchema(context)
  for (const error of route.errors) {
    const schema = error.status === 401 ? BareErrorBodySchema.toJsonSchema(context) : handlerBody
    const key = String(error.status)
    const previous = responses[key]?.['description']
    responses[key] = {
      description:
        typeof previous === 'string' ? `${previous}; ${error.description}` : error.description,
      content: { 'application/json': { schema } },
    }
  }
  if (route.request !== undefined && route.requestMode !== 'optional') {
    responses['413'] ??= { description: 'body over 1 MiB (plain text)', content: PLAIN_TEXT }
    responses['415'] ??= {
      description: 'Content-Type is not JSON (plain text)',
      content: PLAIN_TEXT,
    }
    responses['422'] = { description: 'body has the wrong shape (plain text)', content: PLAIN_TEXT }
  }
  return responses
}

function operationOf(route: RouteDefinition, context: JsonSchemaContext): JsonSchema {
  const parameters = parametersOf(route, context)
  const security =
    route.auth === 'none'
      ? []
      : route.auth === 'bearer'
        ? [{ bearerAuth: [] }]
        : [{ bearerAuth: [] }, { queryToken: [] }]
  return {
    operationId: route.name,
    summary: route.summary,
    tags: [route.tag],
    security,
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(route.request === undefined
      ? {}
      : {
          requestBody: {
            required: route.requestMode !== 'optional',
            content: { 'application/json': { schema: route.request.toJsonSchema(context) } },
          },
        }),
    responses: {
      [String(route.successStatus)]: successOf(route, context),
      ...errorsOf(route, context),
    },
  }
}

/**
 * The OpenAPI 3.1 document of the daemon, generated from the same route table and schemas the
 * daemon validates with, so the two cannot drift. Named object schemas become
 * `components.schemas`; SSE and WebSocket routes describe their events and frames.
 */
export function buildOpenApiDocument(init: OpenApiInit = {}): OpenApiDocument {
  const routes = init.routes ?? allRoutes
  const context = createJsonSchemaContext()
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const route of routes) {
    const path = toOpenApiPath(route.path)
    paths[path] ??= {}
    paths[path][route.method.toLowerCase()] = operationOf(route, context)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'x0xd local API',
      version: init.version ?? COMPATIBLE_X0X_VERSION,
      description:
        'The REST / SSE / WebSocket API of the x0x daemon, compatible with x0x ' +
        `${COMPATIBLE_X0X_VERSION}. Success bodies are flat objects with "ok": true.`,
    },
    servers: [{ url: init.serverUrl ?? 'http://127.0.0.1:12700' }],
    paths,
    components: {
      schemas: Object.fromEntries([...context.components].sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'The 64-hex token in <data_dir>/api-token',
        },
        queryToken: { type: 'apiKey', in: 'query', name: 'token' },
      },
    },
  }
}
