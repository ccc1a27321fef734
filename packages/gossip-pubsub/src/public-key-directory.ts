// How origin public keys travel. An agent id is SHA-256 of the agent's public key, so a key is
// self-certifying: whoever supplies it, the receiver checks its hash against the origin and
// needs no signature over it. Carrying the 1,952-byte key on every message would more than
// double a small message; instead a sender attaches an origin's key to the first MESSAGE of that
// origin it sends each neighbour (remembered per neighbour, bounded), and a receiver keeps
// verified keys in a bounded LRU. A receiver without the key (it evicted it, or the sender's
// memory was wrong) parks the envelope, sends KEY_REQUEST to the neighbour that forwarded it
// (which verified it, so it had the key), and verifies once KEY_RESPONSE arrives. Verification
// is never skipped: a parked envelope whose key never comes is dropped, counted, and left to
// anti-entropy.
import { InvalidArgumentError, LruCache } from '@x0x/base'
import type { AgentId } from '@x0x/pqc'
import {
  DEFAULT_KEY_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_KEYS_SENT_PER_NEIGHBOUR,
  DEFAULT_MAX_PARKED_ENVELOPES,
  DEFAULT_MAX_PUBLIC_KEYS,
} from './constants.js'
import type { PeerId } from './plumtree-state.js'
import type { SignedEnvelope } from './signed-envelope.js'

/** An envelope waiting for its origin's public key. */
export interface ParkedEnvelope {
  readonly from: PeerId
  readonly hops: number
  /** The frame's forward-only flag: once verified, the copy must still not reshape the tree. */
  readonly forwardOnly: boolean
  readonly envelope: SignedEnvelope
  readonly expiresAt: number
}

/** Options of the key directory, part of `PubsubNodeInit`. */
export interface PublicKeyDirectoryInit {
  /** Verified origin public keys kept (LRU). Default 4,096. */
  readonly maxPublicKeys?: number
  /** Envelopes parked awaiting their origin's key (oldest dropped). Default 256. */
  readonly maxParkedEnvelopes?: number
  /** Wait for a requested key before a parked envelope is dropped, ms. Default 2,000. */
  readonly keyRequestTimeout?: number
  /** Origins remembered per neighbour as "key already sent" (LRU). Default 1,024. */
  readonly maxKeysSentPerNeighbour?: number
}

export function resolvePublicKeyDirectoryLimits(
  init: PublicKeyDirectoryInit = {},
): PublicKeyDirectoryLimits {
  return {
    maxPublicKeys: init.maxPublicKeys ?? DEFAULT_MAX_PUBLIC_KEYS,
    maxParkedEnvelopes: init.maxParkedEnvelopes ?? DEFAULT_MAX_PARKED_ENVELOPES,
    keyRequestTimeout: init.keyRequestTimeout ?? DEFAULT_KEY_REQUEST_TIMEOUT_MS,
    maxKeysSentPerNeighbour: init.maxKeysSentPerNeighbour ?? DEFAULT_MAX_KEYS_SENT_PER_NEIGHBOUR,
  }
}

/** Bounds of a `PublicKeyDirectory`. */
export interface PublicKeyDirectoryLimits {
  readonly maxPublicKeys: number
  readonly maxParkedEnvelopes: number
  readonly keyRequestTimeout: number
  readonly maxKeysSentPerNeighbour: number
}

/** A cached key and the directory's operation count when it last moved to the recent end. */
interface KeyEntry {
  readonly publicKey: Uint8Array
  movedAt: number
}

export class PublicKeyDirectory {
  readonly limits: PublicKeyDirectoryLimits
  /**
   * Keys in approximate recency order, oldest first (evicted first when full). A strict LRU moves
   * the entry on every lookup (a delete and a set per message); here an entry moves only once it
   * has drifted `maxPublicKeys / 2` operations back. Eviction needs `maxPublicKeys` newer
   * placements, so a key used within the last `maxPublicKeys / 2` operations is never evicted.
   */
  readonly #keys = new Map<AgentId, KeyEntry>()
  readonly #moveAfter: number
  #operations = 0
  readonly #sent = new Map<PeerId, LruCache<AgentId, true>>()
  /** Oldest first. */
  #parked: ParkedEnvelope[] = []
  readonly #requested = new Map<AgentId, number>()

