import { allRoutes } from '@x0x/api'
import { treeText } from '../args/help-text.js'
import { renderTable } from '../output/render.js'
import type { Command } from './command-context.js'

export const treeCommand: Command = {
  name: 'tree',
  summary: 'Print the whole command tree',
  run: (context) => {
    context.output.line(treeText(context.root).trimEnd())
    return Promise.resolve(undefined)
  },
}

/** The registry as plain records (what `routes --json` prints). */
export function routeTable(): {
  method: string
  path: string
  auth: string
  kind: string
  name: string
  summary: string
}[] {
  return allRoutes.map((route) => ({
    method: route.method,
    path: route.path,
    auth: route.auth,
    kind: route.kind,
    name: route.name,
    summary: route.summary,
  }))
}

export const routesCommand: Command = {
  name: 'routes',
  summary: "The daemon's route registry from @x0x/api (no daemon needed)",
  hidden: true,
  run: (context) => {
    const rows = routeTable()
    context.output.result(rows, () =>
      renderTable(rows, { color: context.output.color }, [
        'method',
        'path',
        'auth',
        'kind',
        'name',
      ]),
    )
    return Promise.resolve(undefined)
  },
}
