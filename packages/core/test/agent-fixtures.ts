// Agents over one in-process `MemoryTransport` network on the real clock, with in-memory
// databases: the whole Agent (announcements, discovery, pub/sub, direct messages, trust) without
// sockets. The QUIC path between processes is covered by the daemon's black-box tests.
import { systemClock } from '@x0x/base'
import { createEphemeralIdentity, createPqcBackend, type Identity } from '@x0x/pqc'
import { createMemoryNetwork, formatPeerAddress, type MemoryNetwork } from '@x0x/transport'
import { createAgent, type Agent } from '../src/agent.js'
import type { AgentInit } from '../src/agent-types.js'
import { createContactBook } from '../src/contacts/contact-book.js'
import { createDiscoveryCache } from '../src/discovery/discovery-cache.js'
import { openMemoryDatabase } from '../src/store/database.js'

export const backend = createPqcBackend('native')

export interface AgentTestbed {
  readonly network: MemoryNetwork
  readonly agents: Agent[]
  /** Creates and starts an agent; all but the first bootstrap from the first. */
  add(init?: AgentInit, identity?: Identity): Promise<Agent>
  stop(): Promise<void>
}

export function createAgentTestbed(): AgentTestbed {
  const network = createMemoryNetwork({ seed: 7 }, { clock: systemClock })
  const agents: Agent[] = []
  return {
    network,
    agents,
    async add(init: AgentInit = {}, identity = createEphemeralIdentity({ backend })) {
      const first = agents[0]
      const transport = network.createTransport({
        machineId: identity.machineId,
        publicKey: identity.machine.publicKey,
      })
      const database = openMemoryDatabase()
      const agent = createAgent(
        {
          mdns: false,
          ...(first === undefined
            ? {}
            : { bootstrapPeers: first.transport.listenAddresses.map(formatPeerAddress) }),
          ...init,
        },
        {
          identity,
          transport,
          contacts: createContactBook(database),
          discovery: createDiscoveryCache({ database }),
          backend,
        },
      )
      agents.push(agent)
      await agent.start()
      return agent
    },
    async stop() {
      await Promise.all(agents.splice(0).map((agent) => agent.stop()))
    },
  }
}

/** Polls `condition` every 10 ms (real time) until it holds; fails after `timeoutMs`. */
export async function eventually<T>(
  condition: () => T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = condition()
    if (value !== undefined && value !== false) return value
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
