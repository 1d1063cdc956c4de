/**
 * Our server as the benchmark runs it: the same `startStunObserver` that `iceleak serve`
 * uses, UDP only on one loopback port, with one observation listener that counts. Prints
 * `{"port":N}` once listening and `{"observations":N}` on SIGTERM, then exits.
 */
import { startStunObserver } from '../../src/server/index.js';

const observer = await startStunObserver({
  listen: [{ address: '127.0.0.1', port: 0 }],
  transports: ['udp'],
});
let observations = 0;
observer.onObservation(() => {
  observations++;
});
process.stdout.write(`${JSON.stringify({ port: observer.endpoints[0]!.port })}\n`);
process.once('SIGTERM', () => {
  void observer.close().then(() => {
    process.stdout.write(`${JSON.stringify({ observations })}\n`);
  });
});
