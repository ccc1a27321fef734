import { describe, expect, it } from 'vitest'
import {
  QueryStringError,
  RequestValueError,
  allRoutes,
  buildOpenApiDocument,
  createRouteRegistry,
  decodePathParams,
  decodeQuery,
  defineRoute,
  isAuthorized,
  routes,
  toOpenApiPath,
} from '../src/index.js'

const registry = createRouteRegistry(allRoutes)
const AGENT = 'ab'.repeat(32)

describe('route registry', () => {
  it('holds every route of the first slice once', () => {
    const expected = [
      'GET /health',
      'GET /status',
      'POST /shutdown',
      'GET /agent',
      'GET /agent/user-id',
      'POST /announce',
      'GET /agent/card',
      'POST /agent/card/import',
      'GET /introduction',
      'GET /peers',
      'GET /network/status',
      'GET /openapi.json',
      'GET /network/bootstrap-cache',
      'POST /peers/:peer_id/probe',
      'GET /peers/:peer_id/health',
      'GET /peers/events',
      'GET /diagnostics/connectivity',
      'GET /diagnostics/gossip',
      'GET /diagnostics/dm',
      'GET /agents/discovered',
      'GET /agents/discovered/:agent_id',
      'GET /agents/:agent_id/machine',
      'POST /agents/find/:agent_id',
      'GET /agents/reachability/:agent_id',
      'GET /machines/discovered',
      'GET /machines/discovered/:machine_id',
      'GET /users/:user_id/agents',
      'GET /users/:user_id/machines',
      'POST /publish',
      'POST /subscribe',
      'DELETE /subscribe/:id',
      'GET /events',
      'POST /agents/connect',
      'POST /machines/connect',
      'POST /direct/send',
      'GET /direct/connections',
      'GET /direct/events',
      'GET /contacts',
      'POST /contacts',
      'POST /contacts/trust',
      'PATCH /contacts/:agent_id',
      'DELETE /contacts/:agent_id',
      'POST /contacts/:agent_id/revoke',
      'GET /contacts/:agent_id/revocations',
      'GET /contacts/:agent_id/machines',
      'POST /contacts/:agent_id/machines',
      'DELETE /contacts/:agent_id/machines/:machine_id',
      'POST /contacts/:agent_id/machines/:machine_id/pin',
      'DELETE /contacts/:agent_id/machines/:machine_id/pin',
      'POST /trust/evaluate',
      'GET /ws',
      'GET /ws/direct',
      'GET /ws/sessions',
    ]
    expect(allRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      expected.sort(),
    )
    expect(new Set(allRoutes.map((route) => route.name)).size).toBe(allRoutes.length)
  })

  it('refuses duplicate method + path pairs', () => {
    const twin = defineRoute({ ...routes.system.health, name: 'health.twin' })
    expect(() => createRouteRegistry([routes.system.health, twin])).toThrow(
      /duplicate route GET \/health/,
    )
  })

  it('matches static segments before parameters, as axum does', () => {
    const match = registry.match('POST', `/agents/find/${AGENT}`)
    expect(match).toMatchObject({
      status: 'found',
      route: { name: 'agents.find' },
      params: { agent_id: AGENT },
    })
    expect(registry.match('GET', `/agents/${AGENT}/machine`)).toMatchObject({
      route: { name: 'agents.machine' },
    })
    expect(registry.match('POST', '/contacts/trust')).toMatchObject({
      route: { name: 'contacts.setTrust' },
    })
    expect(registry.match('GET', '/peers/events')).toMatchObject({
      route: { name: 'peers.events' },
    })
  })

  it('answers method-not-allowed for a known path and not-found otherwise', () => {
    expect(registry.match('PUT', '/contacts')).toEqual({
      status: 'method-not-allowed',
      allowed: ['GET', 'POST'],
    })
    expect(registry.match('GET', '/nope')).toEqual({ status: 'not-found' })
    expect(registry.match('GET', '/contacts/')).toEqual({ status: 'not-found' })
  })

  it('decodes path parameters with the route’s messages', () => {
    const users = registry.match('GET', '/users/xyz/agents')
    if (users.status !== 'found') throw new Error('no match')
    expect(() => decodePathParams(users.route, users.params)).toThrow(
      new RequestValueError('invalid user_id: expected 64 hex characters'),
    )
    const machine = registry.match(
      'DELETE',
      `/contacts/${AGENT.toUpperCase()}/machines/${'a'.repeat(62)}`,
    )
    if (machine.status !== 'found') throw new Error('no match')
    expect(() => decodePathParams(machine.route, machine.params)).toThrow(
      'expected 32 bytes (64 hex chars), got 31',
    )
    const ok = registry.match('GET', `/contacts/${AGENT.toUpperCase()}/machines`)
    if (ok.status !== 'found') throw new Error('no match')
    expect(decodePathParams(ok.route, ok.params)).toEqual({ agent_id: AGENT })
  })
})

