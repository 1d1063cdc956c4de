/**
 * Load generator for `bench:stun`, run as its own process so its CPU is not the server's.
 * Keeps WINDOW Binding requests (with FINGERPRINT) in flight against HOST:PORT for
 * DURATION_MS, checks every response (transaction id, success class, XOR-MAPPED-ADDRESS
 * equal to our own address and port) and prints one JSON line with the counts.
 *
 * argv: HOST PORT DURATION_MS WINDOW
 */
import { createSocket } from 'node:dgram';
import { decodeStunMessage, encodeStunMessage, getAttribute } from '../../src/core/stun/index.js';

const [host = '127.0.0.1', portText = '3478', durationText = '5000', windowText = '32'] =
  process.argv.slice(2);
const port = Number(portText);
const durationMs = Number(durationText);
const window = Number(windowText);
const socket = createSocket('udp4');
await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
const ourPort = socket.address().port;

// Transaction ids carry a sequence number in their last 4 bytes; `sentAt` maps it back.
const sentAt = new Map<number, number>();
let sequence = 0;
let sent = 0;
let valid = 0;
let invalid = 0;
let lost = 0;
let running = true;

function sendOne(): void {
  const id = sequence++ >>> 0;
  const transactionId = new Uint8Array(12);
  transactionId[0] = 0x69;
  new DataView(transactionId.buffer).setUint32(8, id);
  socket.send(
    encodeStunMessage({ class: 'request', method: 1, transactionId, attributes: [] }, { fingerprint: true }),
    port,
    host,
  );
  sentAt.set(id, performance.now());
  sent++;
}

socket.on('message', (msg: Buffer) => {
  try {
    const response = decodeStunMessage(msg);
    const id = new DataView(response.transactionId.buffer, response.transactionId.byteOffset).getUint32(8);
    const mapped = getAttribute(response, 'XOR-MAPPED-ADDRESS');
    if (
      sentAt.delete(id) &&
      response.class === 'success-response' &&
      mapped?.address === '127.0.0.1' &&
      mapped.port === ourPort
    ) {
      valid++;
    } else {
      invalid++;
    }
  } catch {
    invalid++;
  }
  if (running) sendOne();
});

// Requests unanswered for 200 ms count as lost and are replaced, so the window stays full.
const refill = setInterval(() => {
  const now = performance.now();
  for (const [id, at] of sentAt) {
    if (now - at > 200) {
      sentAt.delete(id);
      lost++;
      if (running) sendOne();
    }
  }
}, 50);

const started = performance.now();
for (let i = 0; i < window; i++) sendOne();
await new Promise((resolve) => setTimeout(resolve, durationMs));
running = false;
const seconds = (performance.now() - started) / 1000;
await new Promise((resolve) => setTimeout(resolve, 100));
clearInterval(refill);
socket.close();
process.stdout.write(`${JSON.stringify({ sent, valid, invalid, lost, seconds })}\n`);
