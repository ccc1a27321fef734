import { X0xError } from '@x0x/base'

/** Key material (public key or seed) has the wrong length or is not a valid encoding. */
export class InvalidKeyError extends X0xError {
  override readonly name = 'InvalidKeyError'
}

/** Text or bytes given as an agent, machine or user id are not a well-formed id. */
export class InvalidIdError extends X0xError {
  override readonly name = 'InvalidIdError'
}

/**
 * Authenticated decryption failed: the ciphertext, nonce, key or associated data differ from what
 * was sealed. Deliberately says nothing about which one (no decryption oracle).
 */
export class DecryptionFailedError extends X0xError {
  override readonly name = 'DecryptionFailedError'
}

/** The requested crypto backend cannot run here (e.g. `native` on a Node without ML-DSA). */
export class BackendUnavailableError extends X0xError {
  override readonly name = 'BackendUnavailableError'
}

/** Options for the key-file errors: the file concerned. */
export interface KeyFileErrorOptions extends ErrorOptions {
  readonly path: string
}

/**
 * A key file exists but is not a valid key of the expected kind: wrong magic, size or kind, or a
 * public key that does not re-derive from the seed. The identity is never regenerated over it.
 */
export class KeyFileCorruptError extends X0xError {
  override readonly name = 'KeyFileCorruptError'
  readonly path: string

  constructor(message: string, options: KeyFileErrorOptions) {
    super(message, options)
    this.path = options.path
  }
}

/** A key file was written by a format version this code does not know (likely a newer x0x). */
export class UnsupportedKeyFileVersionError extends X0xError {
  override readonly name = 'UnsupportedKeyFileVersionError'
  readonly path: string
  readonly version: number

  constructor(message: string, options: KeyFileErrorOptions & { readonly version: number }) {
    super(message, options)
    this.path = options.path
    this.version = options.version
  }
}

/** A key file that must exist (loading without creating) is missing. */
export class KeyFileNotFoundError extends X0xError {
  override readonly name = 'KeyFileNotFoundError'
  readonly path: string

  constructor(message: string, options: KeyFileErrorOptions) {
    super(message, options)
    this.path = options.path
  }
}

/** Refused to write a key file because one already exists: keys are never overwritten. */
export class KeyFileExistsError extends X0xError {
  override readonly name = 'KeyFileExistsError'
  readonly path: string

  constructor(message: string, options: KeyFileErrorOptions) {
    super(message, options)
    this.path = options.path
  }
}

/** The file system refused to read or write a key file (permissions, I/O); see `cause`. */
export class KeyFileAccessError extends X0xError {
  override readonly name = 'KeyFileAccessError'
  readonly path: string

  constructor(message: string, options: KeyFileErrorOptions) {
    super(message, options)
    this.path = options.path
  }
}

/** An agent certificate's signature does not verify under the user key it carries. */
export class CertificateSignatureError extends X0xError {
  override readonly name = 'CertificateSignatureError'
}

/** An agent certificate is used at or after its `expiresAt`. */
export class CertificateExpiredError extends X0xError {
  override readonly name = 'CertificateExpiredError'
}

/** An agent certificate is used before its `issuedAt`. */
export class CertificateNotYetValidError extends X0xError {
  override readonly name = 'CertificateNotYetValidError'
}

/** An agent certificate is valid but binds a different agent or user than the one expected. */
export class CertificateMismatchError extends X0xError {
  override readonly name = 'CertificateMismatchError'
}
