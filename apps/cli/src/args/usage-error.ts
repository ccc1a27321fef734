import { X0xError } from '@x0x/base'

/**
 * The command line does not say something the CLI can run: an unknown command or option, a
 * missing argument, a value of the wrong kind. Exit code 1, with `command` naming the command
 * whose `--help` explains the right usage.
 */
export class UsageError extends X0xError {
  override readonly name = 'UsageError'
  /** The full command the user was typing, e.g. `x0x contacts add`. */
  readonly command: string

  constructor(message: string, command: string, options?: ErrorOptions) {
    super(message, options)
    this.command = command
  }
}
