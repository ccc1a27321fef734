import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  Base64DecodeError,
  RequestShapeError,
  RequestValueError,
  WebSocketCommandSchema,
  allRoutes,
  decodeBase64,
  encodeBase64,
  hex32Problem,
  parseWithSchema,
  type Schema,
} from '../src/index.js'

const seed = Number(process.env['FC_SEED'] ?? 20_261_101)
const settings = { seed, numRuns: 300 }

const requestSchemas: [string, Schema<unknown>][] = allRoutes.flatMap((route) =>
  route.request === undefined ? [] : [[route.name, route.request] as [string, Schema<unknown>]],
)
const responseSchemas: [string, Schema<unknown>][] = allRoutes.flatMap((route) =>
  route.response === undefined ? [] : [[route.name, route.response] as [string, Schema<unknown>]],
)

function onlyOwnErrors(schema: Schema<unknown>, value: unknown): void {
  try {
    parseWithSchema(schema, value)
  } catch (error) {
    if (!(error instanceof RequestShapeError || error instanceof RequestValueError)) throw error
  }
}

describe('validators on arbitrary JSON', () => {
  it.each(requestSchemas)('%s request throws nothing but its own errors', (_name, schema) => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        onlyOwnErrors(schema, value)
      }),
      settings,
    )
  })

  it('response and WebSocket schemas throw nothing but their own errors', () => {
    const schemas = [...responseSchemas.map(([, schema]) => schema), WebSocketCommandSchema]
    fc.assert(
      fc.property(fc.constantFrom(...schemas), fc.jsonValue(), (schema, value) => {
        onlyOwnErrors(schema, value)
      }),
      settings,
    )
  })

  it('objects with arbitrary extra keys (including __proto__) never pollute prototypes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (extra) => {
        const rest = JSON.stringify(extra).slice(1)
        const body = JSON.parse(
          `{"__proto__":{"polluted":1}${rest === '}' ? '' : ','}${rest}`,
        ) as unknown
        for (const [, schema] of requestSchemas) onlyOwnErrors(schema, body)
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
      }),
      settings,
    )
  })
})

describe('encodings', () => {
  it('base64 round-trips any bytes and matches Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        const text = encodeBase64(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64'))
        expect(decodeBase64(text)).toEqual(bytes)
      }),
      settings,
    )
  })

  it('base64 decoding of arbitrary text throws only Base64DecodeError, and accepts only canonical text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          const bytes = decodeBase64(text)
          expect(encodeBase64(bytes)).toBe(text)
        } catch (error) {
          expect(error).toBeInstanceOf(Base64DecodeError)
        }
      }),
      settings,
    )
  })

  it('hex32 accepts exactly 64 hex digits of either case', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        expect(hex32Problem(text) === undefined).toBe(/^[0-9a-fA-F]{64}$/.test(text))
      }),
      settings,
    )
  })
})
