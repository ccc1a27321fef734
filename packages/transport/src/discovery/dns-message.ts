// The subset of DNS messages mDNS service discovery needs (RFC 1035 §4, RFC 6762, RFC 6763):
// questions, and PTR, SRV, TXT, A and AAAA records; other record types are skipped. Decoding treats
// every packet as hostile: size and record counts are bounded, compression pointers may only point
// backwards (so they cannot loop), and any violation is a `DecodeError`.
import { ByteReader, ByteWriter, DecodeError, InvalidArgumentError } from '@x0x/base'
import { MDNS_MAX_PACKET_BYTES, MDNS_MAX_RECORDS_PER_PACKET } from '../constants.js'
import { ipv4FromBytes, ipv4ToBytes, ipv6FromBytes, ipv6ToBytes } from './ip-address-bytes.js'

/** DNS record types used here (RFC 1035, RFC 2782, RFC 3596). */
export const DNS_TYPE = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 } as const
const CLASS_IN = 1
/** The top bit of a question's class asks for a unicast reply; of a record's, flushes caches (RFC 6762 §10.2). */
const TOP_BIT = 0x8000
const FLAG_RESPONSE = 0x8000
const FLAG_AUTHORITATIVE = 0x0400
const MAX_NAME_BYTES = 255
const MAX_LABEL_BYTES = 63
const HEADER_BYTES = 12

export interface DnsQuestion {
  /** Lowercase, dot-separated, without the trailing dot. */
  readonly name: string
  readonly type: number
  readonly unicastResponse: boolean
}

interface RecordHeader {
  /** Lowercase, dot-separated, without the trailing dot. */
  readonly name: string
  /** Seconds; 0 announces that the record is gone (RFC 6762 §10.1). */
  readonly ttl: number
  readonly cacheFlush: boolean
}

export type DnsRecord =
  | (RecordHeader & { readonly type: 'PTR'; readonly target: string })
  | (RecordHeader & {
      readonly type: 'SRV'
      readonly priority: number
      readonly weight: number
      readonly port: number
      readonly target: string
    })
  | (RecordHeader & { readonly type: 'TXT'; readonly strings: readonly string[] })
  | (RecordHeader & { readonly type: 'A' | 'AAAA'; readonly address: string })

