// Which addresses this node advertises on the LAN, and when a peer's addresses changed.
import { networkInterfaces } from 'node:os'
import type { PeerAddress } from '../transport.js'
import { isIpv6LinkLocal } from './ip-address-bytes.js'

/** Whether two address lists hold the same addresses, in any order. */
export function sameAddresses(a: readonly PeerAddress[], b: readonly PeerAddress[]): boolean {
  const key = (address: PeerAddress): string => `${address.host}|${address.port}`
  const keys = new Set(a.map(key))
  return a.length === b.length && b.every((address) => keys.has(key(address)))
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', ''])

/** The listen hosts, or every interface address of this machine when listening on a wildcard. */
export function advertisedHosts(listen: readonly PeerAddress[]): string[] {
  const specific = listen.map((address) => address.host).filter((host) => !WILDCARD_HOSTS.has(host))
  if (specific.length > 0 && specific.length === listen.length) return [...new Set(specific)]
  const interfaces = Object.values(networkInterfaces()).flatMap((entries) => entries ?? [])
  const external = interfaces.filter((entry) => !entry.internal && !isIpv6LinkLocal(entry.address))
  const chosen = external.length > 0 ? external : interfaces
  return [...new Set(chosen.map((entry) => entry.address))]
}
