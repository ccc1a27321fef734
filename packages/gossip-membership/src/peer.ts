import type { MachineId } from '@x0x/pqc'
import type { PeerAddress } from '@x0x/transport'
import { MAX_ADDRESSES_PER_PEER } from './constants.js'

/**
 * A peer as membership knows it: its authenticated identity and where it may be dialled. The
 * addresses are hints from other peers (possibly hostile), capped at `MAX_ADDRESSES_PER_PEER`.
 */
export interface PeerDescriptor {
  readonly id: MachineId
  readonly addresses: readonly PeerAddress[]
}

/** A descriptor with at most `MAX_ADDRESSES_PER_PEER` addresses, so one dial stays bounded. */
export function boundedDescriptor(
  id: MachineId,
  addresses: readonly PeerAddress[],
): PeerDescriptor {
  return {
    id,
    addresses:
      addresses.length > MAX_ADDRESSES_PER_PEER
        ? addresses.slice(0, MAX_ADDRESSES_PER_PEER)
        : addresses,
  }
}
