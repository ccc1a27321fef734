import { describe, expect, it } from 'vitest'
import { directMessageLine } from '../src/commands/direct-commands.js'
import { busEventLine } from '../src/commands/messaging-commands.js'
import { createOutput } from '../src/output/output.js'
import { payloadToText, textToBase64 } from '../src/output/payload-text.js'
import { renderTable, renderValue } from '../src/output/render.js'

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

describe('payloadToText', () => {
  it('shows UTF-8 text as itself, tabs and line breaks included', () => {
    expect(payloadToText(base64('grüße\tok\nline'))).toBe('grüße\tok\nline')
  })

  it('never prints control characters or invalid UTF-8 raw', () => {
    expect(payloadToText(base64('\u001b]0;owned\u0007'))).toBe(
      `<10 bytes, base64 ${base64('\u001b]0;owned\u0007')}>`,
    )
    const invalid = Buffer.from([0xff, 0xfe, 0x41]).toString('base64')
    expect(payloadToText(invalid)).toBe(`<3 bytes, base64 ${invalid}>`)
  })

  it('round-trips with textToBase64', () => {
    expect(payloadToText(textToBase64('✓ done'))).toBe('✓ done')
  })
})

describe('renderValue', () => {
  it('renders a single-list body as a table and an empty list as (none)', () => {
    expect(renderValue({ ok: true, peers: [{ id: 'a' }, { id: 'bb' }] })).toBe('ID\na\nbb\n')
    expect(renderValue({ ok: true, peers: [] })).toBe('(none)\n')
  })

  it('renders objects as key: value lines, nesting indented, ok left out, long text elided', () => {
    const text = renderValue({ ok: true, id: 'x', nested: { depth: 1 }, key: 'k'.repeat(150) })
    expect(text).toBe(
      `id: x\nnested:\n  depth: 1\nkey: ${'k'.repeat(100)}… (150 chars, see --json)\n`,
    )
  })

  it('bolds table headers only when colour is on', () => {
    expect(renderTable([{ a: 1 }], { color: true })).toBe('\u001b[1mA\u001b[22m\n1\n')
  })
})

describe('createOutput', () => {
  it('prints pretty JSON for results and JSON Lines for events under --json', () => {
    let stdout = ''
    const output = createOutput({
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => undefined },
      json: true,
    })
    output.result({ ok: true })
    output.event({ a: 1 }, 'ignored')
    expect(stdout).toBe('{\n  "ok": true\n}\n{"a":1}\n')
  })

  it('uses no colour when stdout is not a terminal or NO_COLOR is set', () => {
    const sink = { write: () => undefined }
    expect(createOutput({ stdout: sink, stderr: sink, json: false }).color).toBe(false)
    const terminal = { write: () => undefined, isTTY: true }
    expect(createOutput({ stdout: terminal, stderr: sink, json: false }).color).toBe(true)
    expect(createOutput({ stdout: terminal, stderr: sink, json: false, noColor: true }).color).toBe(
      false,
    )
  })
})

describe('stream lines', () => {
  it('formats file events and direct messages', () => {
    expect(
      busEventLine({
        type: 'file:offer',
        data: { transfer_id: 't1', filename: 'a.txt', size: 5, sender: 'ab'.repeat(32) },
      }),
    ).toBe(`file offer t1: a.txt (5 bytes) from ${'ab'.repeat(32)}`)
    const line = directMessageLine({
      sender: 'cd'.repeat(32),
      machine_id: 'ef'.repeat(32),
      payload: base64('hi'),
      received_at: Date.UTC(2026, 0, 1, 12, 0, 1, 5),
      verified: true,
      trust_decision: 'accept',
    })
    expect(line).toBe(`12:00:01.005  ${'cd'.repeat(8)} [verified, accept]: hi`)
  })
})
