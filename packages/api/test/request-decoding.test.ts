import { describe, expect, it } from 'vitest'
import {
  PayloadTooLargeError,
  RequestShapeError,
  RequestSyntaxError,
  RequestValueError,
  UnsupportedMediaTypeError,
  decodeJsonBody,
  rejectionOf,
  routes,
  type Schema,
} from '../src/index.js'

const JSON_TYPE = 'application/json'
const AGENT = 'ab'.repeat(32)
const MACHINE = 'cd'.repeat(32)

function decode(
  schema: Schema<unknown> | undefined,
  body: unknown,
  contentType: string | null = JSON_TYPE,
): unknown {
  if (schema === undefined) throw new Error('route has no request schema')
  return decodeJsonBody(schema, {
    contentType,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

function failure(run: () => unknown): Error {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a failure')
}

function shapeFailure(run: () => unknown): RequestShapeError {
  const error = failure(run)
  if (!(error instanceof RequestShapeError)) throw error
  return error
}

const { publish } = routes.pubsub
const contacts = routes.contacts

describe('extractor stage (axum)', () => {
  it('answers 415 in plain text without a JSON content type', () => {
    for (const contentType of [null, 'text/plain', 'application/jsonx', 'json']) {
      const error = failure(() => decode(publish.request, { topic: 't', payload: '' }, contentType))
      expect(error).toBeInstanceOf(UnsupportedMediaTypeError)
      expect(rejectionOf(error)).toEqual({
        status: 415,
        contentType: 'text/plain; charset=utf-8',
        body: 'Expected request with `Content-Type: application/json`',
      })
    }
  })

  it('accepts application/json with parameters and +json subtypes', () => {
    for (const contentType of [
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/vnd.x0x+json',
    ]) {
      expect(decode(publish.request, { topic: 't', payload: '' }, contentType)).toEqual({
        topic: 't',
        payload: '',
      })
    }
  })

  it('answers 400 in plain text for syntactically bad JSON', () => {
    const error = failure(() => decode(publish.request, '{"topic":'))
    expect(error).toBeInstanceOf(RequestSyntaxError)
    const rejection = rejectionOf(error)
    expect(rejection?.status).toBe(400)
    expect(rejection?.contentType).toBe('text/plain; charset=utf-8')
    expect(rejection?.body).toMatch(/^Failed to parse the request body as JSON: /)
  })

  it('answers 400 for an empty body on a required-body route', () => {
    expect(failure(() => decode(publish.request, ''))).toBeInstanceOf(RequestSyntaxError)
  })

  it('answers 413 past 1 MiB', () => {
    const big = JSON.stringify({ topic: 't', payload: 'A'.repeat(1024 * 1024) })
    const error = failure(() => decode(publish.request, big))
    expect(error).toBeInstanceOf(PayloadTooLargeError)
    expect(rejectionOf(error)).toMatchObject({ status: 413 })
  })

  it('answers 422 for a missing field, naming it as serde does', () => {
    const error = failure(() => decode(publish.request, { topic: 't' }))
    expect(error).toBeInstanceOf(RequestShapeError)
    expect(rejectionOf(error)).toEqual({
      status: 422,
      contentType: 'text/plain; charset=utf-8',
      body: 'Failed to deserialize the JSON body into the target type: missing field `payload`',
    })
  })

  it('answers 422 for a wrong type, with the field path', () => {
    const error = shapeFailure(() => decode(publish.request, { topic: 5, payload: '' }))
    expect(error.message).toBe(
      'Failed to deserialize the JSON body into the target type: topic: invalid type: integer `5`, expected a string',
    )
    expect(error.path).toEqual(['topic'])
  })

  it('answers 422 when the body is not an object', () => {
    const error = shapeFailure(() => decode(publish.request, [1]))
    expect(error.detail).toBe('invalid type: sequence, expected struct PublishRequest')
  })

  it('answers 422 for an unknown variant of a serde enum', () => {
    const error = shapeFailure(() => decode(contacts.update.request, { identity_type: 'friend' }))
    expect(error.detail).toBe(
      'unknown variant `friend`, expected one of `anonymous`, `known`, `trusted`, `pinned`',
    )
  })

  it('answers 422 for a negative or fractional u64', () => {
    const body = { agent_id: AGENT, payload: '', require_ack_ms: -1 }
    expect(shapeFailure(() => decode(routes.direct.send.request, body)).detail).toBe(
      'invalid value: integer `-1`, expected u64',
    )
    const fractional = { ...body, require_ack_ms: 1.5 }
    expect(shapeFailure(() => decode(routes.direct.send.request, fractional)).detail).toBe(
      'invalid type: floating point `1.5`, expected u64',
    )
  })
})

describe('unknown fields', () => {
  const denyRoutes = [
    [contacts.add, { agent_id: AGENT }],
    [contacts.update, {}],
    [contacts.addMachine, { machine_id: MACHINE }],
    [contacts.setTrust, { agent_id: AGENT, level: 'known' }],
  ] as const

  it.each(denyRoutes)('are rejected with 422 on $path', (route, valid) => {
    expect(() => decode(route.request, valid)).not.toThrow()
    const error = shapeFailure(() => decode(route.request, { ...valid, extra: 1 }))
    expect(error.detail).toMatch(/^unknown field `extra`, expected /)
  })

  it('lists the expected fields as serde does', () => {
    const error = shapeFailure(() => decode(contacts.add.request, { agent_id: AGENT, ttl: 1 }))
    expect(error.detail).toBe(
      'unknown field `ttl`, expected one of `agent_id`, `trust_level`, `label`',
    )
  })

  it('are ignored and dropped everywhere else', () => {
    expect(decode(publish.request, { topic: 't', payload: '', ttl_secs: 600 })).toEqual({
      topic: 't',
      payload: '',
    })
    expect(decode(contacts.revoke.request, { reason: 'r', extra: true })).toEqual({ reason: 'r' })
    expect(
      decode(routes.contacts.evaluate.request, { agent_id: AGENT, machine_id: MACHINE, x: 1 }),
    ).toEqual({
      agent_id: AGENT,
      machine_id: MACHINE,
    })
  })
})

describe('handler stage (400 {ok:false,error})', () => {
  it('rejects an empty topic with x0x’s message', () => {
    const error = failure(() => decode(publish.request, { topic: '', payload: '' }))
    expect(error).toBeInstanceOf(RequestValueError)
    expect(rejectionOf(error)).toEqual({
      status: 400,
      contentType: 'application/json',
      body: '{"ok":false,"error":"topic must not be empty"}',
    })
  })

  it('words bad base64 per route', () => {
    expect(failure(() => decode(publish.request, { topic: 't', payload: 'a!==' })).message).toBe(
      'invalid base64 in payload field: Invalid symbol 33, offset 1.',
    )
    expect(
      failure(() => decode(routes.direct.send.request, { agent_id: AGENT, payload: 'YQ' })).message,
    ).toBe('invalid base64: Invalid padding')
  })

  it('accepts upper-case hex ids and returns them lower-case', () => {
    const body = decode(contacts.add.request, { agent_id: AGENT.toUpperCase() })
    expect(body).toEqual({ agent_id: AGENT })
  })

  it('states the byte length of a wrong-size id', () => {
    expect(failure(() => decode(contacts.add.request, { agent_id: 'ab'.repeat(31) })).message).toBe(
      'expected 32 bytes (64 hex chars), got 31',
    )
    expect(failure(() => decode(contacts.add.request, { agent_id: 'ab'.repeat(33) })).message).toBe(
      'expected 32 bytes (64 hex chars), got 33',
    )
  })

  it('uses the route’s own text for a bad machine id', () => {
    expect(failure(() => decode(contacts.addMachine.request, { machine_id: 'zz' })).message).toBe(
      'machine_id must be a 64-character hex string',
    )
  })

  it('parses trust levels in any case and rejects others with the valid list', () => {
    expect(decode(contacts.add.request, { agent_id: AGENT, trust_level: 'Trusted' })).toEqual({
      agent_id: AGENT,
      trust_level: 'trusted',
    })
    expect(
      failure(() => decode(contacts.setTrust.request, { agent_id: AGENT, level: 'friend' }))
        .message,
    ).toBe('invalid trust level: friend (valid values: blocked, unknown, known, trusted)')
  })

  it('reports every shape problem before any value problem, as serde runs before the handler', () => {
    // Bad hex id first in the document, missing field after: the 422 wins.
    const error = failure(() => decode(contacts.setTrust.request, { agent_id: 'nothex' }))
    expect(error).toBeInstanceOf(RequestShapeError)
    expect(error instanceof RequestShapeError && error.detail).toBe('missing field `level`')
  })

  it('treats null as absent for optional fields', () => {
    expect(decode(contacts.add.request, { agent_id: AGENT, label: null })).toEqual({
      agent_id: AGENT,
    })
  })
})

describe('optional bodies (POST /announce)', () => {
  const announce = routes.identity.announce
  const schema = announce.request
  const run = (body: string, contentType: string | null) =>
    decodeJsonBody(schema, { contentType, body }, { mode: 'optional' })

  it('accepts an empty body with or without a content type', () => {
    expect(run('', null)).toBeUndefined()
    expect(run('', 'text/plain')).toBeUndefined()
  })

  it('answers 415 in JSON for a non-JSON content type with a body', () => {
    const error = failure(() => run('{}', 'text/plain'))
    expect(rejectionOf(error)).toEqual({
      status: 415,
      contentType: 'application/json',
      body: '{"ok":false,"error":"Content-Type must be application/json"}',
    })
  })

  it('answers 400 in JSON for bad JSON or a bad shape', () => {
    for (const body of ['{', '{"include_user_identity":"yes"}']) {
      const rejection = rejectionOf(failure(() => run(body, JSON_TYPE)))
      expect(rejection?.status).toBe(400)
      expect(rejection?.contentType).toBe('application/json')
      expect(JSON.parse(rejection?.body ?? '')).toMatchObject({ ok: false })
    }
  })

  it('decodes a body', () => {
    expect(run('{"include_user_identity":true}', JSON_TYPE)).toEqual({
      include_user_identity: true,
    })
  })
})