describe('query strings', () => {
  it('parses booleans only as true or false (`?wait=10` is a 400)', () => {
    const schema = routes.discovery.agent.query
    expect(decodeQuery(schema, 'wait=true')).toEqual({ wait: true })
    expect(decodeQuery(schema, '')).toEqual({})
    const error = (() => {
      try {
        decodeQuery(schema, 'wait=10')
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(QueryStringError)
    expect((error as QueryStringError).message).toBe(
      'Failed to deserialize query string: wait: provided string was not `true` or `false`',
    )
  })

  it('parses integers and ignores unknown keys', () => {
    expect(decodeQuery(routes.network.probe.query, 'timeout_ms=500&x=1')).toEqual({
      timeout_ms: 500,
    })
    expect(() => decodeQuery(routes.network.probe.query, 'timeout_ms=-5')).toThrow(QueryStringError)
    expect(() => decodeQuery(routes.network.probe.query, 'timeout_ms=1e3')).toThrow(
      QueryStringError,
    )
  })

  it('checks hex query values at the handler stage', () => {
    expect(decodeQuery(routes.identity.introduction.query, `peer=${AGENT.toUpperCase()}`)).toEqual({
      peer: AGENT,
    })
    expect(() => decodeQuery(routes.identity.introduction.query, 'peer=abc')).toThrow(
      RequestValueError,
    )
  })
})

describe('auth rule', () => {
  const token = 'f'.repeat(64)
  it('exempts /health, OPTIONS, /gui and /constitution*', () => {
    for (const [method, path] of [
      ['GET', '/health'],
      ['OPTIONS', '/contacts'],
      ['GET', '/gui/'],
      ['GET', '/constitution/json'],
    ]) {
      expect(isAuthorized({ method: method as string, path: path as string }, token)).toBe(true)
    }
  })

  it('requires the exact case-sensitive bearer header elsewhere, also on unknown paths', () => {
    expect(
      isAuthorized({ method: 'GET', path: '/status', authorization: `Bearer ${token}` }, token),
    ).toBe(true)
    expect(
      isAuthorized({ method: 'GET', path: '/status', authorization: `bearer ${token}` }, token),
    ).toBe(false)
    expect(
      isAuthorized({ method: 'GET', path: '/status', authorization: `Bearer ${token}x` }, token),
    ).toBe(false)
    expect(isAuthorized({ method: 'GET', path: '/nope' }, token)).toBe(false)
  })

  it('accepts ?token= only on /ws, /ws/direct, /events and /direct/events', () => {
    for (const path of ['/ws', '/ws/direct', '/events', '/direct/events']) {
      expect(isAuthorized({ method: 'GET', path, rawQuery: `a=1&token=${token}` }, token)).toBe(
        true,
      )
    }
    for (const path of ['/peers/events', '/status']) {
      expect(isAuthorized({ method: 'GET', path, rawQuery: `token=${token}` }, token)).toBe(false)
    }
  })

  it('agrees with the registry’s declared auth for every route', () => {
    for (const route of allRoutes) {
      const withQuery = isAuthorized(
        { method: route.method, path: route.path, rawQuery: `token=${token}` },
        token,
      )
      expect(withQuery, route.name).toBe(route.auth !== 'bearer')
    }
  })
})

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument()
  const paths = document['paths'] as Record<string, Record<string, Record<string, unknown>>>
  const components = (document['components'] as { schemas: Record<string, unknown> }).schemas

  it('is OpenAPI 3.1 JSON that survives a round trip', () => {
    expect(document['openapi']).toBe('3.1.0')
    expect(JSON.parse(JSON.stringify(document))).toEqual(document)
  })

  it('lists every route with {param} paths and a unique operationId', () => {
    const operationIds = new Set<string>()
    for (const route of allRoutes) {
      const operation = paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()]
      expect(operation, route.name).toBeDefined()
      operationIds.add(operation?.['operationId'] as string)
    }
    expect(operationIds.size).toBe(allRoutes.length)
    expect(Object.keys(paths).some((path) => path.includes(':'))).toBe(false)
    expect(paths['/peers/{peer_id}/probe']?.['post']?.['parameters']).toEqual([
      expect.objectContaining({ name: 'peer_id', in: 'path', required: true }),
      expect.objectContaining({ name: 'timeout_ms', in: 'query', required: false }),
    ])
  })

  it('puts named schemas in components and resolves every $ref', () => {
    expect(components).toHaveProperty('HealthResponse')
    expect(components).toHaveProperty('DiscoveredAgent')
    expect(components['AddContactRequest']).toMatchObject({ additionalProperties: false })
    expect(components['PublishRequest']).not.toHaveProperty('additionalProperties')
    const references = JSON.stringify(document).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? []
    expect(references.length).toBeGreaterThan(50)
    for (const reference of references) {
      expect(components, reference).toHaveProperty(reference.split('/').pop() as string)
    }
  })

  it('documents success statuses, auth and extractor errors', () => {
    expect(paths['/contacts']?.['post']?.['responses']).toHaveProperty('201')
    expect(paths['/contacts']?.['post']?.['responses']).toHaveProperty('422')
    expect(
      paths['/contacts/{agent_id}/machines/{machine_id}']?.['delete']?.['responses'],
    ).toHaveProperty('204')
    expect(paths['/health']?.['get']?.['security']).toEqual([])
    expect(paths['/events']?.['get']?.['security']).toEqual([
      { bearerAuth: [] },
      { queryToken: [] },
    ])
  })
})
