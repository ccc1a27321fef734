import type { MachineId } from '@x0x/pqc'
import { MAX_BOOTSTRAP_SEEDS } from '../constants.js'
import { InvalidPeerAddressError } from '../errors.js'
import type { DialTarget, PeerAddress } from '../transport.js'
import { isValidHost, isValidPort, parsePeerAddress, peerAddressKey } from './peer-address-text.js'

/** A seed with its identity, when known. */
export interface BootstrapSeed {
  /** `host:port`, `[ipv6]:port`, or an address. */
  address: string | PeerAddress
  /** The machine expected there; a seed without one is trusted by address alone. Default: none. */
  machineId?: MachineId | undefined
}

/**
 * The dial targets of configured seeds, parsed once at creation.
 *
 * @throws InvalidPeerAddressError for a malformed seed or more than `MAX_BOOTSTRAP_SEEDS`
 */
export function parseSeeds(seeds: readonly (string | BootstrapSeed)[]): DialTarget[] {
  if (seeds.length > MAX_BOOTSTRAP_SEEDS) {
    throw new InvalidPeerAddressError(`${seeds.length} seeds, more than ${MAX_BOOTSTRAP_SEEDS}`)
  }
  const targets: DialTarget[] = []
  const seen = new Set<string>()
  for (const seed of seeds) {
    const { address, machineId } = typeof seed === 'string' ? { address: seed } : seed
    const parsed = typeof address === 'string' ? parsePeerAddress(address) : checked(address)
    const key = peerAddressKey(parsed)
    if (seen.has(key)) continue
    seen.add(key)
    targets.push(
      machineId === undefined ? { addresses: [parsed] } : { machineId, addresses: [parsed] },
    )
  }
  return targets
}

function checked(address: PeerAddress): PeerAddress {
  if (!isValidHost(address.host) || !isValidPort(address.port)) {
    throw new InvalidPeerAddressError(`seed ${JSON.stringify(address)} is not a valid address`)
  }
  return { host: address.host, port: address.port }
}

/**
 * Seeds first (operators configured them), then cached peers, leaving out machines already
 * connected or listed twice. A seed known by address alone takes the machine id of a cached peer
 * at that address, so that one machine is not dialled twice in a round.
 */
export function roundTargets(
  seeds: readonly DialTarget[],
  cached: readonly DialTarget[],
  isConnected: (machineId: MachineId) => boolean,
): DialTarget[] {
  const cachedAt = new Map<string, DialTarget>()
  for (const target of cached) {
    for (const address of target.addresses) cachedAt.set(peerAddressKey(address), target)
  }
  const identified = seeds.map((seed) => {
    const first = seed.addresses[0]
    const known = first === undefined ? undefined : cachedAt.get(peerAddressKey(first))
    return seed.machineId === undefined && known?.machineId !== undefined
      ? { machineId: known.machineId, addresses: seed.addresses }
      : seed
  })
  const targets: DialTarget[] = []
  const machines = new Set<MachineId>()
  for (const target of [...identified, ...cached]) {
    const machineId = target.machineId
    if (machineId !== undefined) {
      if (machines.has(machineId) || isConnected(machineId)) continue
      machines.add(machineId)
    }
    targets.push(target)
  }
  return targets
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function forEachConcurrently<Item>(
  items: readonly Item[],
  concurrency: number,
  work: (item: Item) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as Item
      await work(item)
    }
  }
  const workers = Math.max(1, Math.min(concurrency, items.length))
  await Promise.all(Array.from({ length: workers }, worker))
}