export interface DnsMessage {
  readonly id: number
  readonly response: boolean
  readonly questions: readonly DnsQuestion[]
  readonly answers: readonly DnsRecord[]
  /** The additional section; the authority section is dropped when decoding. */
  readonly additionals: readonly DnsRecord[]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/** Encodes a message without name compression (x0x's responses are a few hundred bytes). */
export function encodeDnsMessage(message: DnsMessage): Uint8Array {
  const writer = new ByteWriter({ maxBytes: MDNS_MAX_PACKET_BYTES })
  const flags = message.response ? FLAG_RESPONSE | FLAG_AUTHORITATIVE : 0
  writer.uint16(message.id).uint16(flags).uint16(message.questions.length)
  writer.uint16(message.answers.length).uint16(0).uint16(message.additionals.length)
  for (const question of message.questions) {
    writeName(writer, question.name)
    writer.uint16(question.type).uint16(CLASS_IN | (question.unicastResponse ? TOP_BIT : 0))
  }
  for (const record of [...message.answers, ...message.additionals]) writeRecord(writer, record)
  return writer.finish()
}

function writeName(writer: ByteWriter, name: string): void {
  const labels = name.split('.').filter((label) => label !== '')
  for (const label of labels) writer.prefixedBytes('uint8', encoder.encode(label))
  writer.uint8(0)
}

function writeRecord(writer: ByteWriter, record: DnsRecord): void {
  writeName(writer, record.name)
  const data = new ByteWriter({ maxBytes: MDNS_MAX_PACKET_BYTES })
  switch (record.type) {
    case 'PTR':
      writeName(data, record.target)
      break
    case 'SRV':
      data.uint16(record.priority).uint16(record.weight).uint16(record.port)
      writeName(data, record.target)
      break
    case 'TXT':
      for (const text of record.strings) data.prefixedBytes('uint8', encoder.encode(text))
      break
    case 'A':
    case 'AAAA': {
      const bytes = record.type === 'A' ? ipv4ToBytes(record.address) : ipv6ToBytes(record.address)
      if (bytes === undefined) {
        throw new InvalidArgumentError(`${record.address} is not an ${record.type} address`)
      }
      data.bytes(bytes)
      break
    }
  }
  writer.uint16(DNS_TYPE[record.type]).uint16(CLASS_IN | (record.cacheFlush ? TOP_BIT : 0))
  writer.uint32(record.ttl).prefixedBytes('uint16', data.finish())
}

/**
 * Decodes a DNS message of at most `MDNS_MAX_PACKET_BYTES` and `MDNS_MAX_RECORDS_PER_PACKET`
 * questions and records together.
 *
 * @throws DecodeError for anything malformed or over a bound
 */
export function decodeDnsMessage(packet: Uint8Array): DnsMessage {
  if (packet.length > MDNS_MAX_PACKET_BYTES) {
    throw new DecodeError(`a ${packet.length}-byte packet is over ${MDNS_MAX_PACKET_BYTES} bytes`)
  }
  const reader = new ByteReader(packet)
  const id = reader.uint16('id')
  const flags = reader.uint16('flags')
  const counts = [reader.uint16(), reader.uint16(), reader.uint16(), reader.uint16()]
  const [questionCount = 0, answerCount = 0, authorityCount = 0, additionalCount = 0] = counts
  const total = questionCount + answerCount + authorityCount + additionalCount
  if (total > MDNS_MAX_RECORDS_PER_PACKET) {
    throw new DecodeError(`${total} entries, over the limit of ${MDNS_MAX_RECORDS_PER_PACKET}`)
  }
  const questions: DnsQuestion[] = []
  for (let index = 0; index < questionCount; index++) {
    const name = readName(packet, reader)
    const type = reader.uint16('question type')
    const questionClass = reader.uint16('question class')
    questions.push({ name, type, unicastResponse: (questionClass & TOP_BIT) !== 0 })
  }
  const readSection = (count: number): DnsRecord[] => {
    const records: DnsRecord[] = []
    for (let index = 0; index < count; index++) {
      const record = readRecord(packet, reader)
      if (record !== undefined) records.push(record)
    }
    return records
  }
  const answers = readSection(answerCount)
  readSection(authorityCount)
  const additionals = readSection(additionalCount)
  return { id, response: (flags & FLAG_RESPONSE) !== 0, questions, answers, additionals }
}

function readRecord(packet: Uint8Array, reader: ByteReader): DnsRecord | undefined {
  const name = readName(packet, reader)
  const type = reader.uint16('record type')
  const recordClass = reader.uint16('record class')
  const ttl = reader.uint32('ttl')
  const length = reader.uint16('record data length')
  const start = reader.offset
  const data = new ByteReader(reader.bytes(length, 'record data'))
  const header = { name, ttl, cacheFlush: (recordClass & TOP_BIT) !== 0 }
  if ((recordClass & ~TOP_BIT) !== CLASS_IN) return undefined
  // Names inside record data may point anywhere earlier in the packet, so they read from `packet`.
  const nameAt = (offset: number): string => {
    const nameReader = new ByteReader(packet)
    nameReader.bytes(start + offset)
    const target = readName(packet, nameReader)
    if (nameReader.offset > start + length) throw new DecodeError('a name overruns its record')
    return target
  }
  switch (type) {
    case DNS_TYPE.PTR:
      return { ...header, type: 'PTR', target: nameAt(0) }
    case DNS_TYPE.SRV: {
      const priority = data.uint16('priority')
      const weight = data.uint16('weight')
      const port = data.uint16('port')
      return { ...header, type: 'SRV', priority, weight, port, target: nameAt(6) }
    }
    case DNS_TYPE.TXT: {
      const strings: string[] = []
      while (data.remaining > 0) strings.push(decodeText(data.prefixedBytes('uint8', 255, 'text')))
      return { ...header, type: 'TXT', strings }
    }
    case DNS_TYPE.A:
      if (length !== 4) throw new DecodeError(`an A record of ${length} bytes`)
      return { ...header, type: 'A', address: ipv4FromBytes(data.bytes(4)) }
    case DNS_TYPE.AAAA:
      if (length !== 16) throw new DecodeError(`an AAAA record of ${length} bytes`)
      return { ...header, type: 'AAAA', address: ipv6FromBytes(data.bytes(16)) }
    default:
      return undefined
  }
}

/**
 * Reads a possibly compressed name at the reader's offset and advances past it. A pointer must
 * point strictly before every position already visited, so each jump moves backwards and the walk
 * ends (RFC 1035 §4.1.4 pointers refer to a "prior occurrence").
 */
function readName(packet: Uint8Array, reader: ByteReader): string {
  const labels: string[] = []
  let position = reader.offset
  let lowest = position
  let end: number | undefined
  let nameBytes = 1
  for (;;) {
    const length = packet[position]
    if (length === undefined) throw new DecodeError(`a name runs past the packet at ${position}`)
    if ((length & 0xc0) === 0xc0) {
      const low = packet[position + 1]
      if (low === undefined) throw new DecodeError('a name pointer runs past the packet')
      const pointer = ((length & 0x3f) << 8) | low
      end ??= position + 2
      if (pointer >= lowest || pointer < HEADER_BYTES) {
        throw new DecodeError(`a name pointer to ${pointer} does not point backwards`)
      }
      position = lowest = pointer
      continue
    }
    if (length > MAX_LABEL_BYTES) throw new DecodeError(`label type ${length >> 6} is unsupported`)
    if (length === 0) break
    nameBytes += length + 1
    if (nameBytes > MAX_NAME_BYTES) throw new DecodeError(`a name over ${MAX_NAME_BYTES} bytes`)
    const label = packet.subarray(position + 1, position + 1 + length)
    if (label.length !== length) throw new DecodeError('a label runs past the packet')
    const text = decodeText(label)
    // A dot inside a label would be ambiguous in the dotted form used here.
    if (text.includes('.')) throw new DecodeError('a label contains a dot')
    labels.push(text.toLowerCase())
    position += length + 1
  }
  reader.bytes((end ?? position + 1) - reader.offset, 'name')
  return labels.join('.')
}

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes)
  } catch (error) {
    throw new DecodeError('text is not UTF-8', { cause: error })
  }
}
