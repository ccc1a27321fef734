import type { CommandSpec, OptionSpec } from './command-spec.js'
import { commandName, valueNameOf } from './parse-command-line.js'

function optionLabel(spec: OptionSpec): string {
  const names = [
    ...(spec.short === undefined ? [] : [`-${spec.short}`]),
    `--${spec.name}`,
    ...(spec.aliases ?? []).map((alias) => `--${alias}`),
  ].join(', ')
  return spec.kind === 'boolean' ? names : `${names} <${valueNameOf(spec)}>`
}

/** Two aligned columns, indented by two spaces. */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length))
  return rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`.trimEnd())
}

/** `x0x contacts add <ID> --trust <LEVEL> [options]`. */
export function usageLine(path: readonly CommandSpec[]): string {
  const command = path[path.length - 1] as CommandSpec
  const parts = [commandName(path)]
  if (command.subcommands !== undefined)
    parts.push(command.run === undefined ? '<COMMAND>' : '[COMMAND]')
  for (const spec of command.positionals ?? []) {
    parts.push(spec.optional === true ? `[${spec.name}]` : `<${spec.name}>`)
  }
  for (const spec of command.options ?? []) {
    if (spec.required === true) parts.push(`--${spec.name} <${valueNameOf(spec)}>`)
  }
  parts.push('[options]')
  return parts.join(' ')
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', `${title}:`, ...lines]
}

/** The `--help` text of the last command of `path`. */
export function helpText(
  path: readonly CommandSpec[],
  globalOptions: readonly OptionSpec[],
): string {
  const command = path[path.length - 1] as CommandSpec
  const visible = (spec: { hidden?: boolean }) => spec.hidden !== true
  const lines = [command.summary, '', `Usage: ${usageLine(path)}`]
  lines.push(
    ...section(
      'Commands',
      columns(
        (command.subcommands ?? []).filter(visible).map((sub) => [sub.name, sub.summary] as const),
      ),
    ),
    ...section(
      'Arguments',
      columns((command.positionals ?? []).map((spec) => [`<${spec.name}>`, spec.summary] as const)),
    ),
    ...section(
      'Options',
      columns(
        (command.options ?? [])
          .filter(visible)
          .map((spec) => [optionLabel(spec), spec.summary] as const),
      ),
    ),
    ...section(
      'Global options',
      columns(
        globalOptions.filter(visible).map((spec) => [optionLabel(spec), spec.summary] as const),
      ),
    ),
  )
  return `${lines.join('\n')}\n`
}

/** The whole command tree, one command per line, indented by depth (`x0x tree`). */
export function treeText(root: CommandSpec): string {
  const lines: string[] = []
  const walk = (command: CommandSpec, depth: number): void => {
    const positionals = (command.positionals ?? []).map((spec) =>
      spec.optional === true ? `[${spec.name}]` : `<${spec.name}>`,
    )
    const label = [command.name, ...positionals].join(' ')
    lines.push(
      `${'  '.repeat(depth)}${label.padEnd(Math.max(0, 34 - depth * 2))}  ${command.summary}`,
    )
    for (const sub of command.subcommands ?? []) walk(sub, depth + 1)
  }
  walk(root, 0)
  return `${lines.join('\n')}\n`
}
