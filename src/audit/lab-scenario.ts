import { type BrowserAgent, startBrowserAgent } from '../browser/agent-client.js';
import type { DefenceProfile } from '../browser/profiles.js';
import { type Lab, type ScenarioName, startLab } from '../lab/index.js';
import { type LabService, startServiceInLab } from '../service/in-lab.js';
import { assessLeaks } from './assess.js';
import type { AuditCell, AuditCellResult } from './cell.js';
import { learnedAddressesOf } from './results.js';
import type { ScenarioRunner } from './runner.js';
import { visitCell } from './visit-cell.js';

/**
 * Sets up one scenario of the lab for the audit: the lab itself, `iceleak serve` in its
 * internet namespace, and one browser agent in its client namespace, reused by every cell.
 */
export async function openLabScenario(
  scenario: ScenarioName,
  profiles: ReadonlyMap<string, DefenceProfile>,
): Promise<ScenarioRunner> {
  const lab: Lab = await startLab(scenario);
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
    run: (cell: AuditCell): Promise<AuditCellResult> =>
      visitCell(cell, {
        agent: readyAgent,
        profiles,
        url: pageUrl.href,
        proxy: lab.proxy,
        leaks: (result) => assessLeaks(lab.truth, learnedAddressesOf(result)),
      }),
  };
}
