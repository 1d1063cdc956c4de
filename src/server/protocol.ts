import type {
  IceCheckObservation,
  Observation,
  Transport,
  TransportAddress,
  UnattributedReason,
} from '../core/observation.js';
import {
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  isStunMessage,
  MAX_SOFTWARE_BYTES,
  type StunAttribute,
  type StunEncodeOptions,
  StunErrorCode,
  type StunMessage,
  StunMethod,
  unknownComprehensionRequired,
  verifyFingerprint,
  verifyMessageIntegrity,
} from '../core/stun/index.js';
import type { SessionTable } from './sessions.js';

/** One STUN message as it reached us, with where it came from: the sans-IO input. */
export interface InboundPacket {
  readonly bytes: Uint8Array;
  readonly transport: Transport;
  readonly source: TransportAddress;
  readonly local: TransportAddress;
  /** Milliseconds since the Unix epoch. */
  readonly now: number;
}

/** Why a packet got no answer and no observation. */
export type IgnoreReason =
  | 'not-stun'
  | 'malformed'
  | 'not-a-request'
  | 'unsupported-method'
  | 'bad-fingerprint'
  | 'unknown-attributes'
  | 'unattributed-check'
  | 'response-too-large';

/** What the adapter must do with a packet: the sans-IO output. */
export type StunAction =
  | { readonly type: 'send'; readonly bytes: Uint8Array }
  | { readonly type: 'observe'; readonly observation: Observation }
  | { readonly type: 'ignore'; readonly reason: IgnoreReason };

/** Server configuration the protocol needs. */
export interface StunProtocolOptions {
  readonly sessions: SessionTable;
  /** SOFTWARE attribute for responses (RFC 8489 §14.14); none by default, so we do not advertise. */
  readonly software?: string;
}

/**
 * A response is at most this many bytes longer than its request, so a spoofed source
 * gains almost nothing by reflecting through us. The largest regular answer, an IPv6
 * Binding success to a 20-byte request, is 32 bytes longer.
 */
export const MAX_RESPONSE_GROWTH = 48;

const MAPPED_PREFIX = '::ffff:';

/**
 * IPv4 peers of a dual-stack socket show up as `::ffff:a.b.c.d`; they are IPv4 peers, and
 * XOR-MAPPED-ADDRESS must say so or the browser learns a useless IPv6 srflx.
 */
