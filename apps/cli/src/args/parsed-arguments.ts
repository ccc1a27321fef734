import { UsageError } from './usage-error.js'

/** The value an option was given: `true` for a flag, text, or a checked integer. */
export type OptionValue = string | number | boolean

/** What the parser found for one command, with typed accessors. */
export class ParsedArguments {
  /** The full command, e.g. `x0x contacts add` (for messages). */
  readonly command: string
  private readonly positionals: ReadonlyMap<string, string>
  private readonly options: ReadonlyMap<string, OptionValue>

  constructor(
    command: string,
    positionals: ReadonlyMap<string, string>,
    options: ReadonlyMap<string, OptionValue>,
  ) {
    this.command = command
    this.positionals = positionals
    this.options = options
  }

  /** A required positional (the parser has already refused a command line without it). */
  positional(name: string): string {
    const value = this.positionals.get(name)
    if (value === undefined) throw new UsageError(`missing argument <${name}>`, this.command)
    return value
  }

  /** An optional positional. */
  optionalPositional(name: string): string | undefined {
    return this.positionals.get(name)
  }

  /** Whether a boolean flag was given. */
  flag(name: string): boolean {
    return this.options.get(name) === true
  }

  /** A text option, or `undefined` when absent. */
  text(name: string): string | undefined {
    const value = this.options.get(name)
    return typeof value === 'string' ? value : undefined
  }

  /** An integer option, or `undefined` when absent. */
  integer(name: string): number | undefined {
    const value = this.options.get(name)
    return typeof value === 'number' ? value : undefined
  }

  /** Whether the option was given at all (any kind). */
  has(name: string): boolean {
    return this.options.has(name)
  }
}
