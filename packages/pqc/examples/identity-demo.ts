// What `npm start` shows for now: a fresh post-quantum identity, held in memory only (no files
// written), used across both crypto backends.
//
//   node packages/pqc/examples/identity-demo.ts      (after `pnpm build`)
import {
  ML_DSA_65_SIGNATURE_BYTES,
  ML_KEM_768_CIPHERTEXT_BYTES,
  createEphemeralIdentity,
  createPqcBackend,
  isNativePqcAvailable,
  mlDsa65KeyPairFromSeed,
  openEnvelope,
  sealEnvelope,
  signingContext,
} from '@x0x/pqc'

const native = isNativePqcAvailable() ? createPqcBackend('native') : undefined
const noble = createPqcBackend('noble')
const primary = native ?? noble

const alice = createEphemeralIdentity({ backend: primary })
const bob = createEphemeralIdentity({ backend: primary })

console.log('x0x identity demo (in memory, nothing written to disk)')
console.log(`  agent id    ${alice.agentId}`)
console.log(`  machine id  ${alice.machineId}`)
console.log(
  `  keys        ML-DSA-65 public ${alice.agent.publicKey.length} B, signature ${ML_DSA_65_SIGNATURE_BYTES} B; ` +
    `ML-KEM-768 public ${alice.agentKem.publicKey.length} B, ciphertext ${ML_KEM_768_CIPHERTEXT_BYTES} B`,
)

// The same seed gives the same key on both backends, so each verifies what the other signed.
const context = signingContext('x0x/demo/v1')
const message = new TextEncoder().encode('hello from a post-quantum agent')
const nobleTwin = mlDsa65KeyPairFromSeed(alice.agent.exportSeed(), noble)
const signedNatively = alice.agent.sign(message, context)
const signedByNoble = nobleTwin.sign(message, context)
const crossChecks = [
  noble.verifyMlDsa65(alice.agent.publicKey, message, signedNatively, context),
  primary.verifyMlDsa65(alice.agent.publicKey, message, signedByNoble, context),
  !primary.verifyMlDsa65(alice.agent.publicKey, message, signedNatively),
]
console.log(
  `  signatures  ${primary.name} → noble and noble → ${primary.name}: ${crossChecks.every(Boolean) ? 'verified' : 'FAILED'} (wrong context rejected)`,
)

const binding = { senderId: alice.agentId, recipientId: bob.agentId, purpose: 'x0x/demo/v1' }
const envelope = sealEnvelope({
  ...binding,
  recipientKemPublicKey: bob.agentKem.publicKey,
  plaintext: message,
})
const opened = new TextDecoder().decode(
  openEnvelope({ ...binding, recipient: bob.agentKem, envelope }),
)
console.log(
  `  envelope    ${envelope.length} B sealed to bob's ML-KEM-768 key, opened: "${opened}"`,
)
console.log('The daemon (x0xd), networking and the CLI come in later milestones.')
if (!crossChecks.every(Boolean)) process.exitCode = 1
