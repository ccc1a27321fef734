/**
 * `@x0x/pqc`: post-quantum identity and crypto.
 *
 * @packageDocumentation
 */
export {}
