import type { MachineId } from '@x0x/pqc'
import {
  createMembershipState,
  stepMembership,
  type MembershipAction,
  type MembershipInput,
  type MembershipMessage,
  type MembershipState,
  type MembershipStateInit,
  type PeerDescriptor,
} from '../src/index.js'

/** A deterministic peer descriptor for index `index`. */
export function peer(index: number): PeerDescriptor {
  return {
    id: index.toString(16).padStart(64, '0') as MachineId,
    addresses: [{ host: `10.0.0.${index}`, port: 5483 }],
  }
}

/** Small, mutually distinct limits so a swapped parameter cannot pass a test. */
export const SMALL_LIMITS: MembershipStateInit = {
  activeViewSize: 3,
  maxActiveViewSize: 5,
  passiveViewSize: 7,
  maxPassiveEntriesPerSource: 2,
  maxFailedPeers: 4,
  maxPendingIndirectProbes: 6,
  shuffleActiveCount: 2,
  shufflePassiveCount: 1,
}

/** A running node (peer 0) driven by hand, recording every action. */
export class Driver {
  readonly state: MembershipState
  now = 0
  actions: MembershipAction[] = []

  constructor(init: MembershipStateInit = {}) {
    this.state = createMembershipState(peer(0), { seed: 1, ...init })
    this.input({ type: 'start' })
  }

  input(input: MembershipInput): MembershipAction[] {
    const { actions } = stepMembership(this.state, input, this.now)
    this.actions.push(...actions)
    return actions
  }

  receive(from: number, message: MembershipMessage): MembershipAction[] {
    return this.input({ type: 'receive', from: peer(from).id, message })
  }

  advance(ms: number): MembershipAction[] {
    this.now += ms
    return this.input({ type: 'tick' })
  }

  /** Makes peers `indexes` active neighbours by accepting their NEIGHBOR requests. */
  connect(...indexes: number[]): void {
    for (const index of indexes) {
      this.receive(index, { type: 'neighbor', priority: 'high', addresses: peer(index).addresses })
    }
  }

  sent(
    type: MembershipMessage['type'],
    actions = this.actions,
  ): { to: string; message: MembershipMessage }[] {
    return actions.flatMap((action) =>
      action.type === 'send' && action.message.type === type
        ? [{ to: action.to.id, message: action.message }]
        : [],
    )
  }
}
