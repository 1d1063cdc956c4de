import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IceCheckObservation, StunBindingObservation, TransportAddress } from '../core/observation.js';
import {
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  type StunAttribute,
  type StunClass,
  shortTermKey,
  verifyFingerprint,
  verifyMessageIntegrity,
} from '../core/stun/index.js';
import { BROWSER_CAPTURES } from '../core/stun/test-support/fixtures.js';
import { handleStunPacket, type InboundPacket, MAX_RESPONSE_GROWTH, type StunAction } from './protocol.js';
import { SessionTable } from './sessions.js';

const V4_SOURCE: TransportAddress = { address: '203.0.113.5', port: 40001, family: 'IPv4' };
const V6_SOURCE: TransportAddress = { address: '2001:db8::5', port: 40002, family: 'IPv6' };
const LOCAL: TransportAddress = { address: '192.0.2.1', port: 3478, family: 'IPv4' };
const PWD = 'Zm9vYmFyYmF6cXV4MTIzNDU2';
const NOW = 1_800_000_000_000;

function sessions(): SessionTable {
  const table = new SessionTable();
  table.register({ sessionId: 'session-1', ufrag: 'srvU', pwd: PWD, ttlMs: 60_000 }, NOW);
  return table;
}

function request(
  attributes: StunAttribute[],
  options: { key?: Uint8Array; fingerprint?: boolean; cls?: StunClass; method?: number } = {},
): Uint8Array {
  return encodeStunMessage(
    {
      class: options.cls ?? 'request',
      method: options.method ?? 1,
      transactionId: randomBytes(12),
      attributes,
    },
    {
      ...(options.key ? { messageIntegrity: options.key } : {}),
      fingerprint: options.fingerprint ?? true,
    },
  );
}

function handle(bytes: Uint8Array, source = V4_SOURCE, table = sessions(), now = NOW): StunAction[] {
  const packet: InboundPacket = { bytes, transport: 'udp', source, local: LOCAL, now };
  return handleStunPacket(packet, { sessions: table });
}

const sent = (actions: StunAction[]) => actions.filter((a) => a.type === 'send').map((a) => a.bytes);
const observed = (actions: StunAction[]) =>
  actions.flatMap((a) => (a.type === 'observe' ? [a.observation] : []));
const ignored = (actions: StunAction[]) => actions.flatMap((a) => (a.type === 'ignore' ? [a.reason] : []));

const iceCheck = (username: string, extra: StunAttribute[] = []): StunAttribute[] => [
  { type: 'USERNAME', value: username },
  { type: 'PRIORITY', value: 1853824767 },
  { type: 'ICE-CONTROLLING', value: 0x1234n },
  { type: 'USE-CANDIDATE', value: true },
  ...extra,
];

