import { createRandom } from '@x0x/base'
import { createPqcBackend } from '@x0x/pqc'
import { createMemoisedVerifier, createOverlayBroadcast } from '@x0x/gossip-pubsub/testing'
const size = Number(process.argv[2] ?? 1000)
const extra = JSON.parse(process.argv[3] ?? "{}")
const seed = 1
const random = createRandom(seed).derive('interest')
const subs = new Set<number>()
for (let i = 0; i < size; i++) if (random.float() < 0.1) subs.add(i)
const overlay = createOverlayBroadcast({ backend: createMemoisedVerifier(createPqcBackend('native')), simulation: { seed }, subscribed: (i) => subs.has(i), pubsub: extra })
overlay.addNodes(size, 5)
overlay.run(20_000)
const pick = overlay.simulation.random.derive('senders')
const snapshot = () => overlay.simulation.nodes.map((_, i) => ({ ...overlay.node(i).stats().pubsub_stages }) as Record<string, number>)
for (const [name, p] of [['one', () => 0], ['random', () => pick.int(size)]] as const) {
  const before = snapshot()
  overlay.resetCounters()
  const ids = []; const origins: number[] = []
  for (let b = 0; b < 20; b++) { const s = p(); origins.push(s); ids.push(overlay.publish(s, new Uint8Array(256))); overlay.run(1000) }
  overlay.run(5000)
  const after = snapshot()
  const sum = (set: (i: number) => boolean, key: string) => after.reduce((t, a, i) => t + (set(i) ? (a[key] ?? 0) - (before[i]![key] ?? 0) : 0), 0)
  let delivered = 0; let ldh = 0; for (const id of ids) { const f = overlay.delivery(id); delivered += f.delivered; ldh = Math.max(ldh, f.lastDeliveryHops) }
  const frames = overlay.counters.messageFramesByNode
  let subFrames = 0; for (const i of subs) subFrames += frames[i] ?? 0
  console.log(name, 'delivered', delivered, 'subFrames', subFrames, 'rmr', (subFrames / delivered - 1).toFixed(2), 'ldh', ldh)
  for (const key of ['graft_sent', 'grafts_forwarded', 'prune_sent', 'missing_recovered', 'missing_abandoned', 'eager_sent', 'repair_sent', 'forwarded_only', 'forward_only_entered', 'announcements_relayed', 'trimmed'])
    console.log('  ', key, 'subs', sum((i) => subs.has(i), key), 'others', sum((i) => !subs.has(i), key))
}
