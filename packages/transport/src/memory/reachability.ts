import { InvalidArgumentError } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'

/** Two groups of machines that cannot reach each other. */
interface PartitionRule {
  readonly groupA: ReadonlySet<MachineId>
  readonly groupB: ReadonlySet<MachineId>
}

/**
 * Who can reach whom: partitions between groups, and isolated machines. Rules are few (a test
 * sets a handful), so a check walks them all; the links cache the answer per version.
 */
export class Reachability {
  readonly #rules = new Set<PartitionRule>()
  readonly #isolated = new Map<MachineId, number>()
  #version = 0

  /** Bumped on every change, so that links know to look again. */
  get version(): number {
    return this.#version
  }

  /** Whether any partition or isolation is in force. */
  get partitioned(): boolean {
    return this.#rules.size > 0 || this.#isolated.size > 0
  }

  isReachable(from: MachineId, to: MachineId): boolean {
    if (this.#isolated.has(from) || this.#isolated.has(to)) return false
    for (const rule of this.#rules) {
      if (rule.groupA.has(from) && rule.groupB.has(to)) return false
      if (rule.groupB.has(from) && rule.groupA.has(to)) return false
    }
    return true
  }

  /** Separates the groups; the returned function lifts this partition alone. */
  partition(groupA: Iterable<MachineId>, groupB: Iterable<MachineId>): () => void {
    const rule: PartitionRule = { groupA: new Set(groupA), groupB: new Set(groupB) }
    for (const machineId of rule.groupA) {
      if (rule.groupB.has(machineId)) {
        throw new InvalidArgumentError(`machine ${machineId} is on both sides of the partition`)
      }
    }
    this.#rules.add(rule)
    this.#version++
    return () => {
      if (this.#rules.delete(rule)) this.#version++
    }
  }

  /** Cuts `machineId` off from everyone; the returned function lifts this isolation alone. */
  isolate(machineId: MachineId): () => void {
    // Counted, so that two overlapping isolations of one machine lift independently.
    this.#isolated.set(machineId, (this.#isolated.get(machineId) ?? 0) + 1)
    this.#version++
    let lifted = false
    return () => {
      if (lifted) return
      lifted = true
      const count = this.#isolated.get(machineId) ?? 0
      if (count <= 1) this.#isolated.delete(machineId)
      else this.#isolated.set(machineId, count - 1)
      this.#version++
    }
  }

  /** Lifts every partition and isolation. */
  healAll(): void {
    this.#rules.clear()
    this.#isolated.clear()
    this.#version++
  }
}
