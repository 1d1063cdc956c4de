/**
 * Captures every real-browser fixture (as root, from the repository root:
 * `node --import tsx src/browser/test-support/capture-fixtures.ts`):
 *
 * - src/core/ice/fixtures/: candidate strings and SDPs (README there);
 * - src/core/stun/fixtures/<browser>-{binding-request,ice-check}.hex: the first Binding request
 *   and ICE check of a session answered with ufrag `capU`, one field per line;
 * - src/core/stun/fixtures/browsers/: the same two messages of a second session (ufrag `ilh4`),
 *   raw hex, with credentials.json.
 *
 * The network (CAPTURE) is built by the lab (`startNetwork`), so it is recorded and removed on
 * every exit path, and `iceleak lab clean` removes it after a crash. Browsers run headless in
 * the client namespace through the browser agent; page-server.ts runs on the internet side.
 * No packet leaves the namespaces.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { StunAttributeType } from '../../core/stun/attribute.js';
import { decodeStunMessage, getAttribute } from '../../core/stun/index.js';
import { BROWSER_CAPTURES } from '../../core/stun/test-support/fixtures.js';
import { startNetwork, type Topology } from '../../lab/index.js';
import { type Child, nodeModuleArgv, readyOnEvent, runCommandSync, startChild } from '../../process/index.js';
import { type BrowserAgent, startBrowserAgent } from '../agent-client.js';
import { type DefenceProfile, getDefenceProfile } from '../profiles.js';
import { type GatherOptions, type GatherOutcome, gatherExpression } from './gather-script.js';
import type { PageServerConfig } from './page-server.js';

const HOST = '192.0.2.10';
const STUN = `stun:${HOST}:3478`;
const SCRIPT = 'src/browser/test-support/capture-fixtures.ts';
const ICE_DIR = new URL('../../core/ice/fixtures/', import.meta.url);
const STUN_DIR = new URL('../../core/stun/fixtures/', import.meta.url);
const RAW_DIR = new URL('browsers/', STUN_DIR);

/** The ICE-lite credentials of the two sessions: the STUN tests check the first set's checks with them. */
const FIELDS = { ufrag: BROWSER_CAPTURES.ufrag, pwd: BROWSER_CAPTURES.pwd } as const;
/** The second set's go into its credentials.json. */
const RAW = { ufrag: 'ilh4', pwd: 'ilh4CaptureP4ssw0rd2026x' } as const;

/**
 * The client alone on the service's LAN, no NAT (so a srflx candidate shows the client's own
 * 10.10.0.23), the server address 192.0.2.10 on the internet host's `lo`.
 */
const CAPTURE: Topology<'client' | 'internet'> = {
  hosts: ['client', 'internet'],
  routers: [],
  links: [
    {
      a: { host: 'client', ifname: 'lan0', addresses: ['10.10.0.23/24'] },
      b: { host: 'internet', ifname: 'lan0', addresses: ['10.10.0.1/24'] },
    },
  ],
  routes: [{ host: 'client', to: 'default', via: '10.10.0.1', dev: 'lan0' }],
  nat: [],
  service: { ipv4: HOST, ipv6: null },
};

const FIREFOX_MDNS_OFF: DefenceProfile = {
  id: 'firefox/mdns-off',
  browser: 'firefox',
  name: 'mdns-off',
  description: 'media.peerconnection.ice.obfuscate_host_addresses=false',
  prefs: { 'media.peerconnection.ice.obfuscate_host_addresses': false },
  mediaPermission: false,
};

interface Datagram {
  readonly hex: string;
  readonly source: string;
}

