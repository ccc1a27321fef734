/**
 * `@x0x/core`: the x0x `Agent` (layer 7).
 *
 * @packageDocumentation
 */
export const CORE_PACKAGE = '@x0x/core'
