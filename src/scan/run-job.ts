import type { Browser } from 'puppeteer-core';
import { isIceleakError } from '../core/errors.js';
import { classifyCapture } from './classify-capture.js';
import { scanPage } from './page-scan.js';
import type { ScanJob, SiteResult } from './site-result.js';

const MAX_CALLS_KEPT = 500;

/** Runs one job on a running browser: one URL in, one {@link SiteResult} out, never throws. */
export async function runScanJob(browser: Browser, job: ScanJob, attempts = 1): Promise<SiteResult> {
  const startedAt = Date.now();
  try {
    const capture = await scanPage(browser, job);
    const scripts = classifyCapture(capture);
    return {
      url: job.url,
      status: 'ok',
      error: null,
      attempts,
      startedAt,
      finishedAt: Date.now(),
      finalUrl: capture.finalUrl,
      scripts,
      harvesting: scripts.some((s) => s.harvesting),
      // Bounded so a result stays small on real sites; the evidence keeps what matters.
      calls: capture.calls.slice(0, MAX_CALLS_KEPT),
      requests: capture.requests.map(({ time, url, method, resourceType, initiator, postData }) => ({
        time,
        url: url.length > 2048 ? url.slice(0, 2048) : url,
        method,
        resourceType,
        initiator,
        postBytes: postData?.length ?? 0,
      })),
    };
  } catch (error) {
    return {
      url: job.url,
      status: 'error',
      error: {
        code: isIceleakError(error) ? error.code : 'E_SCAN_PAGE',
        message: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
      },
      attempts,
      startedAt,
      finishedAt: Date.now(),
      finalUrl: null,
      scripts: [],
      harvesting: false,
      calls: [],
      requests: [],
    };
  }
}
