// Direct messaging: private, acknowledged, ordered messages between two agents over the
// transport's `direct` streams (one outbound stream per remote machine keeps them in order), and,
// when no connection can be made, an ML-KEM-sealed envelope through gossip that only the
// recipient can open. Every message is signed by the sending agent; a receiver verifies it,
// drops retried duplicates, evaluates trust for the (agent, machine) pair and drops blocked senders
// silently (a blocked agent cannot tell it is blocked).
import {
  LruCache,
  TypedEventTarget,
  combineSignals,
  toHex,
  type Clock,
  type Logger,
} from '@x0x/base'
import {
  openEnvelope,
  sealEnvelope,
  type AgentId,
  type Identity,
  type MachineId,
  type PqcBackend,
} from '@x0x/pqc'
import type { Connection, FrameStream, Transport } from '@x0x/transport'
import {
  DIRECT_DEDUP_CAPACITY,
  DIRECT_ENVELOPE_PURPOSE,
  DIRECT_MESSAGE_MAX_AGE_MS,
  MAX_DIRECT_PAYLOAD_BYTES,
  MAX_PENDING_DIRECT_SENDS,
} from '../constants.js'
import { DirectPayloadTooLargeError, DirectSendError } from '../errors.js'
import {
  REQUEST_ID_BYTES,
  decodeBusEnvelope,
  decodeDirectFrame,
  encodeBusEnvelope,
  encodeDirectAck,
  encodeDirectMessage,
  type DirectMessageFrame,
} from './direct-codec.js'
import { DirectLink } from './direct-link.js'
import type {
  DirectMessage,
  DirectMessagingStats,
  DirectRoute,
  DirectSendResult,
  TrustDecision,
} from './direct-types.js'

/** What direct messaging needs from the agent around it. */
export interface DirectMessagingComponents {
  readonly transport: Transport
  readonly identity: Identity
  readonly backend: PqcBackend
  readonly clock: Clock
  readonly log: Logger
  /** Where `agentId` can be reached, if known. */
  resolve(agentId: AgentId): DirectRoute | undefined
  /** The contact book's decision for a message from `agentId` on `machineId`. */
  evaluateTrust(agentId: AgentId, machineId: MachineId | null): TrustDecision
  /** Publishes on the gossip DM bus; rejects when pub/sub is not running. */
  publishBus(bytes: Uint8Array): Promise<void>
}

export interface DirectSendOptions {
  signal?: AbortSignal | undefined
  /** Acknowledgement wait per attempt. */
  ackTimeoutMs: number
  /** Dial wait before falling back to gossip. */
  dialTimeoutMs: number
}

export interface DirectMessagingEvents {
  'direct:message': DirectMessage
}

const SEALED_OVERHEAD_BYTES = 8_192
const MAX_SKEW_MS = 30_000

function emptyStats(): DirectMessagingStats {
  return {
    outgoing_send_total: 0,
    outgoing_send_succeeded: 0,
    outgoing_send_failed: 0,
    outgoing_path_loopback: 0,
    outgoing_path_raw_quic: 0,
    outgoing_path_gossip_inbox: 0,
    incoming_envelopes_total: 0,
    incoming_decode_failed: 0,
    incoming_signature_failed: 0,
    incoming_trust_rejected: 0,
    incoming_delivered_to_subscribe: 0,
    incoming_duplicates: 0,
  }
}

/** The direct-message service of one agent. */
export class DirectMessaging extends TypedEventTarget<DirectMessagingEvents> {
  readonly stats: DirectMessagingStats = emptyStats()
  readonly #components: DirectMessagingComponents
  readonly #links = new Map<MachineId, DirectLink>()
  readonly #seen = new LruCache<string, true>({ capacity: DIRECT_DEDUP_CAPACITY })
  readonly #inbound = new Set<FrameStream>()
  readonly #shutdown = new AbortController()
  #pendingSends = 0

  constructor(components: DirectMessagingComponents) {
    super()
    this.#components = components
  }

