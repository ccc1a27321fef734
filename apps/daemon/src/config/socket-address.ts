import { isIPv4, isIPv6 } from 'node:net'

/** An `ip:port` (or `localhost:port`) as the config and `api.port` write it. */
export interface SocketAddress {
  /** Without brackets: `127.0.0.1`, `::1`, `localhost`. */
  readonly host: string
  readonly port: number
}

const LARGEST_PORT = 65_535

/**
 * Parses `1.2.3.4:5`, `[::1]:5` or `localhost:5` (Rust `SocketAddr` plus `localhost`, which
 * x0x resolves). Returns `undefined` for anything else, including unbracketed IPv6.
 */
export function parseSocketAddress(text: string): SocketAddress | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text)
  if (match === null) return undefined
  const port = Number(match[3])
  if (port > LARGEST_PORT) return undefined
  const bracketed = match[1]
  if (bracketed !== undefined) return isIPv6(bracketed) ? { host: bracketed, port } : undefined
  const host = match[2] as string
  if (isIPv4(host) || host === 'localhost') return { host, port }
  return undefined
}

/** `127.0.0.1:5`, `[::1]:5`. */
export function formatSocketAddress(address: SocketAddress): string {
  return isIPv6(address.host)
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`
}

/**
 * Whether `host` only reaches this machine: 127.0.0.0/8, `::1`, `localhost`, or an IPv4-mapped
 * loopback (`::ffff:127.0.0.1`). The API hands out control of the agent, so it must never listen
 * on an address another machine can reach.
 */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true
  if (isIPv4(host)) return host.startsWith('127.')
  if (!isIPv6(host)) return false
  const lower = host.toLowerCase()
  if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true
  const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  return mapped !== null && isLoopbackHost(mapped[1] as string)
}
