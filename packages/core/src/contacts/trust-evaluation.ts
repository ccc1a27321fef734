// The trust decision for a message from an (agent, machine) pair: a pure function of what the
// contact book holds, so the rule table is tested without a database.
import type { MachineId } from '@x0x/pqc'
import type { TrustDecision } from '../direct/direct-types.js'
import type { Contact, ContactMachine } from './contact-types.js'

/** What the contact book knows about the sender. */
export interface TrustFacts {
  readonly contact: Contact | undefined
  readonly machines: readonly ContactMachine[]
  readonly revoked: boolean
}

/**
 * The rules, first match wins (API.md §1.8 `/trust/evaluate`):
 *
 * 1. revoked agent → `reject_blocked` (checked before the contact exists, because revocation is
 *    forever and outlives removing the contact);
 * 2. no contact → `unknown`;
 * 3. trust `blocked` → `reject_blocked`;
 * 4. the contact has at least one pinned machine and `machineId` is not one of them →
 *    `reject_machine_mismatch` (pinning is a promise that the agent key only runs there, so a
 *    message from elsewhere suggests a stolen agent key, whatever the trust level);
 * 5. trust `unknown` → `unknown`;
 * 6. trust `known` / `trusted` and `machineId` is a recorded machine of the contact → `accept`;
 * 7. trust `known` / `trusted` on a machine never recorded → `accept_with_flag`.
 */
export function decideTrust(facts: TrustFacts, machineId: MachineId): TrustDecision {
  const { contact, machines } = facts
  if (facts.revoked) return 'reject_blocked'
  if (contact === undefined) return 'unknown'
  if (contact.trustLevel === 'blocked') return 'reject_blocked'
  const pinned = machines.filter((machine) => machine.pinned)
  if (pinned.length > 0 && !pinned.some((machine) => machine.machineId === machineId)) {
    return 'reject_machine_mismatch'
  }
  if (contact.trustLevel === 'unknown') return 'unknown'
  return machines.some((machine) => machine.machineId === machineId) ? 'accept' : 'accept_with_flag'
}
