import { X0xError } from '@x0x/base'

/** A trust level outside `blocked`, `unknown`, `known`, `trusted`. */
export class InvalidTrustLevelError extends X0xError {
  override readonly name = 'InvalidTrustLevelError'
}

/** An identity type outside `anonymous`, `known`, `trusted`, `pinned`. */
export class InvalidIdentityTypeError extends X0xError {
  override readonly name = 'InvalidIdentityTypeError'
}

/** The contact book is full (`maxContacts`), or a contact has `maxMachinesPerContact` machines. */
export class ContactLimitError extends X0xError {
  override readonly name = 'ContactLimitError'
}

/** `maxRevocations` agents are revoked already; revocations are never evicted. */
export class RevocationLimitError extends X0xError {
  override readonly name = 'RevocationLimitError'
}
