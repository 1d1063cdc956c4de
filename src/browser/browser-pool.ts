import type { BrowserContext, Page } from 'puppeteer-core';
import { type BrowserJob, type BrowserJobResult, DEFAULT_JOB_TIMEOUT_MS } from './agent-protocol.js';
import { LAUNCH_TIMEOUT_MS, type LaunchedBrowser, type LaunchOptions, launchBrowser } from './launch.js';
import { chromiumArgsFor, profilePageUrl } from './profiles.js';

interface PoolEntry {
  readonly key: string;
  readonly launched: Promise<LaunchedBrowser>;
  readonly reusable: boolean;
  active: number;
  lastUsed: number;
  dead: boolean;
}

/** The launch options a job needs; jobs whose options are equal may share a browser process. */
export function launchOptionsFor(job: BrowserJob, url: string): LaunchOptions {
  const { profile } = job;
  if (profile.browser === 'chromium') {
    return {
      browser: 'chromium',
      args: chromiumArgsFor(profile, url),
      proxy: job.proxy ?? null,
      enableExtensions: (profile.extensions?.length ?? 0) > 0,
    };
  }
  return { browser: 'firefox', prefs: { ...profile.prefs }, proxy: job.proxy ?? null };
}

class JobTimeout extends Error {}

/** Chromium's error for a request aborted because the machine's addresses or links changed. */
const TRANSIENT_NAVIGATION_ERROR = 'net::ERR_NETWORK_CHANGED';

/** True for a navigation error worth one retry (see TRANSIENT_NAVIGATION_ERROR). */
export function isTransientNavigationError(error: unknown): boolean {
  return error instanceof Error && error.message.includes(TRANSIENT_NAVIGATION_ERROR);
}

/**
 * Runs page jobs on Debian's browsers, reusing one process per distinct launch configuration
 * (browser + flags/prefs + proxy) and giving every job a fresh browser context (own cookies,
 * storage, cache and permissions). Flags and prefs are process-wide, so sharing a process
 * between jobs with the same ones is equivalent to a fresh profile for what a page can see.
 * Not reused: profiles with extensions (Chromium does not run extensions in non-default
 * contexts) and jobs that ask for `freshProcess` (process-wide state under test, e.g. mDNS
 * name stability); a browser whose job timed out is closed, never reused.
 */
export class BrowserPool {
  readonly #entries = new Set<PoolEntry>();
  #closed = false;

  constructor(
    /** Told about every browser process started and stopped (the agent reports them to the host). */
    private readonly onBrowser: (pid: number, started: boolean, dir: string) => void = () => {},
    /** Idle processes kept for reuse. */
    private readonly maxIdle = 2,
  ) {}

