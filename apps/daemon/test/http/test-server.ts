// A server over a small handler table of the test's own, on 127.0.0.1:0 with a temporary data dir.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TimeoutError } from '@x0x/base'
import { HttpError, startApiServer, type ApiServer, type RouteHandlers } from '../../src/index.js'

export const TOKEN = 'a'.repeat(64)

/** A class of the same shape as `JsonAnswer` from another module copy (the handlers' own). */
class ForeignAnswer {
  readonly status: number
  readonly body: unknown
  constructor(status: number, body: unknown) {
    this.status = status
    this.body = body
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => {
      resolve()
    })
  })
}

export const testHandlers: RouteHandlers = {
  json: {
    health: () => ({ ok: true, status: 'healthy' }),
    status: () => ({ ok: true, status: 'connected' }),
    publish: ({ body }) => ({ ok: true, echo: body }),
    announce: ({ body }) => ({ ok: true, body: body ?? null }),
    'agents.get': ({ params, query }) => {
      if (params['agent_id'] === 'f'.repeat(64)) throw new HttpError(404, 'agent not found')
      return { ok: true, params, query }
    },
    'peers.health': () => {
      throw new TimeoutError('probe timed out')
    },
    'peers.list': () => {
      throw new Error('ENOENT /secret/path')
    },
    'contacts.list': () => new ForeignAnswer(202, { ok: true, accepted: true }),
    'contacts.removeMachine': () => undefined,
  },
  sse: {
    events: (sink) => {
      sink.send('message', { type: 'message', data: { n: 1 } })
      sink.comment(':ping')
      return untilAborted(sink.signal)
    },
  },
  webSocket: {
    ws: (session) => {
      session.send({ type: 'connected' })
      session.onMessage((text) => {
        session.send({ type: 'echo', data: JSON.parse(text) as unknown })
      })
    },
  },
}

export interface RunningServer {
  readonly server: ApiServer
  readonly dataDir: string
  readonly base: string
  /** `fetch` with the bearer token. */
  authed(path: string, init?: RequestInit): Promise<Response>
  stop(): Promise<void>
}

export async function startTestServer(
  handlers: RouteHandlers = testHandlers,
): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'x0xd-http-'))
  const server = await startApiServer({
    config: { apiAddress: '127.0.0.1:0', dataDir },
    token: TOKEN,
    handlers,
    webSocketPingIntervalMs: 60_000,
  })
  const base = `http://${server.address}`
  return {
    server,
    dataDir,
    base,
    authed: (path, init = {}) =>
      fetch(base + path, {
        ...init,
        headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string>) },
      }),
    async stop() {
      await server.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
