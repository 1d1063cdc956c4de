/**
 * Every address a probe report shows, flattened from its three client-side channels:
 * `icecandidate` strings, the final SDP, and `getStats()` local candidates. The report is
 * untrusted, so every field is type-checked again and every list is capped.
 */
import { type CandidateType, type IceCandidate, parseCandidate } from '../ice/candidate.js';
import { candidatesFromSdp } from '../ice/sdp.js';
import type { ProbeReport } from './report.js';
import type { LearnedHow } from './types.js';

/** Per-report caps: far above what a browser produces, low enough to bound the work. */
export const REPORT_LIMITS = {
  connections: 16,
  candidatesPerConnection: 256,
  statsPerConnection: 256,
  detailLength: 256,
} as const;

/** One address seen in a probe report, with where it was seen. */
export interface ReportedAddress {
  readonly address: string;
  readonly port: number | null;
  readonly how: Extract<LearnedHow, 'candidate' | 'sdp' | 'stats'>;
  /** `address` of a candidate, its `raddr`, or an SDP `c=` line. */
  readonly role: 'address' | 'raddr' | 'c-line';
  readonly candidateType: CandidateType | null;
  /** Lower-cased transport ("udp"/"tcp"), when the channel says. */
  readonly transport: string | null;
  readonly foundation: string | null;
  /** Index of the connection in `report.connections`: labels are not trusted to be unique. */
  readonly connectionIndex: number;
  readonly connection: string;
  /** The raw line or a short description, truncated. */
  readonly detail: string;
}

function clip(text: string): string {
  return text.length > REPORT_LIMITS.detailLength ? `${text.slice(0, REPORT_LIMITS.detailLength)}…` : text;
}

const CANDIDATE_TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay'];

function fromCandidate(
  c: IceCandidate,
  how: 'candidate' | 'sdp',
  detail: string,
  connectionIndex: number,
  connection: string,
): ReportedAddress[] {
  const base = {
    how,
    candidateType: c.type,
    transport: c.transport.toLowerCase(),
    foundation: c.foundation,
    connectionIndex,
    connection,
    detail,
  };
  const out: ReportedAddress[] = [{ ...base, address: c.address, port: c.port, role: 'address' }];
  if (c.relatedAddress !== null)
    out.push({ ...base, address: c.relatedAddress, port: c.relatedPort, role: 'raddr' });
  return out;
}

/** Flattens a probe report into the addresses it shows. Never throws on a malformed report. */
export function addressesFromReport(report: ProbeReport | null): ReportedAddress[] {
  const out: ReportedAddress[] = [];
  if (report === null || typeof report !== 'object' || !Array.isArray(report.connections)) return out;
  report.connections.slice(0, REPORT_LIMITS.connections).forEach((conn, index) => {
    if (conn === null || typeof conn !== 'object') return;
    const connection = typeof conn.label === 'string' ? clip(conn.label) : `#${index}`;
    const candidates = Array.isArray(conn.candidates)
      ? conn.candidates.slice(0, REPORT_LIMITS.candidatesPerConnection)
      : [];
    for (const line of candidates) {
      if (typeof line !== 'string') continue;
      try {
        out.push(...fromCandidate(parseCandidate(line), 'candidate', clip(line), index, connection));
      } catch {
        // A garbage candidate proves nothing; the rest of the report still counts.
      }
    }
    if (typeof conn.sdp === 'string') {
      try {
        const sdp = candidatesFromSdp(conn.sdp);
        for (const c of sdp.candidates.slice(0, REPORT_LIMITS.candidatesPerConnection)) {
          out.push(...fromCandidate(c.candidate, 'sdp', clip(c.raw), index, connection));
        }
        for (const c of sdp.connectionAddresses.slice(0, REPORT_LIMITS.candidatesPerConnection)) {
          out.push({
            address: c.address,
            port: null,
            how: 'sdp',
            role: 'c-line',
            candidateType: null,
            transport: null,
            foundation: null,
            connectionIndex: index,
            connection,
            detail: clip(c.raw),
          });
        }
      } catch {
        // Oversized SDP: ignored like any other unreadable evidence.
      }
    }
    const stats = Array.isArray(conn.stats) ? conn.stats.slice(0, REPORT_LIMITS.statsPerConnection) : [];
    for (const s of stats) {
      if (s === null || typeof s !== 'object') continue;
      const type =
        typeof s.candidateType === 'string' && CANDIDATE_TYPES.includes(s.candidateType)
          ? (s.candidateType as CandidateType)
          : null;
      const base = {
        how: 'stats' as const,
        candidateType: type,
        transport: typeof s.protocol === 'string' ? s.protocol.toLowerCase().slice(0, 8) : null,
        foundation: typeof s.foundation === 'string' ? clip(s.foundation) : null,
        connectionIndex: index,
        connection,
      };
      const port = typeof s.port === 'number' && Number.isInteger(s.port) ? s.port : null;
      if (typeof s.address === 'string') {
        out.push({
          ...base,
          address: clip(s.address),
          port,
          role: 'address',
          detail: clip(`${type ?? '?'} ${s.address} ${port ?? ''}`.trim()),
        });
      }
      if (typeof s.relatedAddress === 'string') {
        const rport =
          typeof s.relatedPort === 'number' && Number.isInteger(s.relatedPort) ? s.relatedPort : null;
        out.push({
          ...base,
          address: clip(s.relatedAddress),
          port: rport,
          role: 'raddr',
          detail: clip(`${type ?? '?'} raddr ${s.relatedAddress} ${rport ?? ''}`.trim()),
        });
      }
    }
  });
  return out;
}
