import { renderValue } from './render.js'

/** Where text goes: `process.stdout`, or a test's buffer. */
export interface TextSink {
  write(text: string): unknown
  /** Whether this is a terminal (decides colour). Default: false. */
  readonly isTTY?: boolean
}

/** How a command prints, honouring `--json`. */
export interface Output {
  readonly json: boolean
  /** Whether text may carry ANSI styling (a terminal, and no `NO_COLOR`). */
  readonly color: boolean
  /** A response: pretty JSON under `--json`, else `render(value)` or the default rendering. */
  result(value: unknown, render?: (value: unknown) => string): void
  /** One item of a stream: one compact JSON line under `--json` (JSON Lines), else `text`. */
  event(value: unknown, text: string): void
  /** A line of text on stdout. */
  line(text: string): void
  /** Progress and status on stderr, so that stdout stays clean for pipes. */
  note(text: string): void
}

/** Options of `createOutput`. */
export interface OutputInit {
  readonly stdout: TextSink
  readonly stderr: TextSink
  readonly json: boolean
  /** Set when the environment has `NO_COLOR` (https://no-color.org). Default: false. */
  readonly noColor?: boolean
}

export function createOutput(init: OutputInit): Output {
  const color = init.stdout.isTTY === true && init.noColor !== true
  return {
    json: init.json,
    color,
    result(value, render) {
      if (init.json) init.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
      else init.stdout.write(render === undefined ? renderValue(value, { color }) : render(value))
    },
    event(value, text) {
      init.stdout.write(init.json ? `${JSON.stringify(value)}\n` : `${text}\n`)
    },
    line(text) {
      init.stdout.write(`${text}\n`)
    },
    note(text) {
      init.stderr.write(`${text}\n`)
    },
  }
}
