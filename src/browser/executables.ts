import { existsSync } from 'node:fs';
import { IceleakError } from '../core/errors.js';

/** The browser families iceleak drives: Debian's `chromium` and `firefox-esr`. */
export type BrowserName = 'chromium' | 'firefox';

const CANDIDATES: Record<BrowserName, readonly string[]> = {
  chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
};

const DEBIAN_PACKAGE: Record<BrowserName, string> = { chromium: 'chromium', firefox: 'firefox-esr' };

/**
 * Flags every Chromium start needs here: without them Chromium calls home at every start
 * (background networking, component updates, sync), which these machines must never do.
 */
export const CHROMIUM_BASE_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--metrics-recording-only',
];

/**
 * Firefox prefs that keep a test profile quiet on the network (no updates, telemetry,
 * captive-portal or connectivity checks, safe-browsing downloads).
 */
export const FIREFOX_BASE_PREFS: Readonly<Record<string, string | number | boolean>> = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'browser.region.update.enabled': false,
  'browser.search.geoip.url': '',
  'media.gmp-manager.url': '',
  'media.gmp-gmpopenh264.enabled': false,
};

/** Path of the installed browser, or an IceleakError that says exactly what to install. */
export function findBrowserExecutable(browser: BrowserName): string {
  const override = process.env[browser === 'chromium' ? 'ICELEAK_CHROMIUM' : 'ICELEAK_FIREFOX'];
  if (override) {
    if (existsSync(override)) return override;
    throw new IceleakError(
      'E_BROWSER_MISSING',
      `browser/${browser}`,
      `${override} (from the environment) does not exist`,
    );
  }
  const found = CANDIDATES[browser].find((path) => existsSync(path));
  if (found) return found;
  throw new IceleakError(
    'E_BROWSER_MISSING',
    `browser/${browser}`,
    `${browser} is not installed; run as root: apt-get install -y ${DEBIAN_PACKAGE[browser]}`,
  );
}
