import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { IceleakError } from '../errors.js';
import { assertIceCredentials } from './ice-credentials.js';

const PLACE = 'ice/ice-lite-answer';

/** 4 for dotted-quad IPv4, 6 for IPv6 (no zone), 0 otherwise: candidates carry literal addresses only. */
function ipVersionOf(address: string): 0 | 4 | 6 {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return 4;
  if (!address.includes('%') && ipaddr.IPv6.isValid(address)) return 6;
  return 0;
}

/** One address of our observer, offered to the browser as a host candidate. */
export interface IceLiteEndpoint {
  readonly address: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
}

export interface IceLiteAnswerOptions {
  readonly ufrag: string;
  readonly pwd: string;
  readonly candidates: readonly IceLiteEndpoint[];
  /**
   * `sha-256 AA:BB:…` (32 bytes). Default: derived from the credentials. It only has to be
   * well-formed: the observer never completes DTLS, it wants the ICE checks alone.
   */
  readonly fingerprint?: string;
  /** Our DTLS role (RFC 8842 §5.1); default passive, so the browser would be the DTLS client. */
  readonly setup?: 'active' | 'passive';
}

/** What the answer needs from one m-section of the offer. */
interface OfferSection {
  readonly media: string;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly mid: string | undefined;
  readonly rejected: boolean;
  readonly maxMessageSize: string | undefined;
}

/** Splits an offer into its m-sections and its BUNDLE group (RFC 8866 §5, RFC 8843 §7). */
function parseOffer(offerSdp: string): { sections: OfferSection[]; bundle: string[] } {
  const lines = offerSdp.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines[0] !== 'v=0')
    throw new IceleakError('E_SDP_OFFER', PLACE, 'offer does not start with v=0 (RFC 8866 §5.1)');
  const sections: OfferSection[] = [];
  let bundle: string[] = [];
  let current: {
    media: string;
    proto: string;
    formats: string[];
    rejected: boolean;
    mid?: string;
    mms?: string;
  } | null = null;
  const flush = () => {
    if (current)
      sections.push({
        media: current.media,
        proto: current.proto,
        formats: current.formats,
        mid: current.mid,
        rejected: current.rejected,
        maxMessageSize: current.mms,
      });
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      flush();
      const [media, port, proto, ...formats] = line.slice(2).split(' ');
      if (!media || !port || !proto)
        throw new IceleakError('E_SDP_OFFER', PLACE, `malformed media line ${JSON.stringify(line)}`);
      current = { media, proto, formats, rejected: port === '0' };
    } else if (current && line.startsWith('a=mid:')) {
      current.mid = line.slice(6).trim();
    } else if (current && line.startsWith('a=max-message-size:')) {
      current.mms = line.slice(19).trim();
    } else if (!current && line.startsWith('a=group:BUNDLE')) {
      bundle = line.slice(14).trim().split(/\s+/).filter(Boolean);
    }
  }
  flush();
  if (sections.length === 0) throw new IceleakError('E_SDP_OFFER', PLACE, 'offer has no m= section');
  return { sections, bundle };
}

