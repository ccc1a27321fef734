// Turns the Plumtree core's actions into wire frames. Encoding is on the hot path of every
// forward, so a MESSAGE frame is built once per (envelope, hops, key attached) and shared by every
// neighbour that gets the same bytes, and PRUNE frames (every duplicate answers with one) are
// encoded once per topic. The origin's public key rides along the first MESSAGE of that origin to
// each neighbour (docs/protocols/pubsub.md "Public keys").
import type { PlumtreeAction } from './plumtree.js'
import type { PeerId } from './plumtree-state.js'
import type { PubsubOutput } from './pubsub-output.js'
import {
  encodeFrame,
  encodeMessageFrame,
  type PubsubFrame,
  type ResolvedFrameLimits,
} from './pubsub-frame.js'
import type { PublicKeyDirectory } from './public-key-directory.js'

/** One encoding of a MESSAGE frame: its hop count and whether the origin's key rides along. */
interface MessageFrame {
  readonly hops: number
  readonly withKey: boolean
  readonly frame: Uint8Array
}

export class FrameEncoder {
  readonly #limits: ResolvedFrameLimits
  readonly #keys: PublicKeyDirectory
  /** Bound of the PRUNE cache: one frame per topic with tree state. */
  readonly #maxTopics: number
  readonly #pruneFrames = new Map<string, Uint8Array>()

  constructor(limits: ResolvedFrameLimits, keys: PublicKeyDirectory, maxTopics: number) {
    this.#limits = limits
    this.#keys = keys
    this.#maxTopics = maxTopics
  }

  /** Encodes the core's actions into `output.sends`. */
  translate(output: PubsubOutput, actions: readonly PlumtreeAction[]): void {
    // Keyed by the envelope object (the core hands one object to every peer it pushes to), not
    // by a string built from the id per peer: that cost more than encoding the frame once.
    let frames: Map<object, MessageFrame[]> | undefined
    for (const action of actions) {
      if (action.type === 'send') {
        this.send(output, action.to, action.frame)
        continue
      }
      const { envelope, hops, to } = action
      const attach = this.#keys.shouldAttach(to, envelope.origin)
      const publicKey = attach ? this.#keys.get(envelope.origin) : undefined
      const withKey = publicKey !== undefined
      frames ??= new Map()
      let encoded = frames.get(envelope)
      if (encoded === undefined) {
        encoded = []
        frames.set(envelope, encoded)
      }
      let frame = encoded.find((entry) => entry.hops === hops && entry.withKey === withKey)?.frame
      if (frame === undefined) {
        frame = encodeMessageFrame(hops, envelope.bytes, publicKey)
        encoded.push({ hops, withKey, frame })
      }
      output.sends.push({ to, frame })
    }
  }

  /** Encodes one control frame to `to`. */
  send(output: PubsubOutput, to: PeerId, frame: PubsubFrame): void {
    if (frame.type !== 'prune') {
      output.sends.push({ to, frame: encodeFrame(frame, this.#limits) })
      return
    }
    let encoded = this.#pruneFrames.get(frame.topic)
    if (encoded === undefined) {
      if (this.#pruneFrames.size >= this.#maxTopics) this.#pruneFrames.clear()
      encoded = encodeFrame(frame, this.#limits)
      this.#pruneFrames.set(frame.topic, encoded)
    }
    output.sends.push({ to, frame: encoded })
  }
}
