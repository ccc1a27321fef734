import { ByteReader, ByteWriter, fromHex } from '@x0x/base'
import { machineIdFromBytes, type MachineId } from '@x0x/pqc'
import type { PeerAddress } from '@x0x/transport'
import {
  MACHINE_ID_BYTES,
  MAX_ADDRESSES_PER_PEER,
  MAX_HOST_BYTES,
  MAX_MEMBERSHIP_FRAME_BYTES,
  MAX_PEERS_PER_MESSAGE,
  MEMBERSHIP_WIRE_VERSION,
} from './constants.js'
import { MembershipDecodeError } from './errors.js'
import type { MembershipMessage, MembershipMessageType } from './messages.js'
import type { PeerDescriptor } from './peer.js'

/** Limits a decoder enforces on hostile input; tests pass small ones. */
export interface MembershipCodecLimits {
  /** Frames longer than this are rejected before parsing. Default: `MAX_MEMBERSHIP_FRAME_BYTES`. */
  maxFrameBytes?: number
  /** Peers one shuffle or shuffle reply may carry. Default: `MAX_PEERS_PER_MESSAGE`. */
  maxPeersPerMessage?: number
}

// Wire type codes: stable, part of the protocol; never reuse a retired code.
const TYPE_CODES: Record<MembershipMessageType, number> = {
  join: 1,
  'forward-join': 2,
  neighbor: 3,
  'neighbor-reply': 4,
  disconnect: 5,
  shuffle: 6,
  'shuffle-reply': 7,
  ping: 8,
  ack: 9,
  'ping-request': 10,
  'ping-request-ack': 11,
}
const TYPES_BY_CODE = new Map<number, MembershipMessageType>(
  Object.entries(TYPE_CODES).map(([type, code]) => [code, type as MembershipMessageType]),
)

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder('utf-8', { fatal: true })

function writeMachineId(writer: ByteWriter, id: MachineId): void {
  writer.bytes(fromHex(id))
}

function writeAddresses(writer: ByteWriter, addresses: readonly PeerAddress[]): void {
  const kept = addresses.slice(0, MAX_ADDRESSES_PER_PEER)
  writer.uint8(kept.length)
  for (const address of kept) {
    writer.prefixedBytes('uint8', textEncoder.encode(address.host)).uint16(address.port)
  }
}

function writePeer(writer: ByteWriter, peer: PeerDescriptor): void {
  writeMachineId(writer, peer.id)
  writeAddresses(writer, peer.addresses)
}

function writePeers(writer: ByteWriter, peers: readonly PeerDescriptor[]): void {
  writer.uint8(peers.length)
  for (const peer of peers) writePeer(writer, peer)
}

/** Encodes a membership message into one frame. @throws InvalidArgumentError on out-of-range fields */
export function encodeMembershipMessage(message: MembershipMessage): Uint8Array {
  const writer = new ByteWriter({ initialBytes: 64, maxBytes: MAX_MEMBERSHIP_FRAME_BYTES })
  writer.uint8(MEMBERSHIP_WIRE_VERSION).uint8(TYPE_CODES[message.type])
  switch (message.type) {
    case 'join':
      writeAddresses(writer, message.addresses)
      break
    case 'forward-join':
      writePeer(writer, message.peer)
      writer.uint8(message.ttl)
      break
    case 'neighbor':
      writer.uint8(message.priority === 'high' ? 1 : 0)
      writeAddresses(writer, message.addresses)
      break
    case 'neighbor-reply':
      writer.uint8(message.accepted ? 1 : 0)
      break
    case 'disconnect':
      writer.uint8(message.leaving ? 1 : 0)
      break
    case 'shuffle':
      writePeer(writer, message.origin)
      writer.uint8(message.ttl)
      writePeers(writer, message.peers)
      break
    case 'shuffle-reply':
      writePeers(writer, message.peers)
      break
    case 'ping':
      writer.uint32(message.sequence).uint8(message.neighbor ? 1 : 0)
      break
    case 'ack':
      writer.uint32(message.sequence)
      break
    case 'ping-request':
      writePeer(writer, message.target)
      writer.uint32(message.sequence)
      break
    case 'ping-request-ack':
      writeMachineId(writer, message.target)
      writer.uint32(message.sequence)
      break
  }
  return writer.finish()
}

