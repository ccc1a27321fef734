import { setTimeout as delay } from 'node:timers/promises'
import { generateMlDsa65KeyPair } from '@x0x/pqc'
import { describeTransportCompliance } from '../src/compliance/index.js'
import { createQuicTransport } from '../src/quic/quic-transport.js'

/** Real sockets settle in real time: a short pause lets packets and handshakes progress. */
const SETTLE_MS = 20

// Real UDP sockets on 127.0.0.1, each transport with its own machine key.
describeTransportCompliance('QuicTransport', async ({ count, limits }) => {
  const transports = Array.from({ length: count }, () =>
    createQuicTransport(
      { ...limits, listen: { host: '127.0.0.1', port: 0 } },
      { machineKey: generateMlDsa65KeyPair() },
    ),
  )
  await Promise.all(transports.map((transport) => transport.start()))
  return {
    transports,
    settle: () => delay(SETTLE_MS),
    teardown: async () => {
      await Promise.all(transports.map((transport) => transport.stop()))
    },
  }
})
