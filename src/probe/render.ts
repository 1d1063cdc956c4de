import { FINDINGS, isFindingCode } from '../core/verdict/findings.js';
import type { StoredResult } from '../core/verdict/result.js';
import type { Finding, FindingCode, Fix, Verdict } from '../core/verdict/types.js';

/** The banner text per verdict, for a non-expert. */
const BANNER: Record<Verdict, { title: string; summary: string }> = {
  leak: {
    title: 'Your real IP address is exposed',
    summary:
      'Any website can learn your real address through WebRTC, even though your connection shows another one.',
  },
  'local-exposure': {
    title: 'Your local network address is exposed',
    summary:
      'Websites cannot see your real public address, but they can read an address from your local network.',
  },
  protected: {
    title: 'No leak found',
    summary:
      'WebRTC works in this browser, and it did not reveal any address beyond what every website already sees.',
  },
  'webrtc-disabled': {
    title: 'WebRTC is disabled',
    summary: 'This browser offers no WebRTC to web pages, so it cannot leak addresses this way.',
  },
};

/** Plain words for how an address reached the site. */
const HOW: Record<string, string> = {
  candidate: 'ICE candidate',
  sdp: 'session description (SDP)',
  stats: 'connection statistics',
  'stun-server': 'seen by our STUN server',
  'ice-check': 'seen by our ICE observer',
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`page is missing #${id}`);
  return node;
}

function show(id: string): void {
  byId(id).hidden = false;
}

/** Every address the result names, with its kind and the channels that showed it. */
function addressRows(
  result: StoredResult,
): Array<{ address: string; kind: string; hows: string[]; codes: FindingCode[] }> {
  const rows = new Map<string, { kind: string; hows: Set<string>; codes: Set<FindingCode> }>();
  const row = (address: string) => {
    const r = rows.get(address) ?? { kind: '', hows: new Set<string>(), codes: new Set<FindingCode>() };
    rows.set(address, r);
    return r;
  };
  for (const f of result.findings) {
    if (!f.address) continue;
    const r = row(f.address);
    const c = f.classification as { scope?: string; range?: { name?: string } | null } | null;
    if (c?.scope && !r.kind) r.kind = c.range?.name ? `${c.scope} (${c.range.name})` : c.scope;
    r.codes.add(f.code);
    for (const e of f.evidence) r.hows.add(e.how);
  }
  for (const o of result.server.stun) row(o.source.address).hows.add('stun-server');
  for (const o of result.server.iceChecks) row(o.source.address).hows.add('ice-check');
  for (const c of result.client?.connections ?? []) {
    for (const line of c.candidates) {
      // candidate-attribute: foundation component transport priority connection-address … (RFC 8839 §5.1)
      const address = line.replace(/^candidate:/, '').split(' ')[4];
      if (address) row(address).hows.add('candidate');
    }
  }
  return [...rows].map(([address, r]) => ({
    address,
    kind: r.kind || '—',
    hows: [...r.hows],
    codes: [...r.codes],
  }));
}

function uniqueFixes(findings: readonly Finding[]): Fix[] {
  const seen = new Map<string, Fix>();
  for (const f of findings) for (const fix of f.fixes) seen.set(`${fix.title}\n${fix.detail}`, fix);
  return [...seen.values()];
}

/** Shows a banner while running or on failure (no data-verdict: automation waits for a real one). */
export function renderStatus(title: string, summary: string, isError = false): void {
  const banner = byId('verdict');
  banner.classList.toggle('error', isError);
  byId('verdict-title').textContent = title;
  byId('verdict-summary').textContent = summary;
}

/** Fills the page from a stored result. Every string goes through textContent: submitted data is never markup. */
export function renderResult(result: StoredResult): void {
  const banner = byId('verdict');
  const text = BANNER[result.verdict] ?? { title: String(result.verdict), summary: '' };
  banner.classList.remove('pending', 'error');
  byId('verdict-title').textContent = text.title;
  const leaked = result.findings.filter((f) => isFindingCode(f.code) && FINDINGS[f.code].verdict === 'leak');
  const http = result.http.addresses.map((a) => a.address).join(', ') || 'none';
  byId('verdict-summary').textContent =
    leaked.length > 0
      ? `${text.summary} Leaked: ${leaked.map((f) => f.address).join(', ')}. Your connection shows: ${http}.`
      : text.summary;

  const findings = byId('findings');
  findings.replaceChildren(
    ...result.findings.map((f) => {
      const li = el('li');
      li.append(
        el('span', f.severity, `sev sev-${f.severity}`),
        el('strong', f.code),
        document.createTextNode(' '),
      );
      if (f.address) li.append(el('code', f.address), document.createTextNode(' '));
      li.append(document.createTextNode(f.summary));
      return li;
    }),
  );
  if (result.findings.length > 0) show('findings-section');

  const tbody = byId('addresses');
  tbody.replaceChildren(
    ...addressRows(result).map((r) => {
      const tr = el('tr');
      tr.append(
        el('td', r.address, 'addr'),
        el('td', r.kind),
        el('td', r.hows.map((h) => HOW[h] ?? h).join(', ')),
        el('td', r.codes.join(', ') || '—'),
      );
      return tr;
    }),
  );
  if (tbody.children.length > 0) show('addresses-section');

  byId('http').replaceChildren(
    ...result.http.addresses.map((a) => {
      const li = el('li');
      li.append(el('code', a.address), document.createTextNode(` (${a.family})`));
      return li;
    }),
  );
  show('http-section');

  const fixes = uniqueFixes(result.findings);
  byId('fixes').replaceChildren(
    ...(fixes.length > 0
      ? fixes.map((fix) => {
          const li = el('li');
          li.append(el('strong', fix.title), el('br'), el('code', fix.detail));
          return li;
        })
      : [el('li', 'Nothing to fix for WebRTC in this browser.')]),
  );
  show('fix-section');

  byId('raw').textContent = JSON.stringify({ client: result.client, server: result.server }, null, 2);
  show('raw-section');

  const share = byId('share') as HTMLAnchorElement;
  share.href = `/r/${encodeURIComponent(result.id)}`;
  share.textContent = new URL(share.href, location.href).href;
  (byId('download') as HTMLAnchorElement).href = `/api/results/${encodeURIComponent(result.id)}?download=1`;
  show('share-line');
  // Set last: automation waits for [data-verdict], so everything above is in place when it appears.
  banner.dataset['verdict'] = result.verdict;
  // For the benchmark: navigation start → verdict shown, on the page's own clock.
  performance.mark('iceleak:verdict-shown');
}