  start(): void {
    this.#components.transport.handle('direct', (stream, connection) => {
      void this.#serve(stream, connection)
    })
  }

  stop(): void {
    this.#shutdown.abort(new DirectSendError('no_connectivity', 'agent stopped'))
    for (const link of this.#links.values()) link.abort(new Error('agent stopped'))
    for (const stream of this.#inbound) stream.abort(new Error('agent stopped'))
    this.#links.clear()
    this.#inbound.clear()
  }

  /**
   * Sends `payload` to `recipient`.
   *
   * @throws DirectPayloadTooLargeError, DirectSendError (with `kind`), AbortError
   */
  async send(
    recipient: AgentId,
    payload: Uint8Array,
    options: DirectSendOptions,
  ): Promise<DirectSendResult> {
    if (payload.length > MAX_DIRECT_PAYLOAD_BYTES) {
      throw new DirectPayloadTooLargeError(
        `payload is ${payload.length} bytes; at most ${MAX_DIRECT_PAYLOAD_BYTES}`,
      )
    }
    if (this.#pendingSends >= MAX_PENDING_DIRECT_SENDS) {
      throw new DirectSendError('no_connectivity', 'too many direct sends in flight')
    }
    this.stats.outgoing_send_total++
    this.#pendingSends++
    try {
      const result = await this.#send(recipient, payload, options)
      this.stats.outgoing_send_succeeded++
      if (result.path === 'loopback') this.stats.outgoing_path_loopback++
      else if (result.path === 'gossip_inbox') this.stats.outgoing_path_gossip_inbox++
      else this.stats.outgoing_path_raw_quic++
      return result
    } catch (error) {
      this.stats.outgoing_send_failed++
      throw error
    } finally {
      this.#pendingSends--
    }
  }

  /** Handles a message from the gossip DM bus (pub/sub verified that `origin` signed it). */
  receiveBus(origin: AgentId, bytes: Uint8Array): void {
    const { identity } = this.#components
    let envelope
    try {
      envelope = decodeBusEnvelope(bytes, MAX_DIRECT_PAYLOAD_BYTES + SEALED_OVERHEAD_BYTES)
    } catch {
      this.stats.incoming_decode_failed++
      return
    }
    if (envelope.recipient !== identity.agentId) return
    this.stats.incoming_envelopes_total++
    let frame: DirectMessageFrame
    try {
      const plaintext = openEnvelope({
        recipient: identity.agentKem,
        envelope: envelope.envelope,
        senderId: origin,
        recipientId: identity.agentId,
        purpose: DIRECT_ENVELOPE_PURPOSE,
      })
      const decoded = decodeDirectFrame(plaintext, this.#components.backend)
      if (decoded.type !== 'message' || decoded.sender !== origin) throw new Error('not a message')
      frame = decoded
    } catch {
      this.stats.incoming_signature_failed++
      return
    }
    const machineId = this.#components.resolve(origin)?.machineId ?? null
    this.#accept(frame, machineId, 'gossip_inbox')
  }

  async #send(
    recipient: AgentId,
    payload: Uint8Array,
    options: DirectSendOptions,
  ): Promise<DirectSendResult> {
    const { identity, clock } = this.#components
    const requestId = crypto.getRandomValues(new Uint8Array(REQUEST_ID_BYTES))
    const requestHex = toHex(requestId)
    const frame = encodeDirectMessage(
      { requestId, sentAt: clock.now(), recipient, payload },
      identity.agent,
    )
    if (recipient === identity.agentId) {
      const decoded = decodeDirectFrame(frame, this.#components.backend)
      if (decoded.type === 'message') this.#accept(decoded, identity.machineId, 'loopback')
      return { path: 'loopback', retriesUsed: 0, requestId: requestHex }
    }
    const route = this.#components.resolve(recipient)
    if (route === undefined) {
      throw new DirectSendError(
        'recipient_key_unavailable',
        'recipient is not in the discovery cache; import its card or wait for its announcement',
      )
    }
    const connection = await this.#connect(route, options)
    if (connection === undefined)
      return this.#sendThroughGossip(recipient, route, frame, requestHex)
    return this.#sendDirect(connection, requestId, frame, options)
  }

  async #connect(route: DirectRoute, options: DirectSendOptions): Promise<Connection | undefined> {
    const { transport } = this.#components
    const existing = transport.getConnection(route.machineId)
    if (existing !== undefined) return existing
    if (route.addresses.length === 0) return undefined
    const combined = combineSignals(options.signal, this.#shutdown.signal)
    const timeout = AbortSignal.timeout(options.dialTimeoutMs)
    const signal = combineSignals(combined.signal, timeout)
    try {
      return await transport.dial(
        { machineId: route.machineId, addresses: route.addresses },
        { signal: signal.signal },
      )
    } catch (error) {
      options.signal?.throwIfAborted()
      this.#components.log('direct dial failed: %s', String(error))
      return undefined
    } finally {
      signal.clear()
      combined.clear()
    }
  }

  async #sendDirect(
    connection: Connection,
    requestId: Uint8Array,
    frame: Uint8Array,
    options: DirectSendOptions,
  ): Promise<DirectSendResult> {
    const requestHex = toHex(requestId)
    let lastError: unknown
    for (let attempt = 0; attempt < 2; attempt++) {
      const combined = combineSignals(options.signal, this.#shutdown.signal)
      const timeout = AbortSignal.timeout(options.ackTimeoutMs)
      const signal = combineSignals(combined.signal, timeout)
      try {
        const link = await this.#link(connection, signal.signal)
        const status = await link.send(requestId, frame, signal.signal)
        if (status === 'rejected') {
          throw new DirectSendError('recipient_rejected', 'the recipient refused the message')
        }
        return { path: 'raw_quic_acked', retriesUsed: attempt, requestId: requestHex }
      } catch (error) {
        if (error instanceof DirectSendError) throw error
        options.signal?.throwIfAborted()
        lastError = error
        if (timeout.aborted) {
          throw new DirectSendError('timeout', 'no acknowledgement in time', { cause: error })
        }
      } finally {
        signal.clear()
        combined.clear()
      }
    }
    throw new DirectSendError('peer_disconnected', 'the connection failed while sending', {
      cause: lastError,
    })
  }

  async #link(connection: Connection, signal: AbortSignal): Promise<DirectLink> {
    const existing = this.#links.get(connection.remoteMachineId)
    if (existing !== undefined && !existing.closed) return existing
    const stream = await connection.openStream('direct', { signal })
    const link = new DirectLink(
      stream,
      this.#components.backend,
      this.#components.log,
      (closed) => {
        if (this.#links.get(connection.remoteMachineId) === closed) {
          this.#links.delete(connection.remoteMachineId)
        }
      },
    )
    this.#links.set(connection.remoteMachineId, link)
    return link
  }

  async #sendThroughGossip(
    recipient: AgentId,
    route: DirectRoute,
    frame: Uint8Array,
    requestId: string,
  ): Promise<DirectSendResult> {
    if (route.kemPublicKey === null) {
      throw new DirectSendError('peer_likely_offline', 'no connection and no KEM key for gossip')
    }
    const { identity, backend } = this.#components
    const envelope = sealEnvelope({
      recipientKemPublicKey: route.kemPublicKey,
      plaintext: frame,
      senderId: identity.agentId,
      recipientId: recipient,
      purpose: DIRECT_ENVELOPE_PURPOSE,
      backend,
    })
    try {
      await this.#components.publishBus(encodeBusEnvelope({ recipient, envelope }))
    } catch (error) {
      throw new DirectSendError('local_gossip_unavailable', 'gossip is not running', {
        cause: error,
      })
    }
    return { path: 'gossip_inbox', retriesUsed: 0, requestId }
  }

  async #serve(stream: FrameStream, connection: Connection): Promise<void> {
    this.#inbound.add(stream)
    try {
      for await (const bytes of stream) {
        this.stats.incoming_envelopes_total++
        let frame
        try {
          frame = decodeDirectFrame(bytes, this.#components.backend)
        } catch {
          this.stats.incoming_signature_failed++
          continue
        }
        if (frame.type !== 'message') {
          this.stats.incoming_decode_failed++
          continue
        }
        const status = this.#accept(frame, connection.remoteMachineId, 'raw_quic')
        await stream.send(encodeDirectAck(frame.requestId, status), {
          signal: this.#shutdown.signal,
        })
      }
    } catch (error) {
      this.#components.log('inbound direct stream ended: %s', String(error))
      stream.abort(error instanceof Error ? error : new Error(String(error)))
    } finally {
      this.#inbound.delete(stream)
    }
  }

  /** Verifies addressing, freshness and trust; delivers. The status is what the sender is told. */
  #accept(
    frame: DirectMessageFrame,
    machineId: MachineId | null,
    path: DirectMessage['path'],
  ): 'delivered' | 'rejected' {
    const { identity, clock } = this.#components
    const now = clock.now()
    if (frame.recipient !== identity.agentId) return 'rejected'
    if (frame.sentAt < now - DIRECT_MESSAGE_MAX_AGE_MS || frame.sentAt > now + MAX_SKEW_MS) {
      this.stats.incoming_decode_failed++
      return 'rejected'
    }
    const key = `${frame.sender}:${toHex(frame.requestId)}`
    if (this.#seen.has(key)) {
      this.stats.incoming_duplicates++
      return 'delivered'
    }
    this.#seen.set(key, true)
    const trustDecision = this.#components.evaluateTrust(frame.sender, machineId)
    if (trustDecision === 'reject_blocked' || trustDecision === 'reject_machine_mismatch') {
      this.stats.incoming_trust_rejected++
      // Acknowledged as delivered: a blocked sender must not learn that it is blocked.
      return 'delivered'
    }
    this.stats.incoming_delivered_to_subscribe++
    this.safeDispatchEvent('direct:message', {
      sender: frame.sender,
      machineId,
      payload: frame.payload,
      receivedAt: now,
      verified: true,
      trustDecision,
      requestId: toHex(frame.requestId),
      path,
    })
    return 'delivered'
  }
}
