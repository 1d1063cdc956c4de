import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../audit/index.js';
import { findBrowserExecutable } from '../../browser/executables.js';
import { checkLabPrerequisites } from '../../lab/index.js';
import { parseCommandLine } from '../options.js';
import { AUDIT, audit } from './audit.js';

// A small matrix whose outcome follows from each scenario's topology alone (docs/lab.md).
const PROFILES = 'chromium/default,chromium/disable_non_proxied_udp';
const SCENARIOS = 'http-proxy,vpn-full,vpn-ipv4-only';

describe('iceleak audit over a small matrix in the lab', () => {
  let dir: string;
  let report: AuditReport;
  let exitCode: number;
  let output = '';

  beforeAll(async () => {
    // Fails loudly (no skip) when the lab or the browser cannot run here.
    await checkLabPrerequisites();
    findBrowserExecutable('chromium');
    dir = await mkdtemp(join(tmpdir(), 'iceleak-audit-e2e-'));
    const sink = { write: (text: string) => (output += text) };
    const { writeFile } = await import('node:fs/promises');
    const { flags } = parseCommandLine(AUDIT, [
      '--profiles',
      PROFILES,
      '--scenarios',
      SCENARIOS,
      '--json',
      join(dir, 'audit.json'),
      '--junit',
      join(dir, 'audit.xml'),
      '--html',
      join(dir, 'audit.html'),
    ]);
    exitCode = await audit(flags, { stdout: sink, stderr: sink, writeFile });
    report = JSON.parse(await readFile(join(dir, 'audit.json'), 'utf8')) as AuditReport;
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cell = (id: string) => {
    const found = report.cells.find((c) => c.id === id);
    if (!found) throw new Error(`no cell ${id} in ${report.cells.map((c) => c.id).join(', ')}`);
    return found;
  };

  it('runs every cell to a verdict', () => {
    expect(report.schemaVersion).toBe(1);
    expect(report.cells).toHaveLength(6);
    expect(report.cells.filter((c) => c.verdict === 'error').map((c) => `${c.id}: ${c.error}`)).toEqual([]);
  });

  it('Chromium default behind an HTTP proxy leaks the home public address, seen by our servers', () => {
    const c = cell('chromium/default@http-proxy');
    expect(c.verdict).toBe('leak');
    const home = c.leakedAddresses.find((l) => l.address === '203.0.113.5');
    expect(home?.role).toBe('home-public');
    expect(home?.learnedBy).toEqual(expect.arrayContaining(['stun-server']));
  });

  it('disable_non_proxied_udp behind an HTTP proxy lets no secret address out', () => {
    const c = cell('chromium/disable_non_proxied_udp@http-proxy');
    expect(c.verdict).toBe('protected');
    expect(c.leakedAddresses).toEqual([]);
  });

  it('a full-tunnel VPN keeps the home public addresses hidden', () => {
    const c = cell('chromium/default@vpn-full');
    expect(c.leakedAddresses.filter((l) => l.role === 'home-public' || l.role === 'carrier-public')).toEqual(
      [],
    );
    expect(c.findings.some((f) => f.code === 'public-ip-leak')).toBe(false);
  });

  it('an IPv4-only VPN leaks the native IPv6 address, and our servers saw it', () => {
    // The page's verdict may be `protected` here: loaded over IPv6, the site sees the native
    // address over HTTP as well. The topology says that address is secret either way.
    const c = cell('chromium/default@vpn-ipv4-only');
    const native = c.leakedAddresses.find((l) => l.address === '2001:db8:1::23');
    expect(native?.role).toBe('home-public');
    expect(native?.learnedBy).toEqual(expect.arrayContaining(['stun-server', 'ice-check']));
  });

  it('exits 1 because cells leak, and writes JUnit and HTML reports', async () => {
    expect(exitCode).toBe(1);
    const junit = await readFile(join(dir, 'audit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="http-proxy" tests="2" failures="1"');
    const html = await readFile(join(dir, 'audit.html'), 'utf8');
    expect(html).toContain('chromium/disable_non_proxied_udp');
    expect(output).toContain('6 cells');
  });
});
