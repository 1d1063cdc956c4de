import type { StunBindingObservation } from '../core/observation.js';
import type { ScriptFinding } from './rules.js';

/** The host and port of a `stun:`/`turn:` URL (RFC 7064 §3.1, RFC 7065 §3.1); null if not one. */
export function stunServerEndpoint(url: string): { host: string; port: number } | null {
  const m = /^(stuns?|turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?/i.exec(url.trim());
  if (!m) return null;
  const secure = m[1]!.toLowerCase().endsWith('s');
  return { host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : secure ? 5349 : 3478 };
}

/**
 * Network confirmation of a finding: the Binding requests a STUN server we run saw that
 * belong to it — sent to one of its ICE servers, and either from the port of a srflx
 * candidate the script read or, when it read none with a port, inside `window`.
 */
export function confirmingBindings(
  finding: ScriptFinding,
  observations: readonly StunBindingObservation[],
  window: { readonly from: number; readonly to: number },
): StunBindingObservation[] {
  const servers = finding.evidence.iceServers.flatMap((u) => stunServerEndpoint(u) ?? []);
  const srflxPorts = new Set(
    finding.evidence.harvested.flatMap((c) => (c.type === 'srflx' && c.port !== null ? [c.port] : [])),
  );
  return observations.filter((o) => {
    if (!servers.some((s) => s.host === o.local.address && s.port === o.local.port)) return false;
    if (srflxPorts.size > 0) return srflxPorts.has(o.source.port);
    return o.time >= window.from && o.time <= window.to;
  });
}
