/**
 * `npm run bench:stun`: Binding responses per second and per server CPU-second on loopback,
 * for our server (bench/stun/server.ts, a child process) and for Debian's coturn
 * (`turnserver --stun-only`) in the same run. Load comes from a separate process
 * (bench/stun/load.ts) that validates every response. Server CPU is utime+stime from
 * /proc/<pid>/stat (all threads) around each load phase. Five alternating rounds per server, each
 * round one phase of ours then one of coturn; the median per-round ratio is the headline;
 * the whole run stays well under two minutes.
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { encodeStunMessage } from '../../src/core/stun/index.js';
import { type Child, nodeModuleArgv, runCommandSync, startChild } from '../../src/process/index.js';

const DURATION_MS = Number(process.env.BENCH_STUN_DURATION_MS ?? 3000);
const WINDOW = Number(process.env.BENCH_STUN_WINDOW ?? 32);
// Short alternating phases: other work on a shared machine then hits both servers alike.
const ROUNDS = 5;
const WARMUP_MS = 1500;
const CLOCK_TICKS = Number(runCommandSync(['getconf', 'CLK_TCK']).stdout.trim()) || 100;
// Children are started with startChild (src/process/): killed if this process ends first.
const passStderr = (chunk: string) => process.stderr.write(chunk);

/** utime + stime of every thread of `pid`, in seconds (proc(5), fields 14 and 15). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Resolves once a Binding request to 127.0.0.1:port gets an answer (5 s at most). */
async function waitForStun(port: number): Promise<void> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const answered = new Promise<void>((resolve) => socket.once('message', () => resolve()));
    const request = encodeStunMessage({
      class: 'request',
      method: 1,
      transactionId: randomBytes(12),
      attributes: [],
    });
    for (let i = 0; i < 50; i++) {
      socket.send(request, port, '127.0.0.1');
      const ok = await Promise.race([
        answered.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 100)),
      ]);
      if (ok) return;
    }
    throw new Error(`no STUN answer on 127.0.0.1:${port}`);
  } finally {
    socket.close();
  }
}

interface LoadResult {
  sent: number;
  valid: number;
  invalid: number;
  lost: number;
  seconds: number;
}

/** One load phase: load.ts prints its counts as one JSON line and exits. */
async function runLoad(port: number, durationMs = DURATION_MS): Promise<LoadResult> {
  const load = await startChild({
    name: 'load generator',
    place: 'bench/stun/load',
    code: 'E_BENCH',
    argv: [
      ...nodeModuleArgv(new URL('./load.js', import.meta.url)),
      ...['127.0.0.1', String(port), String(durationMs), String(WINDOW)],
    ],
    ready: (message) => message as LoadResult,
    readyTimeoutMs: durationMs + 30_000,
    onStderr: passStderr,
  });
  await load.exited;
  return load.ready;
}

interface Server {
  name: string;
  pid: number;
  port: number;
  stop(): Promise<unknown>;
}

async function startOurs(): Promise<Server> {
  const ours = await startChild({
    name: 'iceleak STUN server',
    place: 'bench/stun/server',
    code: 'E_BENCH',
    argv: nodeModuleArgv(new URL('./server.js', import.meta.url)),
    ready: (message) => message as { port: number },
    stopTimeoutMs: 3000,
    onStderr: passStderr,
  });
  return { name: 'iceleak', pid: ours.pid, port: ours.ready.port, stop: ours.stop };
}

