import { X0xError } from '@x0x/base'

/** A frame was larger than the transport's `maxFrameBytes` (sending) or a peer sent one (receiving). */
export class FrameTooLargeError extends X0xError {
  override readonly name = 'FrameTooLargeError'
}

/** A send or read on a stream whose side was already closed. */
export class StreamClosedError extends X0xError {
  override readonly name = 'StreamClosedError'
}

/** The stream was aborted by either side or failed underneath. */
export class StreamResetError extends X0xError {
  override readonly name = 'StreamResetError'
}

/** A connection-level operation on a connection that is closing or closed. */
export class ConnectionClosedError extends X0xError {
  override readonly name = 'ConnectionClosedError'
}

/** The connection already has its maximum number of streams of that kind open. */
export class StreamLimitError extends X0xError {
  override readonly name = 'StreamLimitError'
}

/** The peer authenticated as a different machine than the one dialled. */
export class PeerIdentityMismatchError extends X0xError {
  override readonly name = 'PeerIdentityMismatchError'
}

/** The handshake failed: bad certificate binding, bad transcript signature, or a protocol error. */
export class HandshakeError extends X0xError {
  override readonly name = 'HandshakeError'
}

/**
 * The peer's TLS certificate expired (its `notAfter` is more than `CERTIFICATE_CLOCK_SKEW_MS`
 * in the past): the handshake is refused.
 */
export class PeerCertificateExpiredError extends X0xError {
  override readonly name = 'PeerCertificateExpiredError'
}

/**
 * The peer's TLS certificate is not valid yet (its `notBefore` is more than
 * `CERTIFICATE_CLOCK_SKEW_MS` in the future: one of the two clocks is wrong).
 */
export class PeerCertificateNotYetValidError extends X0xError {
  override readonly name = 'PeerCertificateNotYetValidError'
}

/** Every address of a dial target failed; `cause` holds the last failure. */
export class DialError extends X0xError {
  override readonly name = 'DialError'
}

/** The transport is at its cap of connections or pending dials. */
export class ConnectionLimitError extends X0xError {
  override readonly name = 'ConnectionLimitError'
}

/** The transport was used before `start()` or after `stop()`. */
export class TransportStoppedError extends X0xError {
  override readonly name = 'TransportStoppedError'
}

/** A `host:port` text (a seed, a config entry) that is not a valid peer address. */
export class InvalidPeerAddressError extends X0xError {
  override readonly name = 'InvalidPeerAddressError'
}

/** The peer cache file is not a valid cache of this version: unreadable JSON or the wrong shape. */
export class PeerCacheCorruptError extends X0xError {
  override readonly name = 'PeerCacheCorruptError'
}

/** The peer cache file is larger than `maxFileBytes`, so it was not read. */
export class PeerCacheTooLargeError extends X0xError {
  override readonly name = 'PeerCacheTooLargeError'
}

/** Reading or writing the peer cache file failed in the file system; `cause` holds the error. */
export class PeerCacheIoError extends X0xError {
  override readonly name = 'PeerCacheIoError'
}
