import { isIP } from 'node:net'
import { InvalidPeerAddressError } from '../errors.js'
import type { PeerAddress } from '../transport.js'

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens, 253 characters at most. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i

/** Longest address text parsed: a bracketed IPv6 literal with a zone and a port fits well inside. */
const MAX_ADDRESS_TEXT_LENGTH = 300

/** Whether `port` is a port a peer can listen on (1–65535). */
export function isValidPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65_535
}

/** Whether `host` is an IP literal or a syntactically valid host name. */
export function isValidHost(host: unknown): host is string {
  return typeof host === 'string' && (isIP(host) !== 0 || HOST_NAME.test(host))
}

/**
 * Parses `host:port`, `[ipv6]:port` or a bare IPv6 literal followed by `:port` only when
 * bracketed, as in x0x's `bootstrap_peers` config (`142.93.199.50:5483`, `[2a01:4f8::1]:5483`).
 *
 * @throws InvalidPeerAddressError
 */
export function parsePeerAddress(text: string): PeerAddress {
  if (typeof text !== 'string' || text.length > MAX_ADDRESS_TEXT_LENGTH) {
    throw new InvalidPeerAddressError('a peer address must be a short `host:port` string')
  }
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text)
  const plain = bracketed === null ? /^([^:[\]]+):(\d{1,5})$/.exec(text) : null
  const match = bracketed ?? plain
  if (match === null) {
    throw new InvalidPeerAddressError(`${JSON.stringify(text)} is not host:port or [ipv6]:port`)
  }
  const host = match[1] ?? ''
  const port = Number(match[2])
  if (bracketed !== null && isIP(host) !== 6) {
    throw new InvalidPeerAddressError(`${JSON.stringify(host)} in brackets is not an IPv6 literal`)
  }
  if (!isValidHost(host)) {
    throw new InvalidPeerAddressError(`${JSON.stringify(host)} is not an IP address or host name`)
  }
  if (!isValidPort(port)) {
    throw new InvalidPeerAddressError(`port ${match[2] ?? ''} is outside 1–65535`)
  }
  return { host, port }
}

/** `host:port`, with IPv6 literals bracketed; the inverse of `parsePeerAddress`. */
export function formatPeerAddress(address: PeerAddress): string {
  return isIP(address.host) === 6
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`
}

/** The identity of an address for deduplication: IP literals compare case-insensitively. */
export function peerAddressKey(address: PeerAddress): string {
  return formatPeerAddress({ host: address.host.toLowerCase(), port: address.port })
}