const NAMES = new Map<number, string>(Object.entries(StunAttributeType).map(([name, code]) => [code, name]));
const spaced = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** The message as ../fixtures/*.hex write it: header fields, then one attribute per line. */
function fieldLines(title: string, bytes: Uint8Array): string {
  const lines = [`# ${title}`];
  lines.push(`${spaced(bytes.subarray(0, 4))}  # message type and length`);
  lines.push(`${spaced(bytes.subarray(4, 8))}  # magic cookie`);
  lines.push(`${spaced(bytes.subarray(8, 20))}  # transaction id`);
  let offset = 20;
  while (offset + 4 <= bytes.length) {
    const type = (bytes[offset]! << 8) | bytes[offset + 1]!;
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const end = offset + 4 + length + ((4 - (length % 4)) % 4);
    const name = NAMES.get(type) ?? `unknown 0x${type.toString(16).padStart(4, '0')}`;
    lines.push(`${spaced(bytes.subarray(offset, offset + 4))}  # ${name} header`);
    if (end > offset + 4)
      lines.push(
        `${spaced(bytes.subarray(offset + 4, end))}  # ${name} ${end > offset + 4 + length ? 'value and padding' : 'value'}`,
      );
    offset = end;
  }
  return `${lines.join('\n')}\n`;
}

/** The message as ../fixtures/browsers/*.hex write it: 32 bytes a line. */
const rawLines = (hex: string) =>
  (hex.match(/.{1,64}/g) ?? []).map((l) => l.replace(/(..)(?!$)/g, '$1 ')).join('\n');

/** The first Binding request (no USERNAME) and the first check for `ufrag` among `datagrams`. */
function firstMessages(datagrams: readonly Datagram[], ufrag: string, browser: string) {
  const kind = (hex: string): 'binding' | 'check' | 'other' => {
    try {
      const message = decodeStunMessage(Buffer.from(hex, 'hex'));
      if (message.class !== 'request') return 'other';
      const username = getAttribute(message, 'USERNAME');
      if (username === undefined) return 'binding';
      return username.startsWith(`${ufrag}:`) ? 'check' : 'other';
    } catch {
      return 'other';
    }
  };
  const binding = datagrams.find((d) => kind(d.hex) === 'binding');
  const check = datagrams.find((d) => kind(d.hex) === 'check');
  if (!binding || !check)
    throw new Error(`${browser}: no ${binding ? `ICE check for ${ufrag}` : 'Binding request'} captured`);
  return { binding, check };
}

/** What the capture runs: the page server's datagrams so far, and the agent. */
interface Rig {
  readonly agent: BrowserAgent;
  readonly datagrams: Datagram[];
}

async function gather(rig: Rig, profile: DefenceProfile, options: GatherOptions) {
  const from = rig.datagrams.length;
  const result = await rig.agent.run({
    profile,
    url: `http://${HOST}:8080/`,
    waitFor: { selector: '#ready' },
    evaluate: gatherExpression(options),
    timeoutMs: 60_000,
  });
  if (!result.ok) throw new Error(`${profile.id}: ${result.error}`);
  const outcome = result.value as GatherOutcome;
  if (outcome.error) throw new Error(`${profile.id}: page: ${outcome.error}`);
  return { outcome, version: result.browserVersion, datagrams: rig.datagrams.slice(from) };
}

