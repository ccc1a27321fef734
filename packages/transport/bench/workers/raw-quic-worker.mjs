// B11/B8 raw-library worker: `node raw-quic-worker.mjs <library dir> <test> [server]`, where the
// library dir is an installed @matrixai/quic (patched: the workspace's; stock: bench/stock-quic).
// Ported from the QUIC lab (/tmp/quic-lab): client and server in two processes, mTLS with Ed25519.
import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'
import { setTimeout } from 'node:timers'
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto'

const len = (n) => {
  if (n < 0x80) return Buffer.from([n])
  const b = []
  for (; n > 0; n >>= 8) b.unshift(n & 0xff)
  return Buffer.from([0x80 | b.length, ...b])
}
const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from([tag]), len(body.length), body])
}
const seq = (...p) => tlv(0x30, ...p)
const set = (...p) => tlv(0x31, ...p)
const oid = (s) => {
  const a = s.split('.').map(Number)
  const out = [40 * a[0] + a[1]]
  for (const v of a.slice(2)) {
    const b = [v & 0x7f]
    for (let x = v >>> 7; x > 0; x >>>= 7) b.unshift(0x80 | (x & 0x7f))
    out.push(...b)
  }
  return tlv(0x06, Buffer.from(out))
}
const utf8 = (s) => tlv(0x0c, Buffer.from(s, 'utf8'))
const time = (d) => {
  // UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5)
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2)))
    : tlv(0x18, Buffer.from(iso))
}
const name = (cn) => seq(set(seq(oid('2.5.4.3'), utf8(cn))))
const ED25519 = seq(oid('1.3.101.112'))

