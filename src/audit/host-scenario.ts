import { type BrowserAgent, startBrowserAgent } from '../browser/agent-client.js';
import type { DefenceProfile } from '../browser/profiles.js';
import { IceleakError } from '../core/errors.js';
import { type RunningService, startService } from '../service/index.js';
import type { LeakedAddress } from './assess.js';
import type { AuditCell, AuditCellResult } from './cell.js';
import type { ScenarioRunner } from './runner.js';
import { visitCell } from './visit-cell.js';

/**
 * Without a lab there is no topology to judge against, so the verdict's findings decide:
 * a public address learned beside the HTTP-seen one, or any local address, is a leak.
 */
function leaksFromFindings(findings: AuditCellResult['findings']): LeakedAddress[] {
  const leaks: LeakedAddress[] = [];
  for (const f of findings) {
    if (f.address === null) continue;
    if (f.code === 'public-ip-leak' || f.code === 'ipv6-leak') {
      leaks.push({
        address: f.address,
        role: 'public',
        learnedBy: f.learnedBy as LeakedAddress['learnedBy'],
      });
    } else if (f.code === 'local-ip-exposed') {
      leaks.push({ address: f.address, role: 'lan', learnedBy: f.learnedBy as LeakedAddress['learnedBy'] });
    }
  }
  return leaks;
}

/**
 * A host audit: the browsers installed here, on this machine's real network (e.g. with a
 * VPN client connected), against a deployed `iceleak serve` or an embedded one.
 */
export async function openHostScenario(
  profiles: ReadonlyMap<string, DefenceProfile>,
  serverUrl: string | undefined,
  embeddedAddress = '127.0.0.1',
): Promise<ScenarioRunner> {
  let service: RunningService | undefined;
  let url: string;
  if (serverUrl) {
    try {
      url = new URL(serverUrl).href;
    } catch {
      throw new IceleakError('E_USAGE', 'audit/server', `--server ${JSON.stringify(serverUrl)} is not a URL`);
    }
  } else {
    service = await startService({
      host: embeddedAddress,
      port: 0,
      stunListen: [{ address: embeddedAddress, port: 0 }],
      store: false,
      logLevel: 'warn',
    });
    url = service.url;
  }
  let agent: BrowserAgent;
  try {
    agent = await startBrowserAgent({ netns: null });
  } catch (error) {
    await service?.close();
    throw error;
  }
  return {
    async close() {
      await agent.close().catch(() => {});
      await service?.close();
    },
    run: (cell: AuditCell): Promise<AuditCellResult> =>
      visitCell(cell, {
        agent,
        profiles,
        url,
        proxy: null,
        leaks: (_result, findings) => leaksFromFindings(findings),
      }),
  };
}
