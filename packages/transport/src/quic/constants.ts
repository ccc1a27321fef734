// Wire constants, protocol labels and limits of the QUIC transport (docs/protocols/transport.md).

/**
 * OID of the certificate extension that binds the TLS key to the machine key: an arc under
 * `2.25` (ITU-T X.667), where an OID minted from a random UUID needs no registration.
 */
export const MACHINE_BINDING_OID = '2.25.132825408703196463304108011038037572966'

/**
 * How far a peer certificate's validity window is stretched at both ends when checked, for
 * clocks that disagree: a `notBefore` up to this far in our future, or a `notAfter` up to this
 * far in our past, is still accepted.
 */
export const CERTIFICATE_CLOCK_SKEW_MS = 5 * 60 * 1000

/**
 * Our certificates' `notBefore` lies this far before the start, so that a peer whose clock is
 * behind ours by up to this (plus the skew tolerance) accepts them.
 */
export const CERTIFICATE_BACKDATE_MS = 60 * 60 * 1000

/**
 * Our certificates' `notAfter`: RFC 5280 §4.1.2.5's "no well-defined expiration date"
 * (99991231235959Z). The key lives only as long as the process, and the machine binding signs
 * the key alone, so an expiry date would bound nothing (whoever holds the key can re-sign any
 * dates) while a node running longer than it would become unreachable.
 */
export const CERTIFICATE_NOT_AFTER = Date.UTC(9999, 11, 31, 23, 59, 59)

/** Version byte of the binding extension, so a later layout can coexist during an upgrade. */
export const MACHINE_BINDING_VERSION = 1

/** Domain separation of the binding signature (FIPS 204 context string). */
export const CERT_BINDING_CONTEXT = 'x0x/transport/cert-binding/v1'

/** Transcript prefix of the post-quantum handshake; also the root of its signature contexts. */
export const PQ_HANDSHAKE_LABEL = 'x0x/transport/pq-handshake/v3'

/** Context of the server's transcript signature: distinct from the client's, so none reflects. */
export const PQ_SERVER_SIGNATURE_CONTEXT = `${PQ_HANDSHAKE_LABEL}/server`

/** Context of the client's signature over its HELLO (and the transcript so far). */
export const PQ_CLIENT_SIGNATURE_CONTEXT = `${PQ_HANDSHAKE_LABEL}/client`

/** HKDF `info` of the session keys (RFC 5869 §3.2: binds the output to its use). */
export const SESSION_KEY_INFO = 'x0x/transport/session/v1'

/**
 * Version of the post-quantum handshake; a peer speaking another is refused. Version 2 signed
 * HELLO, so the client is open after one round trip (version 1 took two); version 3 signs it
 * ahead of the dial (it names no connection), so no signature is made on the client's path.
 */
export const PQ_HANDSHAKE_VERSION = 3

/** Size of each side's handshake nonce: 256 bits, so transcripts never repeat. */
export const HANDSHAKE_NONCE_BYTES = 32

/** Plaintext of the server's READY frame: key confirmation, the client opens it or fails. */
export const READY_PLAINTEXT = 'x0x/transport/ready/v3'

/** Plaintext of the client's FINISH frame: key confirmation, the server opens it or fails. */
export const FINISH_PLAINTEXT = 'x0x/transport/finish/v3'

/** ALPN of our QUIC connections (RFC 9001 §8.1): both ends must offer it. */
export const APPLICATION_PROTOCOL = 'x0x/1'

/** Bytes of the frame length prefix (u32 big-endian). */
export const FRAME_LENGTH_BYTES = 4

/** Frames a stream may carry in one direction: the sequence number is a u32 in the nonce. */
export const MAX_FRAMES_PER_STREAM = 0xffff_ffff

/** Wire code of the internal ping stream kind; the user kinds take 0 to 4. */
export const PING_KIND_CODE = 0x80

/** Bytes of a ping's payload: random, so that a reply cannot be precomputed. */
export const PING_PAYLOAD_BYTES = 8

/** Ping streams a peer may have open towards us at once; more are reset. */
export const MAX_INBOUND_PING_STREAMS = 4

/**
 * Inbound streams of one kind are reset beyond this multiple of `maxStreamsPerKind`: the opener
 * enforces the exact limit, and for up to a round trip the two ends disagree on whether a stream
 * has ended, so the receiver's hard bound leaves room for that.
 */
export const INBOUND_STREAM_LIMIT_FACTOR = 2

/** QUIC stream credit (RFC 9000 §4.6) at least this large, as the issue asks (stock: 100). */
export const MIN_QUIC_STREAMS_BIDI = 1000

/**
 * 1500-byte Ethernet MTU minus the IPv6 (40) and UDP (8) headers: the largest datagram that
 * avoids fragmentation on ordinary paths (stock: 1350).
 */
export const UDP_PAYLOAD_BYTES = 1452

/** Initial connection flow window (RFC 9000 §4.1); auto-tuned up to the maximum below. */
export const CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024

/** Ceiling of the auto-tuned connection window: what one peer can make us buffer at most. */
export const MAX_CONNECTION_WINDOW_BYTES = 24 * 1024 * 1024

/** Floor and ceiling of a stream's initial window, derived from the frame queue (see config). */
export const MIN_STREAM_WINDOW_BYTES = 256 * 1024
export const MAX_INITIAL_STREAM_WINDOW_BYTES = 2 * 1024 * 1024

/** Ceiling of the auto-tuned stream window. */
export const MAX_STREAM_WINDOW_BYTES = 16 * 1024 * 1024

/** Bytes the library reads from quiche at once: one copy per 64 KiB rather than per 4 KiB. */
export const READABLE_CHUNK_BYTES = 64 * 1024

/** UDP socket buffers: a burst of one congestion window must fit, as nothing paces sends. */
export const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024

/** Application close codes (RFC 9000 §20.2) of our CONNECTION_CLOSE frames. */
export const CLOSE_CODE_NORMAL = 0
/** The connection lost a simultaneous-dial tie-break to another one between the same machines. */
export const CLOSE_CODE_DUPLICATE = 1
/** Refused: the accepting side is at its connection cap or stopping. */
export const CLOSE_CODE_REFUSED = 2
/** The post-quantum handshake failed. */
export const CLOSE_CODE_HANDSHAKE_FAILED = 3
/** A protocol violation: a frame failed to open, was too large, or a header was malformed. */
export const CLOSE_CODE_PROTOCOL_ERROR = 4

/** Stream reset code (RFC 9000 §19.4) for a stream aborted by its user or refused by the peer. */
export const STREAM_CODE_RESET = 1

/**
 * How long a graceful close waits for its streams' queued frames to be acknowledged before it
 * closes abruptly: many round trips on ordinary paths, yet short enough that `stop()` stays prompt.
 */
export const CLOSE_FLUSH_TIMEOUT_MS = 2_000

/** How often a graceful close checks whether QUIC has retired a finished stream (no event says). */
export const FINISH_POLL_MS = 5
