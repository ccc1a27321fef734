// CORS for browser apps served from this machine. x0x allows any origin that *starts with*
// `http://127.0.0.1`, `http://localhost` or `http://[::1]`, so `http://localhost.evil.com` passes.
// Deviation (documented in the README): the origin is parsed and its host must be exactly one of
// those three, with any port; `null` and file:// origins stay refused.
import type { IncomingMessage, ServerResponse } from 'node:http'

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Whether a browser page at `origin` may read our responses. */
export function isAllowedOrigin(origin: string | undefined): boolean {
  if (origin === undefined || origin === 'null') return false
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  // An Origin header is exactly scheme://host[:port]; anything more is not an origin.
  if (url.origin !== origin) return false
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
}

/** Adds the CORS response headers when the request's origin is allowed. */
export function applyCorsHeaders(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin
  response.setHeader('vary', 'origin')
  if (!isAllowedOrigin(origin)) return
  response.setHeader('access-control-allow-origin', origin as string)
}

/** x0x allows any method and any header from an allowed origin. */
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS'

/** Answers a preflight (any `OPTIONS`, exempt from auth): 204, with permissions if allowed. */
export function answerPreflight(request: IncomingMessage, response: ServerResponse): void {
  applyCorsHeaders(request, response)
  if (isAllowedOrigin(request.headers.origin)) {
    response.setHeader('access-control-allow-methods', ALLOWED_METHODS)
    const requested = request.headers['access-control-request-headers']
    response.setHeader('access-control-allow-headers', requested ?? '*')
    response.setHeader('access-control-max-age', '600')
  }
  response.writeHead(204).end()
}