describe('plain STUN Binding', () => {
  it.each([
    ['IPv4', V4_SOURCE],
    ['IPv6', V6_SOURCE],
  ])(
    'answers an %s request with XOR-MAPPED-ADDRESS = source and FINGERPRINT, and observes it',
    (_f, source) => {
      const bytes = request([], { fingerprint: false });
      const actions = handle(bytes, source);
      const [response] = sent(actions);
      const decoded = decodeStunMessage(response!);
      expect(decoded.class).toBe('success-response');
      expect(decoded.transactionId).toEqual(bytes.subarray(8, 20));
      expect(getAttribute(decoded, 'XOR-MAPPED-ADDRESS')).toEqual({
        family: source.family,
        address: source.address,
        port: source.port,
      });
      expect(decoded.attributes.map((a) => a.type)).toEqual(['XOR-MAPPED-ADDRESS', 'FINGERPRINT']);
      expect(verifyFingerprint(response!)).toBe('valid');
      const [observation] = observed(actions) as StunBindingObservation[];
      expect(observation).toEqual({
        kind: 'stun-binding',
        transport: 'udp',
        source,
        local: LOCAL,
        time: NOW,
        transactionId: Buffer.from(bytes.subarray(8, 20)).toString('hex'),
      });
    },
  );

  it('reports an IPv4 peer of a dual-stack socket as IPv4', () => {
    const actions = handle(request([]), { address: '::ffff:198.51.100.9', port: 5000, family: 'IPv6' });
    const response = decodeStunMessage(sent(actions)[0]!);
    expect(getAttribute(response, 'XOR-MAPPED-ADDRESS')).toEqual({
      family: 'IPv4',
      address: '198.51.100.9',
      port: 5000,
    });
    expect(observed(actions)[0]?.source).toEqual({ address: '198.51.100.9', port: 5000, family: 'IPv4' });
  });

  it('adds SOFTWARE only when configured and when it fits the size bound', () => {
    const bytes = request([{ type: 'SOFTWARE', value: 'a client that says a lot about itself' }]);
    const table = sessions();
    const packet: InboundPacket = { bytes, transport: 'udp', source: V4_SOURCE, local: LOCAL, now: NOW };
    const withSoftware = decodeStunMessage(
      sent(handleStunPacket(packet, { sessions: table, software: 'iceleak' }))[0]!,
    );
    expect(getAttribute(withSoftware, 'SOFTWARE')).toBe('iceleak');
    const tiny = { ...packet, bytes: request([], { fingerprint: false }) };
    const long = 'x'.repeat(200);
    const [response] = sent(handleStunPacket(tiny, { sessions: table, software: long }));
    expect(getAttribute(decodeStunMessage(response!), 'SOFTWARE')).toBeUndefined();
  });

  it('answers unknown comprehension-required attributes with 420 listing them', () => {
    const bytes = request([{ type: 'UNKNOWN', code: 0x7777, value: Uint8Array.of(1, 2, 3, 4) }]);
    const actions = handle(bytes);
    const response = decodeStunMessage(sent(actions)[0]!);
    expect(response.class).toBe('error-response');
    expect(getAttribute(response, 'ERROR-CODE')?.code).toBe(420);
    expect(getAttribute(response, 'UNKNOWN-ATTRIBUTES')).toEqual([0x7777]);
    expect(ignored(actions)).toEqual(['unknown-attributes']);
  });

  it('answers despite unknown comprehension-optional attributes (Chromium sends some)', () => {
    const bytes = request([{ type: 'UNKNOWN', code: 0xc057, value: Uint8Array.of(0, 1, 0, 0) }]);
    expect(decodeStunMessage(sent(handle(bytes))[0]!).class).toBe('success-response');
  });

  it('never sends a response more than MAX_RESPONSE_GROWTH bytes longer than the request', () => {
    for (const [bytes, source] of [
      [request([], { fingerprint: false }), V6_SOURCE],
      [
        request([{ type: 'UNKNOWN', code: 0x0003, value: new Uint8Array(0) }], { fingerprint: false }),
        V6_SOURCE,
      ],
    ] as const) {
      const [response] = sent(handle(bytes, source));
      expect(response!.length).toBeLessThanOrEqual(bytes.length + MAX_RESPONSE_GROWTH);
    }
  });
});

describe('ICE connectivity checks (ICE-lite observer)', () => {
  it('answers a check with valid integrity under our pwd and attributes it to the session', () => {
    const bytes = request(iceCheck('srvU:brws'), { key: shortTermKey(PWD) });
    const actions = handle(bytes);
    const [response] = sent(actions);
    const decoded = decodeStunMessage(response!);
    expect(decoded.class).toBe('success-response');
    expect(getAttribute(decoded, 'XOR-MAPPED-ADDRESS')).toEqual({
      family: 'IPv4',
      address: '203.0.113.5',
      port: 40001,
    });
    expect(decoded.attributes.map((a) => a.type)).toEqual([
      'XOR-MAPPED-ADDRESS',
      'MESSAGE-INTEGRITY',
      'FINGERPRINT',
    ]);
    expect(verifyMessageIntegrity(response!, shortTermKey(PWD))).toBe('valid');
    expect(verifyMessageIntegrity(response!, shortTermKey(`${PWD}x`))).toBe('invalid');
    expect(verifyFingerprint(response!)).toBe('valid');
    const [observation] = observed(actions) as IceCheckObservation[];
    expect(observation).toMatchObject({
      kind: 'ice-check',
      sessionId: 'session-1',
      localUfrag: 'srvU',
      remoteUfrag: 'brws',
      useCandidate: true,
      priority: 1853824767,
      role: 'controlling',
      source: V4_SOURCE,
    });
    expect(observation?.reason).toBeUndefined();
  });

  it('reads the controlled role and a missing USE-CANDIDATE and PRIORITY', () => {
    const bytes = request(
      [
        { type: 'USERNAME', value: 'srvU:brws' },
        { type: 'ICE-CONTROLLED', value: 1n },
      ],
      {
        key: shortTermKey(PWD),
      },
    );
    expect(observed(handle(bytes))[0]).toMatchObject({
      role: 'controlled',
      useCandidate: false,
      priority: null,
    });
  });

  it.each([
    ['bad integrity', iceCheck('srvU:brws'), shortTermKey('WrongPasswordWrongPassword'), 'bad-integrity'],
    ['missing integrity', iceCheck('srvU:brws'), undefined, 'missing-integrity'],
    ['an unknown ufrag', iceCheck('nope:brws'), shortTermKey(PWD), 'unknown-ufrag'],
    ['a USERNAME without a colon', iceCheck('srvUbrws'), shortTermKey(PWD), 'bad-username'],
    ['an empty remote ufrag', iceCheck('srvU:'), shortTermKey(PWD), 'bad-username'],
  ] as const)('records a check with %s as unattributed and sends nothing', (_n, attributes, key, reason) => {
    const actions = handle(request([...attributes], key ? { key } : {}));
    expect(sent(actions)).toEqual([]);
    expect(observed(actions)).toMatchObject([{ kind: 'ice-check', sessionId: null, reason }]);
  });

  it('treats an expired session as unknown', () => {
    const bytes = request(iceCheck('srvU:brws'), { key: shortTermKey(PWD) });
    const actions = handle(bytes, V4_SOURCE, sessions(), NOW + 60_000);
    expect(sent(actions)).toEqual([]);
    expect(observed(actions)).toMatchObject([{ sessionId: null, reason: 'unknown-ufrag' }]);
  });

  it('ignores attributes after MESSAGE-INTEGRITY when verifying (RFC 8489 §14.5)', () => {
    const key = shortTermKey(PWD);
    const signed = request(iceCheck('srvU:brws'), { key, fingerprint: false });
    // Append an extra comprehension-optional attribute after MESSAGE-INTEGRITY.
    const bytes = new Uint8Array(signed.length + 8);
    bytes.set(signed);
    bytes.set([0x80, 0x22, 0x00, 0x04, 0x61, 0x62, 0x63, 0x64], signed.length);
    bytes[3] = bytes.length - 20;
    expect(observed(handle(bytes))).toMatchObject([{ sessionId: 'session-1' }]);
  });
});