  /** Runs one job; never throws (failures come back as `ok: false`). */
  async run(job: BrowserJob): Promise<BrowserJobResult> {
    const started = performance.now();
    const consoleLines: string[] = [];
    const state = { stage: 'starting the browser', finalUrl: '', version: '' };
    const timeoutMs = job.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
    let entry: PoolEntry | undefined;
    let context: BrowserContext | undefined;
    let timer: NodeJS.Timeout | undefined;
    const result = (ok: boolean, value: unknown, error?: string): BrowserJobResult => ({
      ok,
      finalUrl: state.finalUrl,
      value,
      durationMs: Math.round(performance.now() - started),
      browserVersion: state.version,
      ...(error === undefined ? {} : { error }),
      console: consoleLines,
    });
    let jobStarted = started;
    let rejectTimeout: (error: Error) => void = () => {};
    const timeout = new Promise<never>((_, reject) => {
      rejectTimeout = reject;
    });
    timeout.catch(() => {}); // raced below; never left unhandled when work() fails first
    const armDeadline = () => {
      timer = setTimeout(() => rejectTimeout(new JobTimeout()), timeoutMs);
    };
    const work = async (): Promise<unknown> => {
      if (this.#closed) throw new Error('browser agent is closing');
      const url = profilePageUrl(job.profile, job.url);
      entry = this.#acquire(job, url);
      const launched = await entry.launched;
      // The deadline counts from here: a slow start is bounded by LAUNCH_TIMEOUT_MS alone.
      jobStarted = performance.now();
      armDeadline();
      state.version = launched.version;
      state.stage = 'opening a context';
      context = entry.reusable
        ? await launched.browser.createBrowserContext()
        : launched.browser.defaultBrowserContext();
      const page: Page = await context.newPage();
      page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
      page.on('pageerror', (err) =>
        consoleLines.push(`pageerror: ${err instanceof Error ? err.message : String(err)}`),
      );
      state.stage = `loading ${url}`;
      const remaining = () => Math.max(1, timeoutMs - (performance.now() - jobStarted));
      try {
        await page.goto(url, { waitUntil: 'load', timeout: remaining() });
      } catch (error) {
        // A network change under a navigation (an address or link appearing) is transient:
        // the same navigation a moment later is a fair test. Anything else fails the job.
        if (!isTransientNavigationError(error)) throw error;
        consoleLines.push(`iceleak: navigation retried once after ${TRANSIENT_NAVIGATION_ERROR}`);
        await page.goto(url, { waitUntil: 'load', timeout: remaining() });
      }
      state.finalUrl = page.url();
      if (job.waitFor && 'selector' in job.waitFor) {
        state.stage = `waiting for ${job.waitFor.selector}`;
        await page.waitForSelector(job.waitFor.selector, { timeout: remaining() });
      } else if (job.waitFor) {
        state.stage = `waiting for ${job.waitFor.expression}`;
        await page.waitForFunction(job.waitFor.expression, { timeout: remaining(), polling: 50 });
      }
      state.stage = 'evaluating';
      const value = job.evaluate === undefined ? null : await page.evaluate(job.evaluate);
      state.finalUrl = page.url();
      return value;
    };
    try {
      const value = await Promise.race([work(), timeout]);
      return result(true, value ?? null);
    } catch (error) {
      if (error instanceof JobTimeout) {
        // Whatever was pending may still complete later: this process is not trusted again.
        if (entry) this.#kill(entry);
        return result(false, null, `timed out after ${timeoutMs} ms while ${state.stage}`);
      }
      if (error instanceof Error && error.name === 'TimeoutError' && state.stage === 'starting the browser') {
        return result(false, null, `the browser did not start within ${LAUNCH_TIMEOUT_MS} ms`);
      }
      // puppeteer's own timeouts (goto, waitFor…) share the job's deadline: same message.
      if (error instanceof Error && error.name === 'TimeoutError') {
        return result(false, null, `timed out after ${timeoutMs} ms while ${state.stage}`);
      }
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return result(false, null, `${state.stage}: ${message}`);
    } finally {
      clearTimeout(timer);
      if (entry) await this.#release(entry, context);
    }
  }

  /** Closes every browser and removes every profile directory. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#entries].map((entry) => this.#dispose(entry)));
  }

  #acquire(job: BrowserJob, url: string): PoolEntry {
    const options = launchOptionsFor(job, url);
    const reusable = !job.freshProcess && !(job.profile.extensions?.length ?? 0);
    const key = JSON.stringify(options);
    if (reusable) {
      for (const entry of this.#entries) {
        if (entry.reusable && !entry.dead && entry.key === key) {
          entry.active++;
          return entry;
        }
      }
    }
    const launched = launchBrowser(options).then((browser) => {
      const pid = browser.browser.process()?.pid;
      if (pid !== undefined) {
        this.onBrowser(pid, true, browser.dir);
        browser.browser.once('disconnected', () => {
          entry.dead = true;
          this.onBrowser(pid, false, browser.dir);
        });
      }
      return browser;
    });
    const entry: PoolEntry = { key, launched, reusable, active: 1, lastUsed: Date.now(), dead: false };
    // A failed start is reported by run(); the entry must not be reused.
    launched.catch(() => {
      entry.dead = true;
      this.#entries.delete(entry);
    });
    this.#entries.add(entry);
    return entry;
  }

  async #release(entry: PoolEntry, context: BrowserContext | undefined): Promise<void> {
    entry.active--;
    entry.lastUsed = Date.now();
    if (!entry.reusable || entry.dead || this.#closed) {
      if (entry.active === 0) await this.#dispose(entry);
      return;
    }
    try {
      await context?.close();
    } catch {
      this.#kill(entry);
      return;
    }
    const idle = [...this.#entries]
      .filter((e) => e.active === 0 && !e.dead)
      .sort((a, b) => b.lastUsed - a.lastUsed);
    await Promise.all(idle.slice(this.maxIdle).map((e) => this.#dispose(e)));
  }

  #kill(entry: PoolEntry): void {
    entry.dead = true;
    void this.#dispose(entry);
  }

  async #dispose(entry: PoolEntry): Promise<void> {
    entry.dead = true;
    this.#entries.delete(entry);
    let launched: LaunchedBrowser;
    try {
      launched = await entry.launched;
    } catch {
      return; // a browser that never started has nothing to close
    }
    const pid = launched.browser.process()?.pid;
    // A wedged browser must not keep the agent alive: kill its process group after 5 s.
    const killer = setTimeout(() => killGroup(pid), 5000);
    try {
      await launched.close();
    } catch {
      killGroup(pid);
    } finally {
      clearTimeout(killer);
    }
  }
}

/** SIGKILL a process group (puppeteer starts browsers detached, as group leaders). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
