// One js-libp2p gossipsub node of the B6 side-by-side, run by mesh-loopback.ts as a child process
// with IPC: TCP on 127.0.0.1 + noise + yamux + identify, a default (Ed25519) peer id, stock
// gossipsub options (signed messages, D = 6). Resolves its imports from this directory's
// node_modules, which mesh-loopback.ts installs on first use (package.json here, pinned).
//
//   env: X0X_BENCH_TOPIC, X0X_BENCH_SLOW_MS (0 = healthy subscriber)
// Implementation commands: {cmd:'dial',addrs:[multiaddr]}.
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { runRole } from '../mesh/node-role.mjs'

const topic = process.env.X0X_BENCH_TOPIC ?? 'x0x-bench'
const slowMs = Number(process.env.X0X_BENCH_SLOW_MS ?? 0)

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), pubsub: gossipsub() },
})
const pubsub = node.services.pubsub
let disconnects = 0
node.addEventListener('peer:disconnect', () => {
  disconnects++
})

const deliver = runRole({
  slowMs,
  publish: (bytes) => pubsub.publish(topic, bytes),
  status: () => ({
    connections: node.getConnections().length,
    topicPeers: pubsub.getSubscribers(topic).length,
    meshPeers: pubsub.getMeshPeers(topic).length,
  }),
  extraReport: () => ({
    disconnects,
    connections: node.getConnections().length,
    meshPeers: pubsub.getMeshPeers(topic).length,
  }),
  onCommand: async (message) => {
    if (message.cmd !== 'dial') throw new Error(`unknown command ${message.cmd}`)
    await Promise.all(message.addrs.map((address) => node.dial(multiaddr(address))))
  },
  close: () => node.stop(),
})
pubsub.addEventListener('message', (event) => {
  if (event.detail.topic === topic) deliver(event.detail.data)
})
pubsub.subscribe(topic)
process.send({
  type: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map((address) => address.toString()),
})
