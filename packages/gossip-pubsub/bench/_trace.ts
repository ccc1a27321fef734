import { createRandom } from '@x0x/base'
import { createPqcBackend } from '@x0x/pqc'
import { createMemoisedVerifier, createOverlayBroadcast } from '@x0x/gossip-pubsub/testing'
import { decodeFrame, resolveFrameLimits } from '../dist/pubsub-frame.js'
import { messageIdOf, signedBodyOf } from '../dist/signed-envelope.js'
const size = Number(process.argv[2] ?? 1000)
const extra = JSON.parse(process.argv[3] ?? '{}')
const seed = Number(process.argv[4] ?? 1)
const random = createRandom(seed).derive('interest')
const subs = new Set<number>()
for (let i = 0; i < size; i++) if (random.float() < 0.1) subs.add(i)
const overlay = createOverlayBroadcast({ backend: createMemoisedVerifier(createPqcBackend('native')), simulation: { seed }, subscribed: (i) => subs.has(i), pubsub: extra })
overlay.addNodes(size, 5)
overlay.run(20_000)
const limits = resolveFrameLimits()
const indexOf = new Map<string, number>()
overlay.simulation.nodes.forEach((n, i) => indexOf.set(n.id, i))
const kindOfSend = new Map<string, string>() // `${from}>${to}>${id}` -> kind
const have: Set<string>[] = overlay.simulation.nodes.map(() => new Set())
const tally = new Map<string, number>()
const inc = (k: string, n = 1) => tally.set(k, (tally.get(k) ?? 0) + n)
let tracing = false
let samples = 0
const idOf = (env: Uint8Array) => Buffer.from(messageIdOf(signedBodyOf(env))).toString('hex').slice(0, 12)
overlay.simulation.nodes.forEach((n, i) => {
  const node = overlay.node(i) as any
  const recv = node.receive.bind(node)
  const label = (input: any): string => {
    if (input === undefined) return 'tick'
    if (input.type === 'message') return input.hops === 0 ? 'in:repair' : (input.forwardOnly ? 'in:fwd' : 'in:msg')
    return 'in:' + input.type
  }
  const classify = (i: number, inLabel: string, out: any) => {
    for (const s of out.sends) {
      if (s.frame[1] !== 1) continue
      const f = decodeFrame(s.frame, limits) as any
      const id = idOf(f.envelope)
      kindOfSend.set(`${i}>${indexOf.get(s.to)}>${id}`, `${inLabel}->h${f.hops === 0 ? 0 : '+'}${f.forwardOnly ? 'F' : ''}`)
    }
  }
  node.receive = (from: string, frame: Uint8Array, now: number) => {
    let input: any
    try { input = decodeFrame(frame, limits) } catch { }
    let kind = ''
    if (tracing && input?.type === 'message') {
      const id = idOf(input.envelope)
      const fi = indexOf.get(from)!
      kind = kindOfSend.get(`${fi}>${i}>${id}`) ?? 'unknown'
      const dup = have[i]!.has(id)
      have[i]!.add(id)
      const who = subs.has(i) ? 'sub' : 'oth'
      const fromWho = subs.has(fi) ? 'sub' : 'oth'
      inc(`${who} ${dup ? 'DUP' : 'new'} from ${fromWho} via ${kind}`)
    }
    const out = recv(from, frame, now)
    if (tracing && (i === 395 || i === 624) && now > 49000 && now < 52200 && input !== undefined && input.type !== 'ihave') {
      const fi = indexOf.get(from)!
      const desc = input.type === 'digest' ? `wantsReply=${input.wantsReply} ` + input.entries.map((e: any) => `${String(e.origin).slice(0,6)}:${e.contiguous}/${e.highest}`).join(' ') : input.type === 'message' ? `hops=${input.hops} ${idOf(input.envelope)}` : input.type === 'digest-summary' ? input.summary.slice(0,6) : ''
      const outs = out.sends.map((x: any) => { const f = decodeFrame(x.frame, limits) as any; return `${indexOf.get(x.to)}:${f.type}${f.type === 'digest' ? '(' + f.entries.length + (f.wantsReply ? 'R' : '') + ')' : ''}` }).join(' ')
      console.log('T', now.toFixed(0), i, '<-', fi, subs.has(fi) ? 'sub' : 'oth', input.type, desc, '=>', outs)
    }
    if (tracing && input?.type === 'digest' && !subs.has(indexOf.get(from)!)) {
      const reps = out.sends.filter((x: any) => x.frame[1] === 1).length
      if (reps > 0) {
        const core = node['_core'] ?? (node as any).core
        inc(`digest-from-oth answered by ${subs.has(i) ? 'sub' : 'oth'} wantsReply=${input.wantsReply} entries=${input.entries.length > 0 ? 'some' : 'none'}`)
        inc(`digest-from-oth repairs`, reps)
        if (samples < 12 && now > 45000) { samples++; console.log('sample', now.toFixed(0), i, subs.has(i), '<-', indexOf.get(from), 'wantsReply', input.wantsReply, 'entries', input.entries.map((e: any) => `${String(e.origin).slice(0,6)}:${e.contiguous}/${e.highest}`).join(' '), 'repairs', reps, 'repairedStreams', out.sends.filter((x: any) => x.frame[1] === 1).map((x: any) => { const f = decodeFrame(x.frame, limits) as any; return idOf(f.envelope) }).join(',')) }
      }
    }
    if (tracing) classify(i, label(input), out)
    return out
  }
  const tick = node.tick.bind(node)
  node.tick = (now: number) => { const out = tick(now); if (tracing) classify(i, 'tick', out); return out }
  const pub = node.publish.bind(node)
  node.publish = (...a: any[]) => { const out = pub(...a); if (tracing) classify(i, 'publish', out); return out }
})
const pick = overlay.simulation.random.derive('senders')
for (const [name, p] of [['one', () => 0], ['random', () => pick.int(size)]] as const) {
  overlay.resetCounters()
  tally.clear(); tracing = true
  const ids = []
  for (let b = 0; b < 20; b++) { const s = p(); ids.push(overlay.publish(s, new Uint8Array(256))); overlay.run(1000) }
  overlay.run(5000)
  let delivered = 0; let ldh = 0; for (const id of ids) { const f = overlay.delivery(id); delivered += f.delivered; ldh = Math.max(ldh, f.lastDeliveryHops) }
  let subFrames = 0; for (const i of subs) subFrames += overlay.counters.messageFramesByNode[i] ?? 0
  console.log(name, 'delivered', delivered, 'subFrames', subFrames, 'rmr', (subFrames / delivered - 1).toFixed(3), 'ldh', ldh)
  for (const [k, v] of [...tally].sort()) console.log('  ', k, v)
}
