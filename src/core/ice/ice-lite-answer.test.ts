import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IceleakError } from '../errors.js';
import { assertIceCredentials, generateIceCredentials } from './ice-credentials.js';
import { createIceLiteAnswer } from './ice-lite-answer.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
/** Offers captured from Debian's Chromium 156 and Firefox ESR 153 (fixtures/README.md). */
const OFFERS = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.sdp'))
  .map((name) => [name, readFileSync(new URL(name, FIXTURES), 'utf8')] as const);

const CREDS = { ufrag: 'obsv', pwd: 'observerpassword0123456' };
const UDP = { address: '192.0.2.1', port: 3478, transport: 'udp' as const };
const TCP = { address: '192.0.2.1', port: 3479, transport: 'tcp' as const };

const lines = (sdp: string) => sdp.split('\r\n');
const sections = (sdp: string) => sdp.split(/\r\n(?=m=)/).slice(1);
const mids = (sdp: string) => [...sdp.matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);

describe('createIceLiteAnswer on captured browser offers', () => {
  it('has offers from both browsers, with and without media sections', () => {
    const names = OFFERS.map(([name]) => name);
    expect(names.some((n) => n.startsWith('chromium-'))).toBe(true);
    expect(names.some((n) => n.startsWith('firefox-'))).toBe(true);
    expect(names.filter((n) => n.includes('audio-video'))).toHaveLength(2);
  });

  describe.each(OFFERS)('%s', (_name, offer) => {
    const answer = createIceLiteAnswer(offer, { ...CREDS, candidates: [UDP, TCP] });

    it('is an ICE-lite session with CRLF lines (RFC 8866 §5, RFC 8445 §2.5)', () => {
      expect(answer.endsWith('\r\n')).toBe(true);
      expect(answer.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const session = lines(sections(`${answer}`).length ? answer.split(/\r\nm=/)[0]! : answer);
      expect(session.slice(0, 4)).toEqual([
        'v=0',
        expect.stringMatching(/^o=- \d+ 2 IN IP4 192\.0\.2\.1$/),
        's=-',
        't=0 0',
      ]);
      expect(session).toContain('a=ice-lite');
    });

    it('answers every offered m-section in order, mirroring the mids', () => {
      expect(mids(answer)).toEqual(mids(offer));
      const offered = sections(offer).map((s) => s.split(' ')[0]);
      expect(sections(answer).map((s) => s.split(' ')[0])).toEqual(offered);
    });

    it('accepts the data channel with our credentials, a fingerprint, setup and SCTP attributes', () => {
      const data = sections(answer).find((s) => s.startsWith('m=application'))!;
      const dl = lines(data);
      expect(dl[0]).toBe('m=application 3478 UDP/DTLS/SCTP webrtc-datachannel');
      expect(dl).toContain('c=IN IP4 192.0.2.1');
      expect(dl).toContain('a=ice-ufrag:obsv');
      expect(dl).toContain('a=ice-pwd:observerpassword0123456');
      expect(dl.find((l) => l.startsWith('a=fingerprint:'))).toMatch(
        /^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
      );
      expect(dl).toContain('a=setup:passive');
      expect(dl).toContain('a=sctp-port:5000');
      expect(dl.find((l) => l.startsWith('a=max-message-size:'))).toBeDefined();
      expect(dl.filter((l) => l.startsWith('a=candidate:'))).toEqual([
        'a=candidate:1 1 udp 2130706431 192.0.2.1 3478 typ host',
        'a=candidate:2 1 tcp 2124414975 192.0.2.1 3479 typ host tcptype passive',
      ]);
      expect(dl).toContain('a=end-of-candidates');
    });

    it('rejects audio/video with port 0 and bundles only the data channel', () => {
      const dataMid = lines(sections(answer).find((s) => s.startsWith('m=application'))!)
        .find((l) => l.startsWith('a=mid:'))!
        .slice(6);
      expect(answer).toContain(`a=group:BUNDLE ${dataMid}\r\n`);
      for (const media of sections(answer).filter((s) => !s.startsWith('m=application'))) {
        expect(media).toMatch(/^m=(audio|video) 0 UDP\/TLS\/RTP\/SAVPF \d+\r\n/);
        expect(media).not.toContain('a=candidate');
      }
    });
  });
});

describe('createIceLiteAnswer: inputs', () => {
  const offer = OFFERS.find(([name]) => name === 'chromium-mdns-on.offer.sdp')![1];

  it('uses an IPv6 candidate as default when it is the only UDP one', () => {
    const answer = createIceLiteAnswer(offer, {
      ...CREDS,
      candidates: [{ address: '2001:db8::1', port: 9, transport: 'udp' }],
    });
    expect(answer).toContain('c=IN IP6 2001:db8::1\r\n');
    expect(answer).toContain('a=candidate:1 1 udp 2130706431 2001:db8::1 9 typ host\r\n');
  });

  it('takes a given fingerprint and setup', () => {
    const fingerprint = `sha-256 ${Array.from({ length: 32 }, () => '0A').join(':')}`;
    const answer = createIceLiteAnswer(offer, { ...CREDS, candidates: [UDP], fingerprint, setup: 'active' });
    expect(answer).toContain(`a=fingerprint:${fingerprint}\r\n`);
    expect(answer).toContain('a=setup:active\r\n');
  });

  it.each([
    ['not SDP', 'hello', CREDS, [UDP], 'E_SDP_OFFER'],
    ['no data channel', 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n', CREDS, [UDP], 'E_SDP_OFFER'],
    ['no m-section', 'v=0\r\ns=-\r\n', CREDS, [UDP], 'E_SDP_OFFER'],
    ['short ufrag', offer, { ufrag: 'abc', pwd: CREDS.pwd }, [UDP], 'E_ICE_CREDENTIALS'],
    ['short pwd', offer, { ufrag: 'abcd', pwd: 'x'.repeat(21) }, [UDP], 'E_ICE_CREDENTIALS'],
    ['bad ufrag char', offer, { ufrag: 'ab:cd', pwd: CREDS.pwd }, [UDP], 'E_ICE_CREDENTIALS'],
    ['no candidates', offer, CREDS, [], 'E_ICE_ANSWER'],
    ['hostname candidate', offer, CREDS, [{ address: 'x.local', port: 1, transport: 'udp' }], 'E_ICE_ANSWER'],
    ['port 0', offer, CREDS, [{ address: '192.0.2.1', port: 0, transport: 'udp' }], 'E_ICE_ANSWER'],
  ] as const)('refuses %s', (_what, sdp, creds, candidates, code) => {
    try {
      createIceLiteAnswer(sdp, { ...creds, candidates });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IceleakError);
      expect((error as IceleakError).code).toBe(code);
    }
  });

  it('refuses a malformed fingerprint', () => {
    expect(() =>
      createIceLiteAnswer(offer, { ...CREDS, candidates: [UDP], fingerprint: 'sha-1 AB' }),
    ).toThrow(/RFC 8122/);
  });
});

describe('generateIceCredentials', () => {
  it('makes valid, distinct RFC 8839 §5.4 credentials', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = generateIceCredentials();
      expect(c.ufrag).toMatch(/^[A-Za-z0-9+/]{8}$/);
      expect(c.pwd).toMatch(/^[A-Za-z0-9+/]{24}$/);
      expect(() => assertIceCredentials(c)).not.toThrow();
      seen.add(c.ufrag);
    }
    expect(seen.size).toBe(200);
  });
});
