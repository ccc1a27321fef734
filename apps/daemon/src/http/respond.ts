import type { ServerResponse } from 'node:http'

/** Sends a complete response; `undefined` body sends none. */
export function sendResponse(
  response: ServerResponse,
  status: number,
  contentType: string | undefined,
  body: string | undefined,
): void {
  if (response.headersSent) {
    response.end()
    return
  }
  const headers: Record<string, string | number> = {}
  if (body !== undefined) {
    headers['content-type'] = contentType ?? 'application/json'
    headers['content-length'] = Buffer.byteLength(body)
  } else if (status !== 204 && status !== 304) {
    headers['content-length'] = 0
  }
  response.writeHead(status, headers)
  response.end(body)
}
