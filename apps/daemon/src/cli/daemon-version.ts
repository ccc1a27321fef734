import { COMPATIBLE_X0X_VERSION } from '@x0x/api'

/**
 * The version x0xd reports (`--version`, `/health`, `/status`): the x0x release whose API it
 * reproduces, because clients written for x0x read it to decide what the daemon supports. The
 * npm package version of `x0xd` is separate and says nothing about the API.
 */
export const DAEMON_VERSION = COMPATIBLE_X0X_VERSION