class FrameDecoder {
  readonly reader: ByteReader
  readonly maxPeers: number

  constructor(bytes: Uint8Array, maxPeers: number) {
    this.reader = new ByteReader(bytes)
    this.maxPeers = maxPeers
  }

  flag(what: string): boolean {
    const value = this.reader.uint8(what)
    if (value > 1) throw new MembershipDecodeError(`${what} must be 0 or 1, got ${value}`)
    return value === 1
  }

  machineId(what: string): MachineId {
    return machineIdFromBytes(this.reader.bytes(MACHINE_ID_BYTES, what))
  }

  addresses(): PeerAddress[] {
    const count = this.reader.count('uint8', MAX_ADDRESSES_PER_PEER, 'address count')
    const addresses: PeerAddress[] = []
    for (let index = 0; index < count; index++) {
      const host = textDecoder.decode(this.reader.prefixedBytes('uint8', MAX_HOST_BYTES, 'host'))
      addresses.push({ host, port: this.reader.uint16('port') })
    }
    return addresses
  }

  peer(what: string): PeerDescriptor {
    return { id: this.machineId(what), addresses: this.addresses() }
  }

  peers(): PeerDescriptor[] {
    const count = this.reader.count('uint8', this.maxPeers, 'peer count')
    const peers: PeerDescriptor[] = []
    for (let index = 0; index < count; index++) peers.push(this.peer('peer'))
    return peers
  }

  body(type: MembershipMessageType): MembershipMessage {
    const reader = this.reader
    switch (type) {
      case 'join':
        return { type, addresses: this.addresses() }
      case 'forward-join':
        return { type, peer: this.peer('new peer'), ttl: reader.uint8('ttl') }
      case 'neighbor':
        return {
          type,
          priority: this.flag('priority') ? 'high' : 'low',
          addresses: this.addresses(),
        }
      case 'neighbor-reply':
        return { type, accepted: this.flag('accepted') }
      case 'disconnect':
        return { type, leaving: this.flag('leaving') }
      case 'shuffle':
        return { type, origin: this.peer('origin'), ttl: reader.uint8('ttl'), peers: this.peers() }
      case 'shuffle-reply':
        return { type, peers: this.peers() }
      case 'ping':
        return { type, sequence: reader.uint32('sequence'), neighbor: this.flag('neighbor') }
      case 'ack':
        return { type, sequence: reader.uint32('sequence') }
      case 'ping-request':
        return { type, target: this.peer('target'), sequence: reader.uint32('sequence') }
      case 'ping-request-ack':
        return { type, target: this.machineId('target'), sequence: reader.uint32('sequence') }
    }
  }
}

/**
 * Decodes one frame from a peer, enforcing every limit while reading (frame size, peer count,
 * addresses per peer, host length, strict flags, no trailing bytes).
 *
 * @throws MembershipDecodeError on anything malformed, and nothing else
 */
export function decodeMembershipMessage(
  bytes: Uint8Array,
  limits: MembershipCodecLimits = {},
): MembershipMessage {
  const maxFrameBytes = limits.maxFrameBytes ?? MAX_MEMBERSHIP_FRAME_BYTES
  if (bytes.length > maxFrameBytes) {
    throw new MembershipDecodeError(`frame of ${bytes.length} bytes exceeds ${maxFrameBytes}`)
  }
  try {
    const decoder = new FrameDecoder(bytes, limits.maxPeersPerMessage ?? MAX_PEERS_PER_MESSAGE)
    const version = decoder.reader.uint8('version')
    if (version !== MEMBERSHIP_WIRE_VERSION) {
      throw new MembershipDecodeError(`unsupported membership wire version ${version}`)
    }
    const code = decoder.reader.uint8('type')
    const type = TYPES_BY_CODE.get(code)
    if (type === undefined) throw new MembershipDecodeError(`unknown message type ${code}`)
    const message = decoder.body(type)
    decoder.reader.end(type)
    return message
  } catch (error) {
    if (error instanceof MembershipDecodeError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new MembershipDecodeError(`malformed membership frame: ${reason}`, { cause: error })
  }
}
