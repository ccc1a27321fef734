/**
 * `@x0x/base`: the layer every x0x package stands on.
 *
 * @packageDocumentation
 */
export {
  X0xError,
  AbortError,
  TimeoutError,
  InvalidArgumentError,
  DecodeError,
  QueueFullError,
  ClosedError,
  isErrorNamed,
} from './errors.js'