/** `sha-256` fingerprint derived from the credentials (deterministic; never verified by anyone). */
function defaultFingerprint(ufrag: string, pwd: string): string {
  const digest = createHash('sha256').update(`iceleak-dtls-placeholder:${ufrag}:${pwd}`).digest();
  return `sha-256 ${[...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
}

const FINGERPRINT = /^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/i;

/**
 * Host candidate priority, RFC 8445 §5.1.2.1: (2^24)·126 + (2^8)·local + (256 − component).
 * TCP passive gets a lower local preference (RFC 6544 §4.2 direction preference 4 of 7).
 */
function hostPriority(transport: 'udp' | 'tcp'): number {
  const local = transport === 'udp' ? 65535 : 4 * 8192 + 8191;
  return 126 * 2 ** 24 + local * 2 ** 8 + (256 - 1);
}

/**
 * An ICE-lite SDP answer (RFC 8445 §2.5, RFC 8839 §5) to a browser's offer, making the browser
 * (controlling) send connectivity checks to our observer's endpoints with
 * `USERNAME = ufrag:<offer ufrag>`. Data-channel sections are accepted; audio/video sections are
 * rejected with port 0 (RFC 8843 §7.3.3) and left out of the BUNDLE group, which both Chromium
 * and Firefox accept. Lines end in CRLF (RFC 8866 §5).
 */
export function createIceLiteAnswer(offerSdp: string, options: IceLiteAnswerOptions): string {
  assertIceCredentials(options, PLACE);
  if (options.candidates.length === 0)
    throw new IceleakError('E_ICE_ANSWER', PLACE, 'at least one candidate is needed');
  for (const c of options.candidates) {
    if (ipVersionOf(c.address) === 0)
      throw new IceleakError(
        'E_ICE_ANSWER',
        PLACE,
        `candidate address ${JSON.stringify(c.address)} is not an IP address`,
      );
    if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535)
      throw new IceleakError('E_ICE_ANSWER', PLACE, `candidate port ${c.port} is out of range`);
  }
  const fingerprint = options.fingerprint ?? defaultFingerprint(options.ufrag, options.pwd);
  if (!FINGERPRINT.test(fingerprint)) {
    throw new IceleakError(
      'E_ICE_ANSWER',
      PLACE,
      'fingerprint must be "sha-256" and 32 colon-separated hex bytes (RFC 8122 §5)',
    );
  }
  const { sections, bundle } = parseOffer(offerSdp);
  const accepted = sections.filter(
    (s) => !s.rejected && s.media === 'application' && s.proto.includes('SCTP'),
  );
  if (accepted.length === 0) {
    throw new IceleakError(
      'E_SDP_OFFER',
      PLACE,
      'offer has no data-channel (m=application …SCTP) section to answer',
    );
  }
  // The default candidate for m=/c= (RFC 8839 §4.2.1.1): the first UDP one, else the first.
  const main = options.candidates.find((c) => c.transport === 'udp') ?? options.candidates[0]!;
  const ipVersion = ipVersionOf(main.address) === 6 ? 'IP6' : 'IP4';
  const sessionId = BigInt(
    `0x${createHash('sha256').update(options.ufrag).digest('hex').slice(0, 15)}`,
  ).toString();

  const out: string[] = [
    'v=0',
    `o=- ${sessionId} 2 IN ${ipVersion} ${main.address}`,
    's=-',
    't=0 0',
    'a=ice-lite',
  ];
  const acceptedMids = accepted.map((s) => s.mid).filter((mid): mid is string => mid !== undefined);
  const bundled = bundle.filter((mid) => acceptedMids.includes(mid));
  if (bundled.length > 0) out.push(`a=group:BUNDLE ${bundled.join(' ')}`);

  let candidatesWritten = false;
  for (const section of sections) {
    const answered = accepted.includes(section);
    if (!answered) {
      // Rejected: port 0, the offer's own protocol and first format (RFC 8866 §5.14, RFC 3264 §6).
      out.push(
        `m=${section.media} 0 ${section.proto} ${section.formats[0] ?? '0'}`,
        `c=IN ${ipVersion} 0.0.0.0`,
      );
      if (section.mid !== undefined) out.push(`a=mid:${section.mid}`);
      out.push('a=inactive');
      continue;
    }
    const legacy = !section.proto.startsWith('UDP/') && !section.proto.startsWith('TCP/');
    out.push(
      `m=application ${main.port} ${section.proto} ${legacy ? '5000' : 'webrtc-datachannel'}`,
      `c=IN ${ipVersion} ${main.address}`,
    );
    if (section.mid !== undefined) out.push(`a=mid:${section.mid}`);
    out.push(
      `a=ice-ufrag:${options.ufrag}`,
      `a=ice-pwd:${options.pwd}`,
      `a=fingerprint:${fingerprint}`,
      `a=setup:${options.setup ?? 'passive'}`,
    );
    if (legacy) out.push('a=sctpmap:5000 webrtc-datachannel 1024');
    else out.push('a=sctp-port:5000', `a=max-message-size:${section.maxMessageSize ?? '262144'}`);
    // With BUNDLE, candidates belong to the first bundled section only (RFC 8843 §7.1.2).
    if (!candidatesWritten || bundled.length === 0) {
      options.candidates.forEach((c, index) => {
        const tcp = c.transport === 'tcp' ? ' tcptype passive' : '';
        out.push(
          `a=candidate:${index + 1} 1 ${c.transport} ${hostPriority(c.transport)} ${c.address} ${c.port} typ host${tcp}`,
        );
      });
      out.push('a=end-of-candidates');
      candidatesWritten = true;
    }
  }
  return `${out.join('\r\n')}\r\n`;
}
