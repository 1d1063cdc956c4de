/**
 * Captures the real-browser fixtures (run as root: `node --import tsx src/browser/test-support/capture-fixtures.ts`):
 * candidate strings and SDPs into src/core/ice/fixtures/, raw STUN Binding requests and ICE
 * checks into src/core/stun/fixtures/browsers/. Two namespaces of its own (`ilh4-<hex>-c`,
 * `ilh4-<hex>-s`) joined by a veth: client 10.10.0.23/24 (default route via 10.10.0.1), server
 * 10.10.0.1/24 + 192.0.2.10/32 running page-server.ts (HTTP :8080, UDP :3478). Every
 * namespace, process and temp dir is removed on every exit path; no packet leaves them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { decodeStunMessage, getAttribute } from '../../core/stun/index.js';
import { nodeModuleArgv } from '../../lab/node-child.js';
import { type BrowserAgent, startBrowserAgent } from '../agent-client.js';
import { type DefenceProfile, getDefenceProfile } from '../profiles.js';
import { type GatherOutcome, gatherExpression } from './gather-script.js';
import type { PageServerConfig } from './page-server.js';

const HOST = '192.0.2.10';
const UFRAG = 'ilh4';
const PWD = 'ilh4CaptureP4ssw0rd2026x';
const ICE_DIR = new URL('../../core/ice/fixtures/', import.meta.url);
const STUN_DIR = new URL('../../core/stun/fixtures/browsers/', import.meta.url);

const FIREFOX_MDNS_OFF: DefenceProfile = {
  id: 'firefox/mdns-off',
  browser: 'firefox',
  name: 'mdns-off',
  description: 'media.peerconnection.ice.obfuscate_host_addresses=false',
  prefs: { 'media.peerconnection.ice.obfuscate_host_addresses': false },
  mediaPermission: false,
};

const id = randomBytes(3).toString('hex');
const ns = { client: `ilh4-${id}-c`, server: `ilh4-${id}-s` };
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
let server: ChildProcess | undefined;
let agent: BrowserAgent | undefined;

function cleanupSync(): void {
  server?.kill('SIGKILL');
  for (const name of Object.values(ns)) {
    try {
      ip('netns', 'del', name);
    } catch {
      // not created
    }
  }
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

function buildNetwork(): void {
  ip('netns', 'add', ns.client);
  ip('netns', 'add', ns.server);
  ip(
    'link',
    'add',
    `ilh4c${id}`,
    'netns',
    ns.client,
    'type',
    'veth',
    'peer',
    'name',
    `ilh4s${id}`,
    'netns',
    ns.server,
  );
  ip('-n', ns.client, 'link', 'set', 'lo', 'up');
  ip('-n', ns.server, 'link', 'set', 'lo', 'up');
  ip('-n', ns.client, 'addr', 'add', '10.10.0.23/24', 'dev', `ilh4c${id}`);
  ip('-n', ns.server, 'addr', 'add', '10.10.0.1/24', 'dev', `ilh4s${id}`);
  ip('-n', ns.server, 'addr', 'add', `${HOST}/32`, 'dev', `ilh4s${id}`);
  ip('-n', ns.client, 'link', 'set', `ilh4c${id}`, 'up');
  ip('-n', ns.server, 'link', 'set', `ilh4s${id}`, 'up');
  ip('-n', ns.client, 'route', 'add', 'default', 'via', '10.10.0.1');
}

const datagrams: Array<{ hex: string; source: string }> = [];

async function startServer(): Promise<void> {
  const config: PageServerConfig = { host: HOST, httpPort: 8080, ufrag: UFRAG, pwd: PWD, capturePort: 3478 };
  const argv = nodeModuleArgv(new URL('./page-server.js', import.meta.url));
  server = spawn('ip', ['netns', 'exec', ns.server, ...argv, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout! });
  await new Promise<void>((resolve, reject) => {
    server!.once('exit', (code) => reject(new Error(`page server exited with ${code}`)));
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { event: string; hex?: string; source?: string };
      if (event.event === 'listening') resolve();
      if (event.event === 'datagram') datagrams.push({ hex: event.hex!, source: event.source! });
    });
  });
}

function classify(hex: string): 'binding' | 'check' | 'other' {
  try {
    const message = decodeStunMessage(Buffer.from(hex, 'hex'));
    if (message.class !== 'request') return 'other';
    const username = getAttribute(message, 'USERNAME');
    if (username === undefined) return 'binding';
    return username.startsWith(`${UFRAG}:`) ? 'check' : 'other';
  } catch {
    return 'other';
  }
}

async function gather(profile: DefenceProfile, options: Parameters<typeof gatherExpression>[0]) {
  const from = datagrams.length;
  const result = await agent!.run({
    profile,
    url: `http://${HOST}:8080/`,
    waitFor: { selector: '#ready' },
    evaluate: gatherExpression(options),
    timeoutMs: 60_000,
  });
  if (!result.ok) throw new Error(`${profile.id}: ${result.error}`);
  const outcome = result.value as GatherOutcome;
  if (outcome.error) throw new Error(`${profile.id}: page: ${outcome.error}`);
  return { outcome, version: result.browserVersion, datagrams: datagrams.slice(from) };
}

const hexLines = (hex: string) =>
  (hex.match(/.{1,64}/g) ?? []).map((l) => l.replace(/(..)(?!$)/g, '$1 ')).join('\n');

async function main(): Promise<void> {
  const versions = {
    chromium: execFileSync('chromium', ['--version']).toString().trim(),
    firefox: execFileSync('firefox-esr', ['--version']).toString().trim(),
  };
  buildNetwork();
  await startServer();
  agent = await startBrowserAgent({ netns: ns.client });
  mkdirSync(ICE_DIR, { recursive: true });
  mkdirSync(STUN_DIR, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const summary: string[] = [];
  for (const browser of ['chromium', 'firefox'] as const) {
    const on = await gather(getDefenceProfile(`${browser}/default`), {
      stun: `stun:${HOST}:3478`,
      answer: true,
    });
    const off = await gather(
      browser === 'chromium' ? getDefenceProfile('chromium/mdns-off') : FIREFOX_MDNS_OFF,
      {
        stun: `stun:${HOST}:3478`,
      },
    );
    const av = await gather(getDefenceProfile(`${browser}/default`), { answer: true, audioVideo: true });
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
    const binding = on.datagrams.find((d) => classify(d.hex) === 'binding');
    const check = on.datagrams.find((d) => classify(d.hex) === 'check');
    if (!binding || !check)
      throw new Error(`${browser}: no ${binding ? 'ICE check' : 'Binding request'} captured`);
    const how = `# ${on.version} (${versions[browser]}), captured ${date} by src/browser/test-support/capture-fixtures.ts`;
    writeFileSync(
      new URL(`${browser}-binding-request.hex`, STUN_DIR),
      `# Binding request to stun:${HOST}:3478 from ${binding.source}\n${how}\n${hexLines(binding.hex)}\n`,
    );
    writeFileSync(
      new URL(`${browser}-ice-check.hex`, STUN_DIR),
      `# ICE check to an ICE-lite answer (ufrag ${UFRAG}, pwd ${PWD}) from ${check.source}\n${how}\n${hexLines(check.hex)}\n`,
    );
    summary.push(
      `${browser} ${on.version}: mdns-on ${on.outcome.candidates.length} candidates (${on.outcome.gatherMs} ms, complete ${on.outcome.complete}), iceState ${on.outcome.iceState}; mdns-off ${off.outcome.candidates.length}; audio-video iceState ${av.outcome.iceState}; datagrams ${on.datagrams.length}`,
    );
  }
  writeFileSync(
    new URL('credentials.json', STUN_DIR),
    `${JSON.stringify({ ufrag: UFRAG, pwd: PWD, versions, date }, null, 2)}\n`,
  );
  console.log(summary.join('\n'));
}

try {
  await main();
} finally {
  await agent?.close();
  server?.stdin?.end();
  cleanupSync();
}