describe('everything else is ignored with a reason', () => {
  const binding = request([]);
  it.each([
    ['junk', Uint8Array.from('GET / HTTP/1.1\r\n\r\nxxxx', (c) => c.charCodeAt(0)), 'not-stun'],
    ['an empty datagram', new Uint8Array(0), 'not-stun'],
    ['a success response', request([], { cls: 'success-response' }), 'not-a-request'],
    ['a Binding indication (keepalive)', request([], { cls: 'indication' }), 'not-a-request'],
    ['an Allocate request', request([], { method: 0x003 }), 'unsupported-method'],
    [
      'a wrong FINGERPRINT',
      Uint8Array.from(binding, (b, i) => (i === binding.length - 1 ? b ^ 1 : b)),
      'bad-fingerprint',
    ],
    [
      'a malformed attribute',
      request([{ type: 'UNKNOWN', code: 0x0020, value: Uint8Array.of(0, 9, 0, 0) }], { fingerprint: false }),
      'malformed',
    ],
  ])('%s', (_n, bytes, reason) => {
    const actions = handle(bytes);
    expect(actions).toEqual([{ type: 'ignore', reason }]);
  });

  it('every truncation of an ICE check is ignored without an answer or an exception', () => {
    const check = request(iceCheck('srvU:brws'), { key: shortTermKey(PWD) });
    for (let n = 0; n < check.length; n++) {
      const actions = handle(check.subarray(0, n));
      expect(sent(actions), `${n} bytes`).toEqual([]);
      expect(observed(actions)).toEqual([]);
    }
  });
});

describe('real browser checks (fixtures captured from Chromium and Firefox)', () => {
  it.each([
    ['Chromium', BROWSER_CAPTURES.chromiumCheck, false],
    ['Firefox', BROWSER_CAPTURES.firefoxCheck, true],
  ])(
    'attributes a %s check to its session and answers with integrity under our pwd',
    (_b, bytes, useCandidate) => {
      const table = new SessionTable();
      table.register(
        { sessionId: 'captured', ufrag: BROWSER_CAPTURES.ufrag, pwd: BROWSER_CAPTURES.pwd },
        NOW,
      );
      const actions = handle(bytes, V4_SOURCE, table);
      const [response] = sent(actions);
      expect(verifyMessageIntegrity(response!, shortTermKey(BROWSER_CAPTURES.pwd))).toBe('valid');
      expect(observed(actions)).toMatchObject([
        { kind: 'ice-check', sessionId: 'captured', useCandidate, role: 'controlling' },
      ]);
    },
  );

  it.each([
    ['Chromium', BROWSER_CAPTURES.chromiumBinding],
    ['Firefox', BROWSER_CAPTURES.firefoxBinding],
  ])('answers a %s Binding request', (_b, bytes) => {
    const actions = handle(bytes);
    expect(getAttribute(decodeStunMessage(sent(actions)[0]!), 'XOR-MAPPED-ADDRESS')).toEqual({
      family: 'IPv4',
      address: V4_SOURCE.address,
      port: V4_SOURCE.port,
    });
  });
});