async function startCoturn(): Promise<Server> {
  try {
    runCommandSync(['turnserver', '--help']);
  } catch (error) {
    if (((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error('turnserver (Debian package coturn) is not installed: apt-get install coturn');
    }
  }
  const port = await freeUdpPort();
  // STUN only, UDP only, no config file, no CLI, no SOFTWARE nor RFC 5780 extras: the same
  // answer as ours (XOR-MAPPED-ADDRESS [+ MAPPED-ADDRESS] + FINGERPRINT).
  const args = [
    '--stun-only',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--no-tcp',
    '-c',
    '/dev/null',
    '-L',
    '127.0.0.1',
    '-p',
    String(port),
  ];
  args.push(
    '--log-file',
    'stdout',
    '--simple-log',
    '--no-software-attribute',
    '--no-rfc5780',
    '--no-stun-backward-compatibility',
  );
  // coturn prints no JSON: it is ready once it answers a Binding request.
  const coturn: Child<true> = await startChild({
    name: 'coturn',
    place: 'bench/stun/coturn',
    code: 'E_BENCH',
    argv: ['turnserver', ...args],
    stopTimeoutMs: 3000,
  });
  try {
    await waitForStun(port);
  } catch (error) {
    await coturn.stop();
    throw error;
  }
  return { name: 'coturn', pid: coturn.pid, port, stop: coturn.stop };
}

interface Row {
  server: string;
  responses: number;
  seconds: number;
  cpu: number;
  lost: number;
  invalid: number;
}

async function measure(server: Server): Promise<Row> {
  const before = cpuSeconds(server.pid);
  const load = await runLoad(server.port);
  const cpu = cpuSeconds(server.pid) - before;
  return {
    server: server.name,
    responses: load.valid,
    seconds: load.seconds,
    cpu,
    lost: load.lost,
    invalid: load.invalid,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const started = Date.now();
  const ours = await startOurs();
  const coturn = await startCoturn().catch(async (error: unknown) => {
    await ours.stop();
    throw error;
  });
  const rows: Row[] = [];
  try {
    // Warm-up, not counted: V8 compiles our hot path, and both servers see traffic first.
    await runLoad(ours.port, WARMUP_MS);
    await runLoad(coturn.port, WARMUP_MS);
    for (let round = 0; round < ROUNDS; round++) {
      rows.push(await measure(ours));
      rows.push(await measure(coturn));
    }
  } finally {
    await ours.stop();
    await coturn.stop();
  }
  const total = (name: string) => {
    const mine = rows.filter((r) => r.server === name);
    const responses = mine.reduce((s, r) => s + r.responses, 0);
    const seconds = mine.reduce((s, r) => s + r.seconds, 0);
    const cpu = mine.reduce((s, r) => s + r.cpu, 0);
    return { responses, perSecond: responses / seconds, perCpuSecond: responses / cpu, cpu, seconds };
  };
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `bench:stun — ${new Date().toISOString()} — ${cpus().length} × ${cpuModel}, Node ${process.version}`,
  );
  console.log(
    `load: 1 process, ${WINDOW} requests in flight, ${DURATION_MS} ms per phase, ${ROUNDS} rounds per server`,
  );
  console.log('');
  console.log(
    '| round | server | valid responses | responses/s | server CPU s | responses per CPU-second | lost | invalid |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  rows.forEach((r, i) => {
    console.log(
      `| ${Math.floor(i / 2) + 1} | ${r.server} | ${fmt(r.responses)} | ${fmt(r.responses / r.seconds)} | ${r.cpu.toFixed(2)} | ${fmt(r.responses / r.cpu)} | ${r.lost} | ${r.invalid} |`,
    );
  });
  const a = total('iceleak');
  const b = total('coturn');
  const ratios: number[] = [];
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const ours = rows[i]!;
    const theirs = rows[i + 1]!;
    ratios.push(ours.responses / ours.cpu / (theirs.responses / theirs.cpu));
  }
  ratios.sort((x, y) => x - y);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  console.log('');
  console.log(
    `iceleak: ${fmt(a.perSecond)} responses/s, ${fmt(a.perCpuSecond)} responses per server CPU-second`,
  );
  console.log(
    `coturn:  ${fmt(b.perSecond)} responses/s, ${fmt(b.perCpuSecond)} responses per server CPU-second`,
  );
  console.log(
    `ratio iceleak/coturn over all rounds: ${(a.perSecond / b.perSecond).toFixed(2)} (responses/s), ${(a.perCpuSecond / b.perCpuSecond).toFixed(2)} (per CPU-second)`,
  );
  console.log(
    `per-round ratios (per CPU-second), sorted: ${ratios.map((r) => r.toFixed(2)).join(' ')}; median ${median.toFixed(2)}`,
  );
  console.log(`bench took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  console.error(`bench:stun failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
