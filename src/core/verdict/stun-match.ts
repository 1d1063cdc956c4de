/**
 * Tying anonymous STUN Binding requests to a session: a request belongs to a report when
 * its source address:port is a server-reflexive candidate of that report (RFC 8445
 * §5.1.1.2: the srflx candidate *is* the request's source as the server saw it).
 */
import type { StunBindingObservation } from '../observation.js';
import { keyAddress } from './address-key.js';
import type { ProbeReport } from './report.js';
import { addressesFromReport } from './report-addresses.js';

/** The observations whose source equals a srflx candidate (candidate, SDP or stats) of the report. */
export function matchStunObservations(
  report: ProbeReport,
  observations: readonly StunBindingObservation[],
): StunBindingObservation[] {
  const srflx = new Map<string, Set<string | null>>();
  for (const a of addressesFromReport(report)) {
    if (a.candidateType !== 'srflx' || a.role !== 'address' || a.port === null) continue;
    const keyed = keyAddress(a.address);
    if (keyed === null || keyed.family === 'name') continue;
    const endpoint = `${keyed.key}|${a.port}`;
    const transports = srflx.get(endpoint) ?? new Set();
    transports.add(a.transport === 'udp' || a.transport === 'tcp' ? a.transport : null);
    srflx.set(endpoint, transports);
  }
  return observations.filter((o) => {
    const keyed = keyAddress(o.source.address);
    if (keyed === null) return false;
    const transports = srflx.get(`${keyed.key}|${o.source.port}`);
    // A channel that did not say its transport (stats without protocol) matches either.
    return transports !== undefined && (transports.has(o.transport) || transports.has(null));
  });
}
