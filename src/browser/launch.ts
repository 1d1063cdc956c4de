import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { IceleakError } from '../core/errors.js';
import {
  type BrowserName,
  CHROMIUM_BASE_ARGS,
  FIREFOX_BASE_PREFS,
  findBrowserExecutable,
} from './executables.js';

/** A proxy the browser sends its HTTP(S) traffic through. */
/**
 * How long a browser may take to start. Far above a quiet machine's 1-3 s: Firefox took
 * 20-30 s to start on this project's 2-vCPU machine under load, which says nothing about
 * the page under test, so a job's own deadline starts only once its browser runs.
 */
export const LAUNCH_TIMEOUT_MS = 90_000;

export interface BrowserProxy {
  readonly kind: 'http' | 'socks5';
  /** e.g. `http://198.51.100.7:8888` or `socks5://198.51.100.7:1080`. */
  readonly url: string;
}

export interface LaunchOptions {
  readonly browser: BrowserName;
  /** Extra command-line flags (Chromium) on top of CHROMIUM_BASE_ARGS. */
  readonly args?: readonly string[];
  /** Extra prefs (Firefox) on top of FIREFOX_BASE_PREFS. */
  readonly prefs?: Readonly<Record<string, string | number | boolean>>;
  readonly proxy?: BrowserProxy | null;
  /**
   * Run Chromium inside this network namespace (`ip netns exec`). DevTools goes over a
   * pipe, so the controlling process may stay outside. Firefox talks WebDriver BiDi over a
   * loopback WebSocket, which a process outside the namespace cannot reach: run the
   * controller inside instead (see the browser agent).
   */
  readonly netns?: string | null;
  readonly headless?: boolean;
  /** Chromium: leave extensions on (puppeteer adds `--disable-extensions` otherwise); pass `--load-extension` in args. */
  readonly enableExtensions?: boolean;
}

/** A running browser with its own fresh profile directory, removed by `close()`. */
export interface LaunchedBrowser {
  readonly browser: Browser;
  readonly name: BrowserName;
  readonly version: string;
  /** The temp directory holding the profile (removed by `close()`). */
  readonly dir: string;
  close(): Promise<void>;
}

/** Firefox's manual proxy prefs for a browser proxy (type 1 = manual configuration). */
function firefoxProxyPrefs(proxy: BrowserProxy): Record<string, string | number | boolean> {
  const url = new URL(proxy.url);
  const port = Number(url.port);
  if (proxy.kind === 'http') {
    return {
      'network.proxy.type': 1,
      'network.proxy.http': url.hostname,
      'network.proxy.http_port': port,
      'network.proxy.ssl': url.hostname,
      'network.proxy.ssl_port': port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
    };
  }
  return {
    'network.proxy.type': 1,
    'network.proxy.socks': url.hostname,
    'network.proxy.socks_port': port,
    'network.proxy.socks_version': 5,
    'network.proxy.socks_remote_dns': true,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
  };
}

/**
 * Starts Debian's Chromium or Firefox ESR with a fresh profile, background networking off,
 * and the given flags/prefs/proxy. The caller owns `close()`.
 */
export async function launchBrowser(options: LaunchOptions): Promise<LaunchedBrowser> {
  const executable = findBrowserExecutable(options.browser);
  const dir = await mkdtemp(join(tmpdir(), `iceleak-${options.browser}-`));
  const cleanupDir = () => rm(dir, { recursive: true, force: true, maxRetries: 3 });
  try {
    let browser: Browser;
    if (options.browser === 'chromium') {
      let executablePath = executable;
      if (options.netns) {
        // A wrapper keeps puppeteer's pipe file descriptors: `ip netns exec` execs in place.
        executablePath = join(dir, 'chromium-in-netns.sh');
        await writeFile(
          executablePath,
          `#!/bin/sh\nexec ip netns exec '${options.netns}' '${executable}' "$@"\n`,
        );
        await chmod(executablePath, 0o755);
      }
      const args = [...CHROMIUM_BASE_ARGS, ...(options.args ?? [])];
      if (options.proxy) {
        args.push(`--proxy-server=${options.proxy.url}`, '--proxy-bypass-list=<-loopback>');
      }
      browser = await puppeteer.launch({
        browser: 'chrome',
        executablePath,
        headless: options.headless ?? true,
        pipe: true,
        userDataDir: join(dir, 'profile'),
        args,
        enableExtensions: options.enableExtensions ?? false,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: LAUNCH_TIMEOUT_MS,
      });
    } else {
      if (options.netns) {
        throw new IceleakError(
          'E_BROWSER_NETNS',
          'browser/launch',
          'Firefox cannot be driven across a network namespace; run the controller inside it (browser agent)',
        );
      }
      const prefs = {
        ...FIREFOX_BASE_PREFS,
        ...(options.proxy ? firefoxProxyPrefs(options.proxy) : {}),
        ...options.prefs,
      };
      browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: executable,
        headless: options.headless ?? true,
        userDataDir: join(dir, 'profile'),
        extraPrefsFirefox: prefs,
        timeout: LAUNCH_TIMEOUT_MS,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    }
    const version = await browser.version();
    let closed = false;
    return {
      browser,
      name: options.browser,
      version,
      dir,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await browser.close();
        } catch {
          browser.process()?.kill('SIGKILL');
        }
        await cleanupDir();
      },
    };
  } catch (error) {
    await cleanupDir();
    if (error instanceof IceleakError) throw error;
    throw new IceleakError(
      'E_BROWSER_LAUNCH',
      `browser/${options.browser}`,
      `could not start ${executable}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      {},
      { cause: error },
    );
  }
}
