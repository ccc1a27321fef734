import { BackendUnavailableError } from './errors.js'
import { createNativeBackend, isNativePqcSupported } from './native-backend.js'
import { createNobleBackend } from './noble-backend.js'
import type { PqcBackend, PqcBackendInit, PqcBackendName } from './pqc-backend.js'

let nativeSupported: boolean | undefined
let defaultBackend: PqcBackend | undefined

/** Whether the `native` backend can run on this Node (checked once, then remembered). */
export function isNativePqcAvailable(): boolean {
  nativeSupported ??= isNativePqcSupported()
  return nativeSupported
}

/**
 * A new backend of the given kind, with its own public-key cache.
 *
 * @throws BackendUnavailableError for `native` on a Node whose `node:crypto` lacks ML-DSA/ML-KEM.
 */
export function createPqcBackend(name: PqcBackendName, init: PqcBackendInit = {}): PqcBackend {
  switch (name) {
    case 'native':
      if (!isNativePqcAvailable()) {
        throw new BackendUnavailableError(
          `node:crypto in Node ${process.versions.node} has no ML-DSA-65 / ML-KEM-768 (needs Node ≥ 24 with OpenSSL ≥ 3.5)`,
        )
      }
      return createNativeBackend(init)
    case 'noble':
      return createNobleBackend()
  }
}

/** The process-wide backend used when none is given: `native` when available, else `noble`. */
export function defaultPqcBackend(): PqcBackend {
  defaultBackend ??= createPqcBackend(isNativePqcAvailable() ? 'native' : 'noble')
  return defaultBackend
}
