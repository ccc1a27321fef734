// IP literals to and from their 4- and 16-byte wire forms (A and AAAA records).
import { SocketAddress, isIP } from 'node:net'

/** The 4 bytes of a dotted IPv4 literal, or `undefined` when it is not one. */
export function ipv4ToBytes(address: string): Uint8Array | undefined {
  if (isIP(address) !== 4) return undefined
  return Uint8Array.from(address.split('.').map(Number))
}

/** The dotted form of 4 bytes. */
export function ipv4FromBytes(bytes: Uint8Array): string {
  return Array.from(bytes).join('.')
}

/** The 16 bytes of an IPv6 literal (no zone, no embedded IPv4), or `undefined`. */
export function ipv6ToBytes(address: string): Uint8Array | undefined {
  if (isIP(address) !== 6 || address.includes('.') || address.includes('%')) return undefined
  const [head = '', tail] = address.split('::')
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  const missing = 8 - headGroups.length - tailGroups.length
  const groups = [
    ...headGroups,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailGroups,
  ]
  if (groups.length !== 8) return undefined
  const bytes = new Uint8Array(16)
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16)
    bytes[index * 2] = value >> 8
    bytes[index * 2 + 1] = value & 0xff
  })
  return bytes
}

/** The canonical (RFC 5952) text of 16 bytes. */
export function ipv6FromBytes(bytes: Uint8Array): string {
  const groups: string[] = []
  for (let index = 0; index < 16; index += 2) {
    groups.push((((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0)).toString(16))
  }
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address
}

/** Whether an IPv6 address is link-local (fe80::/10), which is unusable without a zone. */
export function isIpv6LinkLocal(address: string): boolean {
  const bytes = ipv6ToBytes(address)
  return bytes !== undefined && bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80
}