  constructor(limits: PublicKeyDirectoryLimits) {
    const capacity = limits.maxPublicKeys
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new InvalidArgumentError(`maxPublicKeys must be a positive integer, got ${capacity}`)
    }
    this.limits = limits
    this.#moveAfter = Math.floor(capacity / 2)
  }

  get parkedCount(): number {
    return this.#parked.length
  }

  get size(): number {
    return this.#keys.size
  }

  /** A key already checked against its agent id. */
  get(origin: AgentId): Uint8Array | undefined {
    const entry = this.#keys.get(origin)
    if (entry === undefined) return undefined
    const now = this.#operations++
    if (now - entry.movedAt >= this.#moveAfter) {
      this.#keys.delete(origin)
      this.#keys.set(origin, entry)
      entry.movedAt = now
    }
    return entry.publicKey
  }

  /** Stores a key the caller has checked: `agentIdFromPublicKey(publicKey) === origin`. */
  set(origin: AgentId, publicKey: Uint8Array): void {
    if (!this.#keys.delete(origin) && this.#keys.size >= this.limits.maxPublicKeys) {
      const oldest = this.#keys.keys().next()
      if (oldest.done !== true) this.#keys.delete(oldest.value)
    }
    this.#keys.set(origin, { publicKey, movedAt: this.#operations++ })
  }

  /** Parks an envelope; returns the one dropped to make room, if any. */
  park(entry: ParkedEnvelope): ParkedEnvelope | undefined {
    this.#parked.push(entry)
    return this.#parked.length > this.limits.maxParkedEnvelopes ? this.#parked.shift() : undefined
  }

  /** Whether a request for `origin`'s key should go out now (none outstanding), and records it. */
  shouldRequest(origin: AgentId, now: number): boolean {
    const pending = this.#requested.get(origin)
    if (pending !== undefined && pending > now) return false
    // Bounded by the parked envelopes: one outstanding request per parked origin at most.
    if (this.#requested.size > this.limits.maxParkedEnvelopes) this.#requested.clear()
    this.#requested.set(origin, now + this.limits.keyRequestTimeout)
    return true
  }

  /** Whether `origin`'s key was requested and not yet answered (unsolicited keys are ignored). */
  wasRequested(origin: AgentId): boolean {
    return this.#requested.has(origin)
  }

  /** Removes and returns the parked envelopes of `origin`, marking its request answered. */
  release(origin: AgentId): ParkedEnvelope[] {
    this.#requested.delete(origin)
    const released = this.#parked.filter((entry) => entry.envelope.origin === origin)
    if (released.length > 0)
      this.#parked = this.#parked.filter((entry) => entry.envelope.origin !== origin)
    return released
  }

  /** Removes and returns parked envelopes whose wait ended at `now`. */
  expire(now: number): ParkedEnvelope[] {
    for (const [origin, expiresAt] of this.#requested) {
      if (expiresAt <= now) this.#requested.delete(origin)
    }
    const expired = this.#parked.filter((entry) => entry.expiresAt <= now)
    if (expired.length > 0) this.#parked = this.#parked.filter((entry) => entry.expiresAt > now)
    return expired
  }

  /** The earliest parked deadline. */
  nextExpiry(): number | undefined {
    return this.#parked[0]?.expiresAt
  }

  /**
   * Whether to attach `origin`'s key when sending to `peer`: true the first time (and again
   * after the per-neighbour memory forgot it). Records the answer.
   */
  shouldAttach(peer: PeerId, origin: AgentId): boolean {
    let sent = this.#sent.get(peer)
    if (sent === undefined) {
      sent = new LruCache({ capacity: this.limits.maxKeysSentPerNeighbour })
      this.#sent.set(peer, sent)
    }
    if (sent.has(origin)) return false
    sent.set(origin, true)
    return true
  }

  /** Marks `origin`'s key as delivered to `peer` (sent in a KEY_RESPONSE). */
  markSent(peer: PeerId, origin: AgentId): void {
    this.shouldAttach(peer, origin)
  }

  /** Forgets what was sent to a neighbour that went down: a reconnect starts afresh. */
  forgetPeer(peer: PeerId): void {
    this.#sent.delete(peer)
  }
}
