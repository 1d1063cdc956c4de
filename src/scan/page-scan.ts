import { randomBytes } from 'node:crypto';
import type { Browser, HTTPRequest, Protocol } from 'puppeteer-core';
import { IceleakError } from '../core/errors.js';
import { attributeStack } from './attribution.js';
import { bindingRouter } from './binding.js';
import type { ApiCall, PageCapture, RequestRecord } from './capture.js';
import { instrumentSource } from './instrument-source.js';
import type { ScanJob } from './site-result.js';

interface RawCall {
  seq: number;
  ctx: string;
  time: number;
  api: string;
  pc: string | null;
  detail: Record<string, unknown>;
  stack: string;
  realm: string;
}

// Guard what the page sends us: it is untrusted and may try to flood the scanner.
const MAX_CALLS = 5000;
const MAX_REQUESTS = 2000;
const MAX_POST = 64 * 1024;

function toCall(json: unknown): ApiCall | null {
  if (typeof json !== 'string' || json.length > 100_000) return null;
  let raw: RawCall;
  try {
    raw = JSON.parse(json) as RawCall;
  } catch {
    return null;
  }
  if (typeof raw.api !== 'string' || typeof raw.stack !== 'string') return null;
  return {
    seq: Number(raw.seq) || 0,
    ctx: String(raw.ctx),
    time: Number(raw.time) || 0,
    api: raw.api,
    pc: typeof raw.pc === 'string' ? raw.pc : null,
    detail: raw.detail && typeof raw.detail === 'object' ? raw.detail : {},
    script: attributeStack(raw.stack),
    realm: String(raw.realm),
  };
}

function initiatorScript(initiator: Protocol.Network.Initiator | undefined): string | null {
  if (!initiator) return null;
  const frames = initiator.stack?.callFrames ?? [];
  for (const f of frames) if (f.url) return f.url;
  // Walk async parents too: fetch() in a promise chain has its script in the parent stack.
  let parent = initiator.stack?.parent;
  while (parent) {
    for (const f of parent.callFrames) if (f.url) return f.url;
    parent = parent.parent;
  }
  return initiator.type === 'script' ? (initiator.url ?? null) : null;
}

function toRequest(req: HTTPRequest): RequestRecord {
  const post = req.postData();
  return {
    time: Date.now(),
    url: req.url(),
    method: req.method(),
    resourceType: req.resourceType(),
    headers: req.headers(),
    postData: post === undefined ? null : post.slice(0, MAX_POST),
    frameUrl: req.frame()?.url() ?? null,
    initiator: initiatorScript(req.initiator()),
  };
}

/**
 * Opens `job.url` in a fresh browser context with the WebRTC instrumentation installed in
 * every frame before page scripts run, waits for `load` plus the dwell time, and returns
 * every attributed API call and outgoing request. Throws IceleakError E_SCAN_NAVIGATION
 * when the page does not load.
 */
export async function scanPage(browser: Browser, job: ScanJob): Promise<PageCapture> {
  const router = await bindingRouter(browser);
  const token = randomBytes(12).toString('base64url');
  const calls: ApiCall[] = [];
  const unsubscribe = router.subscribe(token, (json) => {
    if (calls.length >= MAX_CALLS) return;
    const call = toCall(json);
    if (call) calls.push(call);
  });
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const requests: RequestRecord[] = [];
    await page.evaluateOnNewDocument(instrumentSource(token));
    page.on('request', (req) => {
      if (requests.length < MAX_REQUESTS) requests.push(toRequest(req));
    });
    page.setDefaultNavigationTimeout(job.timeoutMs);
    try {
      await page.goto(job.url, { waitUntil: 'load', timeout: job.timeoutMs });
    } catch (error) {
      throw new IceleakError(
        'E_SCAN_NAVIGATION',
        'scan/page',
        `${job.url}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        {},
        { cause: error },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, job.dwellMs));
    const finalUrl = page.url();
    // Order across realms by page clock, then by each realm's own sequence.
    calls.sort((a, b) => a.time - b.time || (a.ctx === b.ctx ? a.seq - b.seq : 0));
    return { finalUrl, calls: [...calls], requests: [...requests] };
  } finally {
    unsubscribe();
    await context.close().catch(() => {});
  }
}
