// The datagram layer under mDNS, injectable so that the protocol runs on a real multicast socket
// in a node and on an in-memory bus in tests and simulations.
import { createSocket, type Socket } from 'node:dgram'
import { ClosedError, systemClock, type Clock } from '@x0x/base'
import { MDNS_IPV4_GROUP, MDNS_PORT } from '../constants.js'
import type { PeerAddress } from '../transport.js'

/** Receives one datagram and where it came from. */
export type MdnsPacketHandler = (packet: Uint8Array, from: PeerAddress) => void

/** A socket joined to the mDNS group: everything sent reaches every member, the sender included. */
export interface MdnsSocket {
  /** Joins the group; `onPacket` receives every datagram until `close`. */
  open(onPacket: MdnsPacketHandler): Promise<void>
  /** Sends one datagram to the group. */
  send(packet: Uint8Array): Promise<void>
  /** Leaves the group and releases the socket; idempotent. */
  close(): Promise<void>
}

/** Options of `createUdpMdnsSocket`. */
export interface UdpMdnsSocketInit {
  /** The multicast group. Default: `224.0.0.251` (RFC 6762 §3). */
  group?: string
  /** The port bound and sent to. Default: 5353. */
  port?: number
  /**
   * The local interface address to join and send on. Default: the system's choice. Tests on one
   * host use `127.0.0.1`.
   */
  interfaceAddress?: string | undefined
  /** Whether this host's own members hear what it sends; needed for two nodes on one host. Default: true. */
  multicastLoopback?: boolean
  /** IP TTL of sent datagrams: 255, as RFC 6762 §11 requires. Default: 255. */
  multicastTtl?: number
}

/** An IPv4 UDP socket bound with `reuseAddr`, so several nodes (and the OS responder) share the port. */
export function createUdpMdnsSocket(init: UdpMdnsSocketInit = {}): MdnsSocket {
  const group = init.group ?? MDNS_IPV4_GROUP
  const port = init.port ?? MDNS_PORT
  const interfaceAddress = init.interfaceAddress
  const multicastLoopback = init.multicastLoopback ?? true
  const multicastTtl = init.multicastTtl ?? 255
  let socket: Socket | undefined
  return {
    open: (onPacket) =>
      new Promise<void>((resolve, reject) => {
        const opened = createSocket({ type: 'udp4', reuseAddr: true })
        opened.once('error', reject)
        opened.on('message', (message, remote) => {
          onPacket(new Uint8Array(message), { host: remote.address, port: remote.port })
        })
        opened.bind(port, () => {
          try {
            opened.addMembership(group, interfaceAddress)
            if (interfaceAddress !== undefined) opened.setMulticastInterface(interfaceAddress)
            opened.setMulticastLoopback(multicastLoopback)
            opened.setMulticastTTL(multicastTtl)
          } catch (error) {
            opened.close()
            reject(error instanceof Error ? error : new ClosedError(String(error)))
            return
          }
          opened.off('error', reject)
          // Later socket errors (ICMP noise) must not crash the node; sends report their own.
          opened.on('error', () => undefined)
          socket = opened
          resolve()
        })
      }),
    send: (packet) =>
      new Promise<void>((resolve, reject) => {
        if (socket === undefined) {
          reject(new ClosedError('the mDNS socket is not open'))
          return
        }
        socket.send(packet, port, group, (error) => {
          if (error === null) resolve()
          else reject(error)
        })
      }),
    close: () =>
      new Promise<void>((resolve) => {
        const closing = socket
        socket = undefined
        if (closing === undefined) resolve()
        else
          closing.close(() => {
            resolve()
          })
      }),
  }
}

/** An in-memory multicast segment. */
export interface MemoryMdnsBus {
  /** A socket on the bus whose datagrams appear to come from `host`. */
  createSocket(host: string): MdnsSocket
  /** Members currently open. */
  readonly members: number
}

/** Options of `createMemoryMdnsBus`. */
export interface MemoryMdnsBusComponents {
  /** Delivery happens on a zero-delay timer of this clock. Default: `systemClock`. */
  clock?: Clock
}

/** A multicast segment in memory: every datagram reaches every open member asynchronously. */
export function createMemoryMdnsBus(components: MemoryMdnsBusComponents = {}): MemoryMdnsBus {
  const clock = components.clock ?? systemClock
  const members = new Set<{ handler: MdnsPacketHandler }>()
  return {
    get members() {
      return members.size
    },
    createSocket: (host) => {
      let member: { handler: MdnsPacketHandler } | undefined
      return {
        open: (onPacket) => {
          member = { handler: onPacket }
          members.add(member)
          return Promise.resolve()
        },
        send: (packet) => {
          if (member === undefined)
            return Promise.reject(new ClosedError('the mDNS socket is not open'))
          const copy = packet.slice()
          for (const receiver of members) {
            clock.setTimeout(() => {
              if (members.has(receiver)) receiver.handler(copy, { host, port: MDNS_PORT })
            }, 0)
          }
          return Promise.resolve()
        },
        close: () => {
          if (member !== undefined) members.delete(member)
          member = undefined
          return Promise.resolve()
        },
      }
    },
  }
}