const toPem = (label, der) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`

/**
 * @param {{ commonName?: string, days?: number, keyPair?: {privateKey, publicKey}, extensions?: Array<{oid: string, critical?: boolean, value: Uint8Array}> }} [opts]
 * @returns {{ keyPem: string, certPem: string, certDer: Buffer, publicKeyRaw: Buffer }}
 */
function makeEd25519Cert({ commonName = 'x0x', days = 3650, keyPair, extensions = [] } = {}) {
  const { privateKey, publicKey } = keyPair ?? generateKeyPairSync('ed25519')
  const serial = randomBytes(16)
  serial[0] &= 0x7f // positive INTEGER
  serial[0] |= 0x01 // and no leading zero byte to strip
  const now = Date.now()
  const exts = extensions.map((e) =>
    seq(
      oid(e.oid),
      ...(e.critical ? [tlv(0x01, Buffer.from([0xff]))] : []),
      tlv(0x04, Buffer.from(e.value)),
    ),
  )
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // version v3
    tlv(0x02, serial),
    ED25519,
    name(commonName),
    seq(time(new Date(now - 3600_000)), time(new Date(now + days * 86400_000))),
    name(commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    ...(exts.length ? [tlv(0xa3, seq(...exts))] : []),
  )
  const sig = sign(null, tbs, privateKey)
  const certDer = seq(tbs, ED25519, tlv(0x03, Buffer.from([0]), sig))
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    certPem: toPem('CERTIFICATE', certDer),
    certDer,
    publicKeyRaw: spki.subarray(spki.length - 32),
  }
}

/** Raw 32-byte Ed25519 public key of a DER certificate (as handed to verifyCallback). */
function certPublicKeyRaw(certDer) {
  const spki = new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' })
  return spki.subarray(spki.length - 32)
}

import { createHmac, timingSafeEqual, getRandomValues } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
// The library's own @matrixai/logger sits beside it in the pnpm store.
const {
  default: Logger,
  LogLevel,
  StreamHandler,
} = await import(pathToFileURL(join(process.argv[2], '..', 'logger', 'dist', 'index.js')).href)

/** @param {string} libraryDir an installed @matrixai/quic */
async function loadQuic(libraryDir) {
  return import(pathToFileURL(join(libraryDir, 'dist/index.js')).href)
}

/** The default logger prints INFO to stderr; hand every object a WARN logger. */
const logger = new Logger('quic', LogLevel.WARN, [new StreamHandler()])

/** Server crypto: `sign`/`verify` are used for stateless retry tokens and derived connection ids. */
function serverCrypto() {
  const key = randomBytes(32)
  return {
    key: key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength),
    ops: {
      async sign(k, data) {
        const mac = createHmac('sha256', Buffer.from(k)).update(Buffer.from(data)).digest()
        return mac.buffer.slice(mac.byteOffset, mac.byteOffset + mac.byteLength)
      },
      async verify(k, data, sig) {
        const mac = createHmac('sha256', Buffer.from(k)).update(Buffer.from(data)).digest()
        const s = Buffer.from(sig)
        return s.length === mac.length && timingSafeEqual(s, mac)
      },
    },
  }
}

const clientCrypto = {
  ops: {
    async randomBytes(ab) {
      getRandomValues(new Uint8Array(ab))
    },
  },
}

/** Recommended connection config (see NOTES.md). Options stock ignores are harmless there. */
const recommended = {
  maxIdleTimeout: 30_000,
  keepAliveIntervalTime: 10_000,
  maxRecvUdpPayloadSize: 1452,
  maxSendUdpPayloadSize: 1452,
  initialMaxData: 16 * 1024 * 1024,
  initialMaxStreamDataBidiLocal: 2 * 1024 * 1024,
  initialMaxStreamDataBidiRemote: 2 * 1024 * 1024,
  initialMaxStreamDataUni: 2 * 1024 * 1024,
  initialMaxStreamsBidi: 1000,
  initialMaxStreamsUni: 1000,
  maxConnectionWindow: 24 * 1024 * 1024,
  maxStreamWindow: 16 * 1024 * 1024,
  ccAlgorithm: 'cubic',
  enableHystart: true,
  enablePacing: true,
  readableChunkSize: 64 * 1024,
  applicationProtos: ['x0x/1'],
}

/**
 * Verifier for mutual TLS. `certs[0]` is the peer leaf (DER). Accepts when `allow(rawPubKey)`
 * returns true; otherwise returns the TLS alert `bad_certificate` (CryptoError.BadCertificate = 0x100+42).
 */
function makeVerifier(quic, allow = () => true, seen) {
  return async (certs) => {
    if (certs == null || certs.length === 0)
      return quic.native.CryptoError.CertificateRequired ?? 0x174
    const pk = certPublicKeyRaw(certs[0])
    seen?.push(pk)
    return allow(pk) ? undefined : quic.native.CryptoError.BadCertificate
  }
}

function tlsConfig(quic, id, allow, seen) {
  return {
    key: id.keyPem,
    cert: id.certPem,
    verifyPeer: true,
    verifyCallback: makeVerifier(quic, allow, seen),
  }
}

async function startServer(
  quic,
  { id, config = {}, allow, seen, socket, host = '127.0.0.1', port = 0 } = {},
) {
  id ??= makeEd25519Cert()
  const server = new quic.QUICServer({
    crypto: serverCrypto(),
    config: { ...recommended, ...tlsConfig(quic, id, allow, seen), ...config },
    socket,
    logger: logger.getChild('server'),
  })
  await server.start({ host, port })
  return { server, id }
}

async function dial(
  quic,
  { host = '127.0.0.1', port, id, config = {}, allow, seen, socket, timeout } = {},
) {
  id ??= makeEd25519Cert()
  return quic.QUICClient.createQUICClient(
    {
      host,
      port,
      localHost: '127.0.0.1',
      socket,
      crypto: clientCrypto,
      config: { ...recommended, ...tlsConfig(quic, id, allow, seen), ...config },
      logger: logger.getChild('client'),
    },
    timeout != null ? { timer: timeout } : undefined,
  )
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const [libraryDir, test, role] = process.argv.slice(2)
const variant = libraryDir
const quic = await loadQuic(libraryDir)
const MODE_ECHO = 0x45 // 'E'
const MODE_SINK = 0x53 // 'S'

async function serveStream(s) {
  const reader = s.readable.getReader()
  const writer = s.writable.getWriter()
  let mode = 0
  let total = 0
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    let v = value
    if (mode === 0) {
      mode = v[0]
      v = v.subarray(1)
    }
    if (mode === MODE_ECHO) {
      if (v.length > 0) await writer.write(v)
    } else total += v.length
  }
  if (mode === MODE_SINK) {
    const b = Buffer.alloc(8)
    b.writeBigUInt64BE(BigInt(total))
    await writer.write(b)
  }
  await writer.close()
}

if (role === 'server') {
  const { server, id } = await startServer(quic)
  server.addEventListener(quic.events.EventQUICServerConnection.name, (e) => {
    const conn = e.detail
    conn.addEventListener(quic.events.EventQUICConnectionStream.name, (se) => {
      serveStream(se.detail).catch(() => {})
    })
  })
  process.send({ port: server.port, certPem: id.certPem })
  process.on('message', async (m) => {
    if (m === 'cpu') process.send({ cpu: process.cpuUsage() })
    if (m === 'exit') {
      await server.stop({ force: true }).catch(() => {})
      process.exit(0)
    }
  })
} else {
  const child = fork(new URL(import.meta.url), [variant, test, 'server'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const { port } = await new Promise((res) => child.once('message', res))
  const id = makeEd25519Cert()
  const readN = async (reader, n) => {
    let got = 0
    while (got < n) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`stream ended after ${got}/${n} bytes`)
      got += value.length
    }
  }
  const sinkStream = async (conn, payload, gen) => {
    const s = conn.newStream()
    const w = s.writable.getWriter()
    await w.write(Buffer.from([MODE_SINK]))
    if (gen) for (const p of gen) await w.write(p)
    else await w.write(payload)
    await w.close()
    const r = s.readable.getReader()
    const chunks = []
    for (;;) {
      const { value, done } = await r.read()
      if (done) break
      chunks.push(value)
    }
    return Number(Buffer.concat(chunks).readBigUInt64BE(0))
  }
  let figures
  if (test === 'connect') {
    const socket = new quic.QUICSocket({ logger: logger.getChild('sock') })
    await socket.start({ host: '127.0.0.1', port: 0 })
    const connectMs = []
    const firstRttMs = []
    for (let i = 0; i < 43; i++) {
      const t0 = performance.now()
      const client = await dial(quic, { port, id, socket, timeout: 5000 })
      const t1 = performance.now()
      const s = client.connection.newStream()
      const w = s.writable.getWriter()
      await w.write(Buffer.from([MODE_ECHO, 1]))
      await readN(s.readable.getReader(), 1)
      const t2 = performance.now()
      await w.close()
      await client.destroy({ force: true })
      if (i >= 3) {
        connectMs.push(t1 - t0)
        firstRttMs.push(t2 - t0)
      }
    }
    await socket.stop({ force: true })
    const q = (a, p) => a.sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))]
    figures = {
      connect_median_ms: q(connectMs, 0.5),
      connect_p99_ms: q(connectMs, 0.99),
      connect_first_echo_median_ms: q(firstRttMs, 0.5),
      connect_first_echo_p99_ms: q(firstRttMs, 0.99),
    }
  } else {
    const client = await dial(quic, { port, id, timeout: 5000 })
    const conn = client.connection
    if (test === 'throughput') {
      // 64 MiB, or as much as fits in 30 s (stock is that slow); rate = bytes the server counted / time
      const TOTAL = 64 * 1024 * 1024
      const CHUNK = 64 * 1024
      const buf = randomBytes(CHUNK)
      const t0 = performance.now()
      const chunks = (function* () {
        for (let sent = 0; sent < TOTAL && performance.now() - t0 < 30_000; sent += CHUNK) yield buf
      })()
      const n = await sinkStream(conn, null, chunks)
      const dt = (performance.now() - t0) / 1000
      figures = { one_stream_mib_per_s: n / 1048576 / dt }
      if (n < TOTAL) figures.one_stream_capped_at_30s = 1
    } else if (test === 'reqresp') {
      const s = conn.newStream()
      const w = s.writable.getWriter()
      const r = s.readable.getReader()
      await w.write(Buffer.from([MODE_ECHO]))
      const msg = randomBytes(1024)
      for (let i = 0; i < 300; i++) {
        await w.write(msg)
        await readN(r, 1024)
      }
      // CPU time (user + system, µs) of both processes so far
      const cpuMicros = async () => {
        const server = await new Promise((res) => {
          child.once('message', (m) => res(m.cpu))
          child.send('cpu')
        })
        const client = process.cpuUsage()
        return client.user + client.system + server.user + server.system
      }
      let count = 0
      const cpuBefore = await cpuMicros()
      const t0 = performance.now()
      const end = t0 + 3000
      while (performance.now() < end) {
        await w.write(msg)
        await readN(r, 1024)
        count++
      }
      figures = {
        reqresp_1k_msgs_per_s: count / ((performance.now() - t0) / 1000),
        reqresp_1k_cpu_us_per_msg: ((await cpuMicros()) - cpuBefore) / count,
      }
      await w.close()
    } else if (test === 'streams') {
      // rounds of 200 concurrent 5 KB upload streams (each answered with 8 bytes); at most 5 rounds or 20 s
      const payload = randomBytes(5000)
      const BATCH = 200
      const ROUNDS = 5
      let completed = 0
      const one = () =>
        sinkStream(conn, payload).then((n) => {
          if (n !== 5000) throw new Error('bad stream length')
          completed++
        })
      await Promise.all(Array.from({ length: 20 }, one)) // warm-up
      completed = 0
      const t0 = performance.now()
      const all = (async () => {
        for (let round = 0; round < ROUNDS; round++)
          await Promise.all(Array.from({ length: BATCH }, one))
      })()
      const capped = await Promise.race([all.then(() => false), sleep(20_000).then(() => true)])
      figures = { streams_200x5kb_per_s: completed / ((performance.now() - t0) / 1000) }
      if (capped) {
        figures.streams_capped_at_20s = 1
        child.kill('SIGKILL')
        process.stdout.write(JSON.stringify({ variant, test, figures }) + '\n')
        process.exit(0)
      }
    }
    await client.destroy({ force: true })
  }
  child.send('exit')
  await new Promise((r) => child.once('exit', r))
  process.stdout.write(JSON.stringify({ variant, test, figures }) + '\n')
  await sleep(10)
  process.exit(0)
}
