/**
 * Values a harvester learns from what it read: addresses (IP or mDNS `.local` name) and
 * whole candidate strings. Tolerant on purpose: the input is whatever the page read,
 * possibly truncated. Grammar: RFC 8839 §5.1 (`candidate:foundation component transport
 * priority connection-address port typ cand-type [raddr addr rport port] …`).
 */
export interface HarvestedCandidate {
  readonly candidate: string;
  /** connection-address: an IP address or an mDNS name. */
  readonly address: string | null;
  readonly port: number | null;
  readonly type: string | null;
  /** rel-addr when present and not the unspecified address. */
  readonly relatedAddress: string | null;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '']);

/** Parses one `candidate:…` string (with or without the `a=` prefix); null when it is not one. */
export function parseCandidateValues(text: string): HarvestedCandidate | null {
  const line = text.trim().replace(/^a=/, '');
  if (!line.startsWith('candidate:')) return null;
  const tokens = line.split(/\s+/);
  // candidate:foundation component-id transport priority connection-address port "typ" cand-type
  const address = tokens[4] ?? null;
  const portText = tokens[5];
  const typIndex = tokens.indexOf('typ');
  const raddrIndex = tokens.indexOf('raddr');
  const raddr = raddrIndex === -1 ? null : (tokens[raddrIndex + 1] ?? null);
  return {
    candidate: line,
    address: address && !UNSPECIFIED.has(address) ? address : null,
    port: portText && /^\d{1,5}$/.test(portText) ? Number(portText) : null,
    type: typIndex === -1 ? null : (tokens[typIndex + 1] ?? null),
    relatedAddress: raddr && !UNSPECIFIED.has(raddr) ? raddr : null,
  };
}

/** Every `a=candidate:` line of an SDP (RFC 8866 §5.13 attribute lines, RFC 8839 §5.1). */
export function candidatesInSdp(sdp: string): HarvestedCandidate[] {
  const out: HarvestedCandidate[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('a=candidate:')) continue;
    const c = parseCandidateValues(line);
    if (c) out.push(c);
  }
  return out;
}
