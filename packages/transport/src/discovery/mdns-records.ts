// The pure core of mDNS discovery: the records a node advertises, whether a query asks for them,
// and the peers a response describes (RFC 6763 §4–6: PTR → instance, SRV → host and port,
// TXT → attributes, A/AAAA → addresses).
import { isIP } from 'node:net'
import { parseMachineId, type MachineId } from '@x0x/pqc'
import {
  MDNS_MAX_ADDRESSES_PER_PEER,
  MDNS_MAX_PEERS_PER_PACKET,
  MDNS_NAME_ID_CHARACTERS,
  MDNS_PROTOCOL_VERSION,
} from '../constants.js'
import type { PeerAddress } from '../transport.js'
import { DNS_TYPE, type DnsMessage, type DnsRecord } from './dns-message.js'
import { isIpv6LinkLocal } from './ip-address-bytes.js'

/** What a node advertises. */
export interface Advertisement {
  readonly serviceType: string
  readonly machineId: MachineId
  readonly port: number
  /** IP literals of this host. */
  readonly hosts: readonly string[]
  readonly ttlSeconds: number
}

/** A peer described by a response. */
export interface MdnsPeer {
  readonly machineId: MachineId
  readonly addresses: readonly PeerAddress[]
}

/** What a response says. */
export interface ResponseContent {
  readonly peers: readonly MdnsPeer[]
  /** Peers whose records were withdrawn (TTL 0, RFC 6762 §10.1). */
  readonly goodbyes: readonly MachineId[]
}

/** `x0x-<16 hex>.<service type>`: the instance name of a machine. */
export function instanceNameOf(serviceType: string, machineId: MachineId): string {
  return `x0x-${machineId.slice(0, MDNS_NAME_ID_CHARACTERS)}.${serviceType}`
}

/** `x0x-<16 hex>.local`: the host name of a machine. */
export function hostNameOf(machineId: MachineId): string {
  return `x0x-${machineId.slice(0, MDNS_NAME_ID_CHARACTERS)}.local`
}

/** The response announcing (or, with `ttlSeconds` 0, withdrawing) an advertisement. */
export function advertisementResponse(
  advertisement: Advertisement,
  ttlSeconds: number,
): DnsMessage {
  const { serviceType, machineId, port, hosts } = advertisement
  const instance = instanceNameOf(serviceType, machineId)
  const host = hostNameOf(machineId)
  const unique = { ttl: ttlSeconds, cacheFlush: true }
  const addressRecords: DnsRecord[] = hosts.flatMap((address): DnsRecord[] => {
    const family = isIP(address)
    if (family === 4) return [{ name: host, ...unique, type: 'A', address }]
    if (family === 6) return [{ name: host, ...unique, type: 'AAAA', address }]
    return []
  })
  return {
    id: 0,
    response: true,
    questions: [],
    answers: [
      { name: serviceType, ttl: ttlSeconds, cacheFlush: false, type: 'PTR', target: instance },
    ],
    additionals: [
      { name: instance, ...unique, type: 'SRV', priority: 0, weight: 0, port, target: host },
      {
        name: instance,
        ...unique,
        type: 'TXT',
        strings: [`id=${machineId}`, `v=${MDNS_PROTOCOL_VERSION}`],
      },
      ...addressRecords,
    ],
  }
}

/** The query browsing for `serviceType` (RFC 6763 §4.1). */
export function browseQuery(serviceType: string): DnsMessage {
  return {
    id: 0,
    response: false,
    questions: [{ name: serviceType, type: DNS_TYPE.PTR, unicastResponse: false }],
    answers: [],
    additionals: [],
  }
}

/** Whether a query asks for any record of `advertisement`. */
export function asksFor(query: DnsMessage, advertisement: Advertisement): boolean {
  const names = new Set([
    advertisement.serviceType,
    instanceNameOf(advertisement.serviceType, advertisement.machineId),
    hostNameOf(advertisement.machineId),
  ])
  return !query.response && query.questions.some((question) => names.has(question.name))
}

/**
 * The x0x peers a response describes, at most `MDNS_MAX_PEERS_PER_PACKET` of them. An instance
 * counts only with an SRV record and a TXT record carrying a valid machine id of our protocol
 * version; without A/AAAA records its address is the packet's source. Link-local IPv6 addresses
 * are left out: they are unusable without the zone, which DNS does not carry.
 */
export function readResponse(
  message: DnsMessage,
  serviceType: string,
  source: PeerAddress,
): ResponseContent {
  if (!message.response) return { peers: [], goodbyes: [] }
  const records = [...message.answers, ...message.additionals]
  const instances = new Map<string, number>()
  for (const record of records) {
    if (record.type === 'PTR' && record.name === serviceType && !instances.has(record.target)) {
      instances.set(record.target, record.ttl)
    }
  }
  const peers: MdnsPeer[] = []
  const goodbyes: MachineId[] = []
  for (const [instance, ttl] of instances) {
    if (peers.length + goodbyes.length >= MDNS_MAX_PEERS_PER_PACKET) break
    const machineId = machineIdOf(records, instance)
    if (machineId === undefined) continue
    if (ttl === 0) {
      goodbyes.push(machineId)
      continue
    }
    const service = records.find((record) => record.type === 'SRV' && record.name === instance)
    if (service?.type !== 'SRV' || service.port === 0) continue
    const hosts = records
      .filter(
        (record) =>
          (record.type === 'A' || record.type === 'AAAA') && record.name === service.target,
      )
      .map((record) => (record.type === 'A' || record.type === 'AAAA' ? record.address : ''))
      .filter((host) => !isIpv6LinkLocal(host))
    const unique = [...new Set(hosts.length > 0 ? hosts : [source.host])]
    const addresses = unique
      .slice(0, MDNS_MAX_ADDRESSES_PER_PEER)
      .map((host) => ({ host, port: service.port }))
    peers.push({ machineId, addresses })
  }
  return { peers, goodbyes }
}

function machineIdOf(records: readonly DnsRecord[], instance: string): MachineId | undefined {
  const text = records.find((record) => record.type === 'TXT' && record.name === instance)
  if (text?.type !== 'TXT') return undefined
  const attributes = new Map<string, string>()
  for (const entry of text.strings) {
    const separator = entry.indexOf('=')
    // RFC 6763 §6.4: the first occurrence of a key wins.
    const key = separator === -1 ? entry : entry.slice(0, separator)
    if (!attributes.has(key.toLowerCase()))
      attributes.set(key.toLowerCase(), entry.slice(separator + 1))
  }
  if (attributes.get('v') !== String(MDNS_PROTOCOL_VERSION)) return undefined
  try {
    const machineId = parseMachineId(attributes.get('id') ?? '')
    // The instance name must be the one this id implies, so one peer cannot speak for another name.
    return instance.startsWith(`x0x-${machineId.slice(0, MDNS_NAME_ID_CHARACTERS)}.`)
      ? machineId
      : undefined
  } catch {
    return undefined
  }
}
