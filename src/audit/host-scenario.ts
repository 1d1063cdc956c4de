import { type BrowserAgent, startBrowserAgent } from '../browser/agent-client.js';
import type { DefenceProfile } from '../browser/profiles.js';
import { IceleakError } from '../core/errors.js';
import { type RunningService, startService } from '../service/index.js';
import type { AuditCell, AuditCellResult } from './cell.js';
import { leaksFromFindings } from './results.js';
import type { ScenarioRunner } from './runner.js';
import { visitCell } from './visit-cell.js';

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
    } catch (error) {
      throw new IceleakError(
        'E_USAGE',
        'audit/server',
        `--server ${JSON.stringify(serverUrl)} is not a URL`,
        {},
        {
          cause: error,
        },
      );
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
