/**
 * Candidate extraction from an SDP offer/answer (RFC 8866 for the SDP lines, RFC 8839
 * §5.1 for `a=candidate`). Only what a leak test needs: every candidate with the
 * m-section it belongs to, and every `c=` connection address.
 */
import { IceleakError, isIceleakError } from '../errors.js';
import { type IceCandidate, parseCandidate } from './candidate.js';

/** Largest SDP we read (a browser offer with a few m-sections is 2–10 KiB). */
export const MAX_SDP_LENGTH = 256 * 1024;

/** Where in the SDP a line sits. `mLineIndex` and `mid` are null at session level. */
export interface SdpLocation {
  /** 0-based index of the m-section (RTCIceCandidate.sdpMLineIndex). */
  readonly mLineIndex: number | null;
  /** The section's `a=mid` value (RFC 8843 §5), wherever in the section it appears. */
  readonly mid: string | null;
  /** 1-based line number in the SDP. */
  readonly line: number;
  /** The line as written (without line ending). */
  readonly raw: string;
}

/** An `a=candidate` line that parsed. */
export interface SdpCandidate extends SdpLocation {
  readonly candidate: IceCandidate;
}

/** An `a=candidate` line that did not parse: kept, not fatal. */
export interface SdpCandidateError extends SdpLocation {
  readonly error: IceleakError;
}

/** A `c=` line (RFC 8866 §5.7): `c=<nettype> <addrtype> <connection-address>`. */
export interface SdpConnectionAddress extends SdpLocation {
  readonly netType: string;
  readonly addrType: string;
  /** The address without any `/ttl` or `/count` suffix. */
  readonly address: string;
}

/** Everything `candidatesFromSdp` found, each list in SDP order. */
export interface SdpCandidates {
  readonly candidates: readonly SdpCandidate[];
  /** Malformed `a=candidate` lines; the rest of the SDP is still read. */
  readonly errors: readonly SdpCandidateError[];
  readonly connectionAddresses: readonly SdpConnectionAddress[];
}

/**
 * Extracts every `a=candidate` of every m-section (with its mid and m-line index) and the
 * session- and media-level `c=` addresses. Accepts `\r\n` or `\n`. Never throws except
 * `E_SDP_TOO_LONG`: a bad candidate line becomes an entry of `errors`, because one hostile
 * line must not hide the good ones next to it; other odd lines are ignored.
 */
export function candidatesFromSdp(sdp: string): SdpCandidates {
  if (typeof sdp !== 'string') return { candidates: [], errors: [], connectionAddresses: [] };
  if (sdp.length > MAX_SDP_LENGTH) {
    throw new IceleakError('E_SDP_TOO_LONG', 'sdp', `longer than ${MAX_SDP_LENGTH} characters`, {
      length: sdp.length,
    });
  }
  const lines = sdp.split(/\r?\n/);
  // First pass: which m-section each line is in and that section's mid (a=mid may come
  // after the candidates in the section).
  const sectionOf: (number | null)[] = [];
  const mids: (string | null)[] = [];
  let section: number | null = null;
  lines.forEach((line, n) => {
    if (line.startsWith('m=')) {
      section = section === null ? 0 : section + 1;
      mids.push(null);
    } else if (section !== null && line.startsWith('a=mid:') && mids[section] === null) {
      mids[section] = line.slice(6).trim();
    }
    sectionOf[n] = section;
  });

  const candidates: SdpCandidate[] = [];
  const errors: SdpCandidateError[] = [];
  const connectionAddresses: SdpConnectionAddress[] = [];
  lines.forEach((raw, n) => {
    const mLineIndex = sectionOf[n] ?? null;
    const location: SdpLocation = {
      mLineIndex,
      mid: mLineIndex === null ? null : (mids[mLineIndex] ?? null),
      line: n + 1,
      raw,
    };
    if (raw.startsWith('a=candidate:')) {
      try {
        candidates.push({ ...location, candidate: parseCandidate(raw) });
      } catch (error) {
        if (!isIceleakError(error)) throw error;
        errors.push({ ...location, error });
      }
    } else if (raw.startsWith('c=')) {
      const fields = raw.slice(2).trim().split(/ +/);
      const [netType, addrType, address] = fields;
      if (fields.length === 3 && netType !== undefined && addrType !== undefined && address !== undefined) {
        // connection-address may carry "/ttl[/count]" (multicast, RFC 8866 §5.7).
        connectionAddresses.push({
          ...location,
          netType,
          addrType,
          address: address.split('/')[0] ?? address,
        });
      }
    }
  });
  return { candidates, errors, connectionAddresses };
}
