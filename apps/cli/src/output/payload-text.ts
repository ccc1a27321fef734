import { decodeBase64, encodeBase64 } from '@x0x/api'

/** UTF-8 text → the standard base64 the API carries payloads in. */
export function textToBase64(text: string): string {
  return encodeBase64(new TextEncoder().encode(text))
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true })

/**
 * A payload for a person: its text when it is UTF-8 without control characters (tabs and line
 * breaks allowed), else a byte count and the base64. Printing arbitrary bytes could drive the
 * terminal (escape sequences from a remote sender), so those are never written raw.
 */
export function payloadToText(payload: string): string {
  let bytes: Uint8Array
  try {
    bytes = decodeBase64(payload)
  } catch {
    return `<invalid base64: ${payload.slice(0, 40)}>`
  }
  try {
    const text = strictDecoder.decode(bytes)
    // eslint-disable-next-line no-control-regex -- the point is to find control characters
    if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text)) return text
  } catch {
    // not UTF-8: fall through to the binary form
  }
  return `<${bytes.length} bytes, base64 ${payload}>`
}
