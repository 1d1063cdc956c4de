import { IceleakError } from '../core/errors.js';
import { nodeModuleArgv, startChild } from '../process/index.js';
import type { CheckProbe } from './check-client.js';
import type { Lab } from './lab.js';

/** One expectation of the self-check: what the service should see, and what it saw. */
export interface LabCheckResult {
  /** e.g. "HTTP to 192.0.2.1 via http://198.51.100.7:8888 comes from 198.51.100.7". */
  expectation: string;
  expected: string;
  actual: string;
  pass: boolean;
}

/** The expectations of a lab, from its truth: HTTP (via the proxy, if any) and UDP, per family. */
export function labExpectations(
  lab: Pick<Lab, 'service' | 'truth' | 'proxy'>,
): { target: string; channel: 'http' | 'udp'; expected: string }[] {
  const { expected } = lab.truth;
  const rows: { target: string; channel: 'http' | 'udp'; expected: string }[] = [
    { target: lab.service.ipv4, channel: 'http', expected: expected.httpSourceIPv4 },
    { target: lab.service.ipv4, channel: 'udp', expected: expected.udpSourceIPv4 },
  ];
  if (lab.service.ipv6) {
    if (expected.httpSourceIPv6)
      rows.push({ target: lab.service.ipv6, channel: 'http', expected: expected.httpSourceIPv6 });
    if (expected.udpSourceIPv6)
      rows.push({ target: lab.service.ipv6, channel: 'udp', expected: expected.udpSourceIPv6 });
  }
  return rows;
}

/** The echo server's ready line: the ports it listens on. */
interface EchoPorts {
  httpPort: number;
  udpPorts: Record<string, number>;
}

function echoPorts(message: unknown): EchoPorts | undefined {
  const ports = message as Partial<EchoPorts> | null;
  return typeof ports?.httpPort === 'number' && typeof ports.udpPorts === 'object'
    ? (ports as EchoPorts)
    : undefined;
}

/**
 * Proves the lab routes as its truth says: runs the echo server in the internet namespace
 * and the check client in the client namespace, then compares each source address seen.
 */
export async function checkLab(lab: Lab): Promise<LabCheckResult[]> {
  const targets = [lab.service.ipv4, ...(lab.service.ipv6 ? [lab.service.ipv6] : [])];
  const server = await startChild({
    name: 'echo server',
    place: 'lab/check',
    code: 'E_LAB_CHECK',
    argv: [...nodeModuleArgv(new URL('./echo-server.js', import.meta.url)), ...targets],
    netns: lab.namespaces.internet,
    ready: echoPorts,
    readyTimeoutMs: 15_000,
  });
  try {
    const ports = server.ready;
    const argv = [
      ...nodeModuleArgv(new URL('./check-client.js', import.meta.url)),
      '--http-port',
      String(ports.httpPort),
      ...(lab.proxy ? ['--proxy', lab.proxy.url] : []),
      ...targets.map((target) => `${target}=${ports.udpPorts[target]}`),
    ];
    const run = await lab.exec('client', argv, { timeoutMs: 30_000 });
    if (run.code !== 0) {
      throw new IceleakError(
        'E_LAB_CHECK',
        'lab/check',
        `check client failed (${run.code}): ${run.stderr.trim()}`,
      );
    }
    const probes = JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]') as CheckProbe[];
    return labExpectations(lab).map(({ target, channel, expected }) => {
      const seen = probes.find((p) => p.target === target)?.[channel];
      const actual =
        seen === undefined ? 'no probe' : 'source' in seen ? seen.source : `error: ${seen.error}`;
      const via = channel === 'http' && lab.proxy ? ` via ${lab.proxy.url}` : '';
      return {
        expectation: `${channel.toUpperCase()} to ${target}${via} comes from ${expected}`,
        expected,
        actual,
        pass: actual === expected,
      };
    });
  } finally {
    await server.stop();
  }
}