/** One browser's fixtures; returns its summary line. */
async function captureBrowser(rig: Rig, browser: 'chromium' | 'firefox', versions: Record<string, string>) {
  const date = new Date().toISOString().slice(0, 10);
  // Answered with the page server's own credentials (FIELDS), and with RAW's through the override.
  const on = await gather(rig, getDefenceProfile(`${browser}/default`), { stun: STUN, answer: true });
  const off = await gather(
    rig,
    browser === 'chromium' ? getDefenceProfile('chromium/mdns-off') : FIREFOX_MDNS_OFF,
    { stun: STUN, answer: true, answerPath: `/answer?ufrag=${RAW.ufrag}&pwd=${RAW.pwd}` },
  );
  const av = await gather(rig, getDefenceProfile(`${browser}/default`), { answer: true, audioVideo: true });
  for (const [name, run] of [
    ['mdns-on', on],
    ['mdns-off', off],
  ] as const) {
    writeFileSync(
      new URL(`${browser}-${name}.candidates.txt`, ICE_DIR),
      `${run.outcome.candidates.join('\n')}\n`,
    );
    writeFileSync(new URL(`${browser}-${name}.offer.sdp`, ICE_DIR), run.outcome.offerSdp);
    writeFileSync(new URL(`${browser}-${name}.local.sdp`, ICE_DIR), run.outcome.localSdp);
  }
  writeFileSync(new URL(`${browser}-audio-video.offer.sdp`, ICE_DIR), av.outcome.localSdp);

  const fields = firstMessages(on.datagrams, FIELDS.ufrag, browser);
  const how = `captured ${date} by ${SCRIPT} from ${on.version}`;
  const bytes = (d: Datagram) => new Uint8Array(Buffer.from(d.hex, 'hex'));
  writeFileSync(
    new URL(`${browser}-binding-request.hex`, STUN_DIR),
    fieldLines(`Binding request to a STUN server (${STUN}), ${how}`, bytes(fields.binding)),
  );
  writeFileSync(
    new URL(`${browser}-ice-check.hex`, STUN_DIR),
    fieldLines(
      `ICE connectivity check to an ICE-lite answer (ufrag ${FIELDS.ufrag}, pwd ${FIELDS.pwd}), ${how}`,
      bytes(fields.check),
    ),
  );

  const raw = firstMessages(off.datagrams, RAW.ufrag, browser);
  const rawHow = `# ${off.version} (${versions[browser]}), captured ${date} by ${SCRIPT}`;
  writeFileSync(
    new URL(`${browser}-binding-request.hex`, RAW_DIR),
    `# Binding request to ${STUN} from ${raw.binding.source}\n${rawHow}\n${rawLines(raw.binding.hex)}\n`,
  );
  writeFileSync(
    new URL(`${browser}-ice-check.hex`, RAW_DIR),
    `# ICE check to an ICE-lite answer (ufrag ${RAW.ufrag}, pwd ${RAW.pwd}) from ${raw.check.source}\n${rawHow}\n${rawLines(raw.check.hex)}\n`,
  );
  return `${browser} ${on.version}: mdns-on ${on.outcome.candidates.length} candidates (${on.outcome.gatherMs} ms, complete ${on.outcome.complete}), iceState ${on.outcome.iceState}; mdns-off ${off.outcome.candidates.length}, iceState ${off.outcome.iceState}; audio-video iceState ${av.outcome.iceState}; datagrams ${on.datagrams.length} + ${off.datagrams.length}`;
}

async function main(): Promise<void> {
  const version = (command: string) => runCommandSync([command, '--version']).stdout.trim();
  const versions = { chromium: version('chromium'), firefox: version('firefox-esr') };
  const network = await startNetwork('fixture-capture', CAPTURE);
  const datagrams: Datagram[] = [];
  let server: Child<true> | undefined;
  let agent: BrowserAgent | undefined;
  try {
    const config: PageServerConfig = { host: HOST, httpPort: 8080, ...FIELDS, capturePort: 3478 };
    server = await startChild({
      name: 'page server',
      place: 'browser/capture-fixtures',
      code: 'E_CAPTURE',
      argv: [...nodeModuleArgv(new URL('./page-server.js', import.meta.url)), JSON.stringify(config)],
      netns: network.namespaces.internet,
      stdin: true, // it stops when its stdin closes
      ready: readyOnEvent('listening'),
      onLine: (line) => {
        if (!line.startsWith('{"event":"datagram"')) return;
        const event = JSON.parse(line) as Datagram;
        datagrams.push({ hex: event.hex, source: event.source });
      },
      onStderr: (chunk) => process.stderr.write(chunk),
    });
    agent = await startBrowserAgent({ netns: network.namespaces.client });
    mkdirSync(ICE_DIR, { recursive: true });
    mkdirSync(RAW_DIR, { recursive: true });
    const summary: string[] = [];
    for (const browser of ['chromium', 'firefox'] as const) {
      summary.push(await captureBrowser({ agent, datagrams }, browser, versions));
    }
    const date = new Date().toISOString().slice(0, 10);
    writeFileSync(
      new URL('credentials.json', RAW_DIR),
      `${JSON.stringify({ ...RAW, versions, date }, null, 2)}\n`,
    );
    console.log(summary.join('\n'));
  } finally {
    await agent?.close();
    await server?.stop();
    await network.close();
  }
}

await main();