export function normalizeTransportAddress(address: TransportAddress): TransportAddress {
  if (
    address.family === 'IPv6' &&
    address.address.startsWith(MAPPED_PREFIX) &&
    address.address.includes('.')
  ) {
    return { address: address.address.slice(MAPPED_PREFIX.length), port: address.port, family: 'IPv4' };
  }
  return address;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// Per packet, so a table rather than Buffer#toString (slower on 12 bytes).
function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/**
 * The STUN Binding server and ICE-lite observer, without sockets. A Binding request
 * without USERNAME is answered with the source address (RFC 8489 §6.3.1); one with
 * `USERNAME = ourUfrag:theirUfrag` is an ICE connectivity check (RFC 8445 §7.3), answered
 * only when MESSAGE-INTEGRITY verifies under that session's pwd. Everything else is
 * ignored with a reason.
 */
export function handleStunPacket(packet: InboundPacket, options: StunProtocolOptions): StunAction[] {
  // Cheap demultiplexing first (RFC 7983): most junk never reaches the decoder.
  if (!isStunMessage(packet.bytes)) return [{ type: 'ignore', reason: 'not-stun' }];
  let request: StunMessage;
  try {
    request = decodeStunMessage(packet.bytes);
  } catch {
    return [{ type: 'ignore', reason: 'malformed' }];
  }
  // Responses and indications (Binding keepalives, RFC 8445 §11) never get an answer.
  if (request.class !== 'request') return [{ type: 'ignore', reason: 'not-a-request' }];
  if (request.method !== StunMethod.Binding) return [{ type: 'ignore', reason: 'unsupported-method' }];
  // RFC 8489 §7.3: a wrong FINGERPRINT means this is not a STUN message at all.
  if (verifyFingerprint(packet.bytes) === 'invalid') return [{ type: 'ignore', reason: 'bad-fingerprint' }];

  const source = normalizeTransportAddress(packet.source);
  const local = normalizeTransportAddress(packet.local);
  const username = getAttribute(request, 'USERNAME');
  const unknown = unknownComprehensionRequired(request);
  const transactionId = hex(request.transactionId);

  if (username === undefined) {
    if (unknown.length > 0) {
      return [
        respond(packet, unknownAttributeResponse(request, unknown), undefined),
        { type: 'ignore', reason: 'unknown-attributes' },
      ];
    }
    const observation: Observation = {
      kind: 'stun-binding',
      transport: packet.transport,
      source,
      local,
      time: packet.now,
      transactionId,
    };
    return [
      respond(packet, successResponse(request, source, options.software), undefined),
      { type: 'observe', observation },
    ];
  }

  // RFC 8445 §7.2.2: USERNAME = "<receiver ufrag>:<sender ufrag>".
  const colon = username.indexOf(':');
  const localUfrag = colon === -1 ? username : username.slice(0, colon);
  const remoteUfrag = colon === -1 ? '' : username.slice(colon + 1);
  const check = {
    kind: 'ice-check',
    transport: packet.transport,
    source,
    local,
    time: packet.now,
    transactionId,
    localUfrag,
    remoteUfrag,
    useCandidate: getAttribute(request, 'USE-CANDIDATE') === true,
    priority: getAttribute(request, 'PRIORITY') ?? null,
    role: roleOf(request),
  } as const;
  const unattributed = (reason: UnattributedReason): StunAction[] => [
    { type: 'observe', observation: { ...check, sessionId: null, reason } satisfies IceCheckObservation },
    // No answer at all, not even the 401/400 RFC 8489 §9.1.3 suggests: the browser treats a
    // timeout like an error, and silence reflects nothing towards a possibly spoofed source
    // nor tells a prober which ufrags exist.
    { type: 'ignore', reason: 'unattributed-check' },
  ];
  if (colon <= 0 || remoteUfrag === '') return unattributed('bad-username');
  const session = options.sessions.lookup(localUfrag, packet.now);
  if (session === undefined) return unattributed('unknown-ufrag');
  const integrity = verifyMessageIntegrity(packet.bytes, session.key);
  if (integrity === 'missing') return unattributed('missing-integrity');
  if (integrity === 'invalid') return unattributed('bad-integrity');

  const observation: IceCheckObservation = { ...check, sessionId: session.sessionId };
  const response =
    unknown.length > 0
      ? unknownAttributeResponse(request, unknown)
      : successResponse(request, source, options.software);
  return [respond(packet, response, session.key), { type: 'observe', observation }];
}

function roleOf(request: StunMessage): IceCheckObservation['role'] {
  if (getAttribute(request, 'ICE-CONTROLLING') !== undefined) return 'controlling';
  if (getAttribute(request, 'ICE-CONTROLLED') !== undefined) return 'controlled';
  return 'unknown';
}

const FINGERPRINT_ONLY: StunEncodeOptions = { fingerprint: true };

/**
 * Encodes `message` (+ MESSAGE-INTEGRITY under `key` when given, + FINGERPRINT) within the
 * size bound. SOFTWARE is the only optional part: it is dropped when it would break the
 * bound; if the response still does not fit, nothing is sent.
 */
function respond(packet: InboundPacket, message: StunMessage, key: Uint8Array | undefined): StunAction {
  const limit = packet.bytes.length + MAX_RESPONSE_GROWTH;
  const options = key === undefined ? FINGERPRINT_ONLY : { messageIntegrity: key, fingerprint: true };
  let bytes = encodeStunMessage(message, options);
  if (bytes.length > limit && message.attributes.some((a) => a.type === 'SOFTWARE')) {
    const attributes = message.attributes.filter((a) => a.type !== 'SOFTWARE');
    bytes = encodeStunMessage({ ...message, attributes }, options);
  }
  return bytes.length <= limit ? { type: 'send', bytes } : { type: 'ignore', reason: 'response-too-large' };
}

/** Binding success (RFC 8489 §6.3.1.1): XOR-MAPPED-ADDRESS = source (+ SOFTWARE when configured). */
function successResponse(
  request: StunMessage,
  source: TransportAddress,
  software: string | undefined,
): StunMessage {
  const attributes: StunAttribute[] = [{ type: 'XOR-MAPPED-ADDRESS', value: source }];
  if (software !== undefined && software !== '') attributes.push({ type: 'SOFTWARE', value: software });
  return {
    class: 'success-response',
    method: StunMethod.Binding,
    transactionId: request.transactionId,
    attributes,
  };
}

/** 420 Unknown Attribute with UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1). */
function unknownAttributeResponse(request: StunMessage, unknown: readonly number[]): StunMessage {
  return {
    class: 'error-response',
    method: StunMethod.Binding,
    transactionId: request.transactionId,
    attributes: [
      { type: 'ERROR-CODE', value: { code: StunErrorCode.UnknownAttribute, reason: 'Unknown Attribute' } },
      { type: 'UNKNOWN-ATTRIBUTES', value: unknown },
    ],
  };
}

/** Checks a SOFTWARE value before a server starts, so a bad one fails at start, not per packet. */
export function isValidSoftware(software: string): boolean {
  return new TextEncoder().encode(software).length <= MAX_SOFTWARE_BYTES;
}
