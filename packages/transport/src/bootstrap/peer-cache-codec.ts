// The versioned JSON form of the peer cache. Decoding treats the file as hostile: it may have been
// edited, truncated by a full disk, or planted. A wrong shape or version fails as a whole; a bad
// peer entry is skipped; nothing larger than the configured bounds is kept.
import { parseMachineId, type MachineId } from '@x0x/pqc'
import { PEER_CACHE_FILE_VERSION } from '../constants.js'
import { PeerCacheCorruptError } from '../errors.js'
import { isValidHost, isValidPort } from './peer-address-text.js'
import type { CachedAddress, PeerCacheRecord } from './peer-record.js'

/** Bounds applied while decoding. */
export interface PeerCacheDecodeLimits {
  /** Records kept at most; the rest are skipped. */
  readonly maxPeers: number
  /** Addresses kept per record at most; the rest are dropped. */
  readonly maxAddressesPerPeer: number
}

/** The records of a decoded file, and how many entries were not valid records. */
export interface DecodedPeerCache {
  readonly records: PeerCacheRecord[]
  readonly skipped: number
}

/** Longest smoothed RTT believed (one minute); a larger value is not a measurement. */
const MAX_RTT_MS = 60_000

/** Encodes records as the version-1 file: `{ version, savedAt, peers: [...] }`. */
export function encodePeerCacheFile(records: Iterable<PeerCacheRecord>, savedAt: number): string {
  return JSON.stringify({ version: PEER_CACHE_FILE_VERSION, savedAt, peers: [...records] })
}

/**
 * Decodes a peer cache file, validating every field.
 *
 * @throws PeerCacheCorruptError when the text is not JSON, or not a version-1 cache
 */
export function decodePeerCacheFile(text: string, limits: PeerCacheDecodeLimits): DecodedPeerCache {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    // Includes the RangeError of absurdly deep nesting: still just a corrupt file.
    throw new PeerCacheCorruptError('the peer cache file is not valid JSON', { cause: error })
  }
  if (!isObject(parsed) || !Array.isArray(parsed.peers)) {
    throw new PeerCacheCorruptError('the peer cache file has no `peers` array')
  }
  if (parsed.version !== PEER_CACHE_FILE_VERSION) {
    throw new PeerCacheCorruptError(
      `the peer cache file has version ${typeof parsed.version === 'number' ? parsed.version : typeof parsed.version}, expected ${PEER_CACHE_FILE_VERSION}`,
    )
  }
  const records: PeerCacheRecord[] = []
  const seen = new Set<MachineId>()
  let skipped = 0
  for (const entry of parsed.peers as unknown[]) {
    const record = records.length < limits.maxPeers ? decodeRecord(entry, limits) : undefined
    if (record === undefined || seen.has(record.machineId)) {
      skipped++
      continue
    }
    seen.add(record.machineId)
    records.push(record)
  }
  return { records, skipped }
}

function decodeRecord(entry: unknown, limits: PeerCacheDecodeLimits): PeerCacheRecord | undefined {
  if (!isObject(entry) || typeof entry.machineId !== 'string') return undefined
  let machineId: MachineId
  try {
    machineId = parseMachineId(entry.machineId)
  } catch {
    return undefined
  }
  if (!Array.isArray(entry.addresses)) return undefined
  const addresses = (entry.addresses as unknown[])
    .slice(0, limits.maxAddressesPerPeer)
    .map(decodeAddress)
  const { successes, failures, consecutiveFailures, reliability, rttMs } = entry
  const { lastSuccessAt, lastFailureAt } = entry
  const valid =
    addresses.length > 0 &&
    addresses.every((address) => address !== undefined) &&
    isCount(successes) &&
    isCount(failures) &&
    isCount(consecutiveFailures) &&
    typeof reliability === 'number' &&
    reliability >= 0 &&
    reliability <= 1 &&
    (rttMs === undefined || (typeof rttMs === 'number' && rttMs >= 0 && rttMs <= MAX_RTT_MS)) &&
    isTime(lastSuccessAt) &&
    (lastFailureAt === undefined || isTime(lastFailureAt))
  if (!valid) return undefined
  return {
    machineId,
    addresses: addresses,
    successes,
    failures,
    consecutiveFailures,
    reliability,
    rttMs,
    lastSuccessAt,
    lastFailureAt,
  }
}

function decodeAddress(entry: unknown): CachedAddress | undefined {
  if (!isObject(entry)) return undefined
  const { host, port, lastSuccessAt } = entry
  if (!isValidHost(host) || !isValidPort(port) || !isTime(lastSuccessAt)) return undefined
  return { host, port, lastSuccessAt }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
