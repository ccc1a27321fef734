import { describe, expect, it } from 'vitest'
import {
  AbortError,
  ClosedError,
  DecodeError,
  InvalidArgumentError,
  InvalidStateError,
  QueueFullError,
  TimeoutError,
  X0xError,
  isErrorNamed,
} from '../src/index.js'

describe('errors', () => {
  it('identifies every error by a stable name and keeps its cause', () => {
    const cause = new Error('underlying')
    const errors: [X0xError, string][] = [
      [new AbortError(undefined, { cause }), 'AbortError'],
      [new TimeoutError(undefined, { cause }), 'TimeoutError'],
      [new InvalidArgumentError('bad', { cause }), 'InvalidArgumentError'],
      [new InvalidStateError('bad', { cause }), 'InvalidStateError'],
      [new DecodeError('bad', { cause }), 'DecodeError'],
      [new QueueFullError('full', { cause }), 'QueueFullError'],
      [new ClosedError('closed', { cause }), 'ClosedError'],
    ]
    for (const [error, name] of errors) {
      expect(error.name).toBe(name)
      expect(error).toBeInstanceOf(X0xError)
      expect(error).toBeInstanceOf(Error)
      expect(error.cause).toBe(cause)
      expect(isErrorNamed(error, name)).toBe(true)
      expect(String(error)).toMatch(new RegExp(`^${name}: `))
    }
  })

  it('gives AbortError and TimeoutError default messages', () => {
    expect(new AbortError().message).toBe('The operation was aborted')
    expect(new TimeoutError().message).toBe('The operation timed out')
  })

  it('isErrorNamed rejects non-errors and other names', () => {
    expect(isErrorNamed({ name: 'DecodeError' }, 'DecodeError')).toBe(false)
    expect(isErrorNamed(new DecodeError('x'), 'AbortError')).toBe(false)
  })
})
