import { createRandom } from '@x0x/base'
import { createPqcBackend, type PqcBackend } from '@x0x/pqc'

export const backend = createPqcBackend('native')
export const encoder = new TextEncoder()

/** A backend that counts verifications, to prove each message is verified once. */
export function countingBackend(): PqcBackend & { verifications: number } {
  const counting = {
    verifications: 0,
    name: backend.name,
    generateMlDsa65KeyPair: () => backend.generateMlDsa65KeyPair(),
    mlDsa65KeyPairFromSeed: (seed: Uint8Array) => backend.mlDsa65KeyPairFromSeed(seed),
    verifyMlDsa65: (
      publicKey: Uint8Array,
      message: Uint8Array,
      signature: Uint8Array,
      context?: Uint8Array,
    ) => {
      counting.verifications++
      return backend.verifyMlDsa65(publicKey, message, signature, context)
    },
    generateMlKem768KeyPair: () => backend.generateMlKem768KeyPair(),
    mlKem768KeyPairFromSeed: (seed: Uint8Array) => backend.mlKem768KeyPairFromSeed(seed),
    encapsulateMlKem768: (publicKey: Uint8Array) => backend.encapsulateMlKem768(publicKey),
  }
  return counting
}

/** A deterministic agent key. */
export function agentKey(label: string) {
  return backend.mlDsa65KeyPairFromSeed(createRandom(label.length).derive(label).bytes(32))
}
