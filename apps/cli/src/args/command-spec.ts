import type { ParsedArguments } from './parsed-arguments.js'

/** How an option takes its value: a bare flag, free text, or a whole number. */
export type OptionKind = 'boolean' | 'string' | 'integer'

/** One `--option` of a command. */
export interface OptionSpec {
  /** Without the dashes: `trust` for `--trust`. */
  readonly name: string
  readonly kind: OptionKind
  readonly summary: string
  /** How the value is shown in help (`<LEVEL>`). Default: the name upper-cased. */
  readonly valueName?: string
  /** Other spellings without dashes (`api-url` for `api`). Default: none. */
  readonly aliases?: readonly string[]
  /** One-letter spelling without the dash (`h` for `-h`). Default: none. */
  readonly short?: string
  /** The command refuses to run without it. Default: false. */
  readonly required?: boolean
  /** Left out of help (kept for compatibility with x0x's hidden flags). Default: false. */
  readonly hidden?: boolean
}

/** One positional argument of a command. */
export interface PositionalSpec {
  /** Shown upper-cased in usage (`ID`); also the key to read it back. */
  readonly name: string
  readonly summary: string
  /** May be left out. Default: false (required). */
  readonly optional?: boolean
}

/**
 * A command or a command family. A family has `subcommands`; when it also has `run`, that runs
 * when no subcommand is given (`x0x contacts` = `x0x contacts list`).
 */
export interface CommandSpec<Context = never> {
  readonly name: string
  readonly summary: string
  readonly positionals?: readonly PositionalSpec[]
  readonly options?: readonly OptionSpec[]
  readonly subcommands?: readonly CommandSpec<Context>[]
  /** Left out of help listings, as x0x hides `instances` and `routes`. Default: false. */
  readonly hidden?: boolean
  /** Resolves to the exit code (`undefined` = 0). */
  readonly run?: (context: Context, parsed: ParsedArguments) => Promise<number | undefined>
}
