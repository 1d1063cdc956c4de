import { type BrowserAgent, startBrowserAgent } from '../browser/agent-client.js';
import type { DefenceProfile } from '../browser/profiles.js';
import { IceleakError } from '../core/errors.js';
import { type Lab, type ScenarioName, startLab } from '../lab/index.js';
import { type LabService, startServiceInLab, visitLeakTest } from '../service/in-lab.js';
import { assessLeaks } from './assess.js';
import type { AuditCell, AuditCellResult } from './cell.js';
import { findingsOf, learnedAddressesOf } from './results.js';
import type { ScenarioRunner } from './runner.js';

/** `Chrome/156.0.…` (also in `HeadlessChrome/…`) or `Firefox/153.0` from a user agent, as the page reported it. */
export function browserVersionOf(userAgent: string): string | null {
  return /(?:Chrome|Firefox)\/[\d.]+/.exec(userAgent)?.[0] ?? null;
}

/** How long one cell may take from navigation to the stored result. */
const CELL_TIMEOUT_MS = 20_000;

/**
 * Sets up one scenario of the lab for the audit: the lab itself, `iceleak serve` in its
 * internet namespace, and one browser agent in its client namespace, reused by every cell.
 */
export async function openLabScenario(
  scenario: string,
  profiles: ReadonlyMap<string, DefenceProfile>,
): Promise<ScenarioRunner> {
  const lab: Lab = await startLab(scenario as ScenarioName);
  let service: LabService | undefined;
  let agent: BrowserAgent | undefined;
  const close = async () => {
    await agent?.close().catch(() => {});
    await service?.close().catch(() => {});
    await lab.close();
  };
  try {
    service = await startServiceInLab(lab);
    agent = await startBrowserAgent({ netns: lab.namespaces.client });
  } catch (error) {
    await close();
    throw error;
  }
  const readyService = service;
  const readyAgent = agent;
  // Chromium counts 2001:db8::/32 as a `local` address space and blocks a plain-http page on
  // the IPv4 origin (which it counts as public) from fetching the IPv6 origin, so the service
  // would never learn the IPv6 HTTP-seen address. From the IPv6 origin the page's IPv4 fetch
  // goes the allowed way (local → public). Only where the client reaches the service over IPv6.
  const pageUrl = new URL(readyService.url);
  if (lab.service.ipv6 && lab.truth.expected.httpSourceIPv6) pageUrl.hostname = `[${lab.service.ipv6}]`;
  return {
    close,
    async run(cell: AuditCell): Promise<AuditCellResult> {
      const profile = profiles.get(cell.profile);
      if (!profile)
        throw new IceleakError('E_AUDIT_UNKNOWN_PROFILE', 'audit/cell', `no profile ${cell.profile}`);
      const started = Date.now();
      const visit = await visitLeakTest(readyAgent, {
        profile,
        proxy: lab.proxy,
        url: pageUrl.href,
        timeoutMs: CELL_TIMEOUT_MS,
      });
      const durationMs = Date.now() - started;
      if (!visit.ok || !visit.result) {
        throw new IceleakError(
          'E_AUDIT_CELL',
          `audit/${cell.id}`,
          visit.error ?? 'the page showed a verdict but its result could not be read',
        );
      }
      return {
        ...cell,
        browserVersion: browserVersionOf(visit.result.browser.userAgent),
        verdict: visit.result.verdict,
        findings: findingsOf(visit.result),
        leakedAddresses: assessLeaks(lab.truth, learnedAddressesOf(visit.result)),
        durationMs,
      };
    },
  };
}
