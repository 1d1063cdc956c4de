import { availableParallelism } from 'node:os';
import { type LaunchedBrowser, launchBrowser } from '../browser/launch.js';
import { isIceleakError } from '../core/errors.js';
import { runScanJob } from './run-job.js';
import type { ScanJob, SiteResult } from './site-result.js';

/** How a scan runs. */
export interface ScanOptions {
  /** Pages open at once in the one browser. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly dwellMs: number;
  /** Extra attempts for a page that failed (navigation error, browser crash). */
  readonly retries: number;
  /** Run the browser inside this existing network namespace. */
  readonly netns?: string | null;
  /** Extra Chromium flags. */
  readonly browserArgs?: readonly string[];
  /** Called once per URL with its final result, in completion order. */
  readonly onResult?: (result: SiteResult) => void | Promise<void>;
  /** Called when the browser died and was closed, before the next page relaunches it. */
  readonly onBrowserRestart?: (url: string) => void;
  /** Stops taking new URLs (pages in flight finish). */
  readonly signal?: AbortSignal;
}

function launchFailure(url: string, attempts: number, error: unknown): SiteResult {
  const now = Date.now();
  return {
    url,
    status: 'error',
    error: {
      code: isIceleakError(error) ? error.code : 'E_BROWSER_LAUNCH',
      message: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    },
    attempts,
    startedAt: now,
    finishedAt: now,
    finalUrl: null,
    scripts: [],
    harvesting: false,
    calls: [],
    requests: [],
  };
}

/** Default concurrency: one page per core, at least one, at most 8 (one shared browser). */
export function defaultConcurrency(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Scans `urls` with one headless Chromium and `concurrency` pages in flight; restarts the
 * browser when it crashes and retries the page. Returns results in input order.
 */
export async function runScan(urls: readonly string[], options: ScanOptions): Promise<SiteResult[]> {
  let launched: Promise<LaunchedBrowser> | null = null;
  const open = (): Promise<LaunchedBrowser> => {
    launched ??= launchBrowser({
      browser: 'chromium',
      netns: options.netns ?? null,
      args: options.browserArgs ?? [],
    });
    return launched;
  };
  // One restart for everyone: the first page that sees the crash replaces the browser.
  const restart = async (dead: LaunchedBrowser, url: string) => {
    const current = launched ? await launched.catch(() => null) : null;
    if (current === dead) {
      launched = null;
      options.onBrowserRestart?.(url);
      await dead.close().catch(() => {});
    }
  };
  let everLaunched = false;
  const results: SiteResult[] = new Array(urls.length);
  let next = 0;
  const worker = async () => {
    while (next < urls.length && !options.signal?.aborted) {
      const index = next++;
      const job: ScanJob = { url: urls[index]!, timeoutMs: options.timeoutMs, dwellMs: options.dwellMs };
      let result: SiteResult | null = null;
      for (let attempt = 1; attempt <= options.retries + 1; attempt++) {
        let browser: LaunchedBrowser;
        const pending = open();
        try {
          browser = await pending;
          everLaunched = true;
        } catch (error) {
          // No browser at all is an environment error for the whole run; a relaunch that
          // fails (e.g. killed while starting) costs this page an attempt.
          if (!everLaunched) throw error;
          // Only forget the launch that failed, never one another page has started since.
          if (launched === pending) launched = null;
          result = launchFailure(job.url, attempt, error);
          continue;
        }
        result = await runScanJob(browser.browser, job, attempt);
        if (!browser.browser.connected) await restart(browser, job.url);
        if (result.status === 'ok') break;
      }
      results[index] = result!;
      await options.onResult?.(result!);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(options.concurrency, urls.length)) }, worker),
    );
  } finally {
    const current = launched as Promise<LaunchedBrowser> | null;
    if (current) await (await current.catch(() => null))?.close();
  }
  return results.filter((r) => r !== undefined);
}
