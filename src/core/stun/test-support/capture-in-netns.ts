/**
 * The inside half of capture-browsers.ts, run in its namespace: a UDP socket on
 * 192.0.2.10:3478 answered by our own protocol core, a browser per family, and the first
 * Binding request and ICE check of each written to ../fixtures/ one field per line.
 */
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '../../../browser/launch.js';
import { handleStunPacket } from '../../../server/protocol.js';
import { SessionTable } from '../../../server/sessions.js';
import { StunAttributeType } from '../attribute.js';
import { decodeStunMessage, getAttribute } from '../message.js';

const HOST = '192.0.2.10';
const PORT = 3478;
const UFRAG = 'capU';
const PWD = 'capturepassword0123456789';

const NAMES = new Map<number, string>(Object.entries(StunAttributeType).map(([name, code]) => [code, name]));
const hexOf = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** The message as the fixtures write it: header fields, then one attribute per line. */
function fixtureText(title: string[], bytes: Uint8Array): string {
  const lines = title.map((t) => `# ${t}`);
  lines.push(`${hexOf(bytes.subarray(0, 4))}  # message type and length`);
  lines.push(`${hexOf(bytes.subarray(4, 8))}  # magic cookie`);
  lines.push(`${hexOf(bytes.subarray(8, 20))}  # transaction id`);
  let offset = 20;
  while (offset + 4 <= bytes.length) {
    const type = (bytes[offset]! << 8) | bytes[offset + 1]!;
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const end = offset + 4 + length + ((4 - (length % 4)) % 4);
    const name = NAMES.get(type) ?? `unknown 0x${type.toString(16).padStart(4, '0')}`;
    lines.push(`${hexOf(bytes.subarray(offset, offset + 4))}  # ${name} header`);
    if (end > offset + 4)
      lines.push(
        `${hexOf(bytes.subarray(offset + 4, end))}  # ${name} ${end > offset + 4 + length ? 'value and padding' : 'value'}`,
      );
    offset = end;
  }
  return `${lines.join('\n')}\n`;
}

const sessions = new SessionTable();
sessions.register({ sessionId: 'capture', ufrag: UFRAG, pwd: PWD });
const captured = { binding: undefined as Uint8Array | undefined, check: undefined as Uint8Array | undefined };
const socket = createSocket('udp4');
socket.on('message', (msg, rinfo) => {
  try {
    const message = decodeStunMessage(msg);
    if (message.class === 'request') {
      const username = getAttribute(message, 'USERNAME');
      if (username === undefined) captured.binding ??= new Uint8Array(msg);
      else if (username.startsWith(`${UFRAG}:`)) captured.check ??= new Uint8Array(msg);
    }
  } catch {}
  const source = { address: rinfo.address, port: rinfo.port, family: 'IPv4' as const };
  const local = { address: HOST, port: PORT, family: 'IPv4' as const };
  for (const action of handleStunPacket(
    { bytes: msg, transport: 'udp', source, local, now: Date.now() },
    { sessions },
  )) {
    if (action.type === 'send') socket.send(action.bytes, rinfo.port, rinfo.address);
  }
});
await new Promise<void>((resolve) => socket.bind(PORT, HOST, resolve));

// An offer with a data channel, then an ICE-lite answer pointing at our socket, as the
// leak-test page does: the browser sends checks with USERNAME = capU:<its ufrag>.
async function pageScript(
  stun: string,
  ufrag: string,
  pwd: string,
  host: string,
  port: number,
): Promise<void> {
  const pc = new RTCPeerConnection({ iceServers: [{ urls: stun }] });
  pc.createDataChannel('capture');
  await pc.setLocalDescription(await pc.createOffer());
  const mid = /a=mid:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? '0';
  const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
  const sdp = [
    'v=0',
    'o=- 1 1 IN IP4 0.0.0.0',
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mid}`,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    `a=fingerprint:sha-256 ${fingerprint}`,
    'a=setup:passive',
    `a=mid:${mid}`,
    'a=sctp-port:5000',
    `a=candidate:1 1 udp 2130706431 ${host} ${port} typ host`,
    'a=end-of-candidates',
    '',
  ].join('\r\n');
  await pc.setRemoteDescription({ type: 'answer', sdp });
  (globalThis as unknown as { capturePc: RTCPeerConnection }).capturePc = pc;
}

const date = new Date().toISOString().slice(0, 10);
try {
  for (const name of ['chromium', 'firefox'] as const) {
    captured.binding = undefined;
    captured.check = undefined;
    const launched = await launchBrowser({ browser: name });
    try {
      const page = await launched.browser.newPage();
      await page.goto('about:blank');
      await page.evaluate(pageScript, `stun:${HOST}:${PORT}`, UFRAG, PWD, HOST, PORT);
      const deadline = Date.now() + 15_000;
      const { binding, check } = await (async () => {
        for (;;) {
          const now = captured as { binding?: Uint8Array; check?: Uint8Array };
          if ((now.binding && now.check) || Date.now() > deadline) return now;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      if (!binding || !check)
        throw new Error(`${name}: no ${binding ? 'ICE check' : 'Binding request'} within 15 s`);
      const how = `captured ${date} by src/core/stun/test-support/capture-browsers.ts from ${launched.version}`;
      writeFileSync(
        new URL(`../fixtures/${name}-binding-request.hex`, import.meta.url),
        fixtureText([`Binding request to a STUN server (stun:${HOST}:${PORT}), ${how}`], binding),
      );
      writeFileSync(
        new URL(`../fixtures/${name}-ice-check.hex`, import.meta.url),
        fixtureText(
          [`ICE connectivity check to an ICE-lite answer (ufrag ${UFRAG}, pwd ${PWD}), ${how}`],
          check,
        ),
      );
      console.log(`${name}: ${launched.version}: captured ${binding.length} + ${check.length} bytes`);
    } finally {
      await launched.close();
    }
  }
} finally {
  socket.close();
}
