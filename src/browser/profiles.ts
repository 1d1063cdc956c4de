import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { IceleakError } from '../core/errors.js';
import type { BrowserName } from './executables.js';

/** A Firefox pref value as `extraPrefsFirefox` takes it. */
export type PrefValue = string | number | boolean;

/**
 * One browser configuration a site might meet: the flags (Chromium) or prefs (Firefox) that
 * a user or vendor sets to defend against the WebRTC address leak.
 */
export interface DefenceProfile {
  /** `<browser>/<name>`, e.g. `chromium/default`; unique across the table. */
  readonly id: string;
  readonly browser: BrowserName;
  readonly name: string;
  readonly description: string;
  /** Chromium command-line flags, on top of CHROMIUM_BASE_ARGS. */
  readonly args?: readonly string[];
  /** Firefox prefs, on top of FIREFOX_BASE_PREFS. */
  readonly prefs?: Readonly<Record<string, PrefValue>>;
  /**
   * Camera/microphone granted (fake devices): the page must call getUserMedia (the probe
   * does when the URL has `?media=1`; the agent adds it) and the origin must count as secure.
   */
  readonly mediaPermission: boolean;
  /** Unpacked Chromium extension directories, loaded with `--load-extension` (user profiles only). */
  readonly extensions?: readonly string[];
  /** What it should do, in a few words (from domain.md §3); documentation, not an assertion. */
  readonly expectation?: string;
}

const POLICY = '--webrtc-ip-handling-policy';

/**
 * Tor Browser's WebRTC prefs as shipped, from tor-browser's `browser/app/profile/001-base-profile.js`
 * (ESR 128 based): WebRTC off (`media.peerconnection.enabled=false`), plus the defence-in-depth
 * prefs for a user who switches it back on — mDNS host names (tor-browser#41667), TURN only
 * (tor-browser#41671), default address only, no host candidates and proxy only behind a proxy
 * (tor-browser#42029). Mullvad Browser ships the same set with WebRTC on.
 */
const TOR_BROWSER_WEBRTC_PREFS: Readonly<Record<string, PrefValue>> = {
  'media.peerconnection.enabled': false,
  'media.peerconnection.ice.obfuscate_host_addresses': true,
  'media.peerconnection.ice.relay_only': true,
  'media.peerconnection.ice.default_address_only': true,
  'media.peerconnection.ice.no_host': true,
  'media.peerconnection.ice.proxy_only_if_behind_proxy': true,
};

/** The built-in defence profiles (README.md, `iceleak audit`): every row is launched by the audit. */
export const DEFENCE_PROFILES: readonly DefenceProfile[] = [
  {
    id: 'chromium/default',
    browser: 'chromium',
    name: 'default',
    description: 'Stock Chromium: default-route interface, mDNS host names, srflx sent directly',
    mediaPermission: false,
    expectation: 'host as <uuid>.local; srflx leaks the public address behind a proxy',
  },
  {
    id: 'chromium/default_public_and_private_interfaces',
    browser: 'chromium',
    name: 'default_public_and_private_interfaces',
    description: `${POLICY}=default_public_and_private_interfaces`,
    args: [`${POLICY}=default_public_and_private_interfaces`],
    mediaPermission: false,
    expectation: 'default route only, raw private host address; srflx direct',
  },
  {
    id: 'chromium/default_public_interface_only',
    browser: 'chromium',
    name: 'default_public_interface_only',
    description: `${POLICY}=default_public_interface_only`,
    args: [`${POLICY}=default_public_interface_only`],
    mediaPermission: false,
    expectation: 'no host candidates, but srflx and ICE checks still leave directly (public address leaks)',
  },
  {
    id: 'chromium/disable_non_proxied_udp',
    browser: 'chromium',
    name: 'disable_non_proxied_udp',
    description: `${POLICY}=disable_non_proxied_udp`,
    args: [`${POLICY}=disable_non_proxied_udp`],
    mediaPermission: false,
    expectation: 'no UDP at all; nothing leaks without a TURN-over-TCP server',
  },
  {
    id: 'chromium/mdns-off',
    browser: 'chromium',
    name: 'mdns-off',
    description: 'mDNS obfuscation of host candidates switched off',
    args: ['--disable-features=WebRtcHideLocalIpsWithMdns'],
    mediaPermission: false,
    expectation: 'raw private address in host candidates and in srflx raddr',
  },
  {
    id: 'chromium/media-permission',
    browser: 'chromium',
    name: 'media-permission',
    description: 'Camera/microphone granted (fake devices): what a site with that permission sees',
    // The lab serves plain http on a non-local address, where navigator.mediaDevices does not
    // exist; the agent adds --unsafely-treat-insecure-origin-as-secure=<page origin> per job.
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    mediaPermission: true,
    expectation: 'all interfaces, raw host addresses',
  },
  {
    id: 'firefox/default',
    browser: 'firefox',
    name: 'default',
    description: 'Stock Firefox ESR: default address, mDNS host names, srflx sent directly',
    mediaPermission: false,
    expectation: 'host as <uuid>.local (+ TCP active host); srflx leaks the public address behind a proxy',
  },
  {
    id: 'firefox/default_address_only',
    browser: 'firefox',
    name: 'default_address_only',
    description: 'media.peerconnection.ice.default_address_only + no_host',
    prefs: {
      'media.peerconnection.ice.default_address_only': true,
      'media.peerconnection.ice.no_host': true,
    },
    mediaPermission: false,
    expectation: 'no host candidates; srflx still direct',
  },
  {
    id: 'firefox/proxy_only_if_behind_proxy',
    browser: 'firefox',
    name: 'proxy_only_if_behind_proxy',
    description:
      'media.peerconnection.ice.proxy_only_if_behind_proxy (acts only when the document came through a proxy)',
    prefs: { 'media.peerconnection.ice.proxy_only_if_behind_proxy': true },
    mediaPermission: false,
    expectation: 'behind a proxy: no UDP, TCP through the proxy only; without a proxy: like default',
  },
  {
    id: 'firefox/proxy_only',
    browser: 'firefox',
    name: 'proxy_only',
    description: 'media.peerconnection.ice.proxy_only',
    prefs: { 'media.peerconnection.ice.proxy_only': true },
    mediaPermission: false,
    expectation: 'no UDP; TCP through the proxy only',
  },
  {
    id: 'firefox/relay_only',
    browser: 'firefox',
    name: 'relay_only',
    description: 'media.peerconnection.ice.relay_only (invisible in getConfiguration())',
    prefs: { 'media.peerconnection.ice.relay_only': true },
    mediaPermission: false,
    expectation: 'relay candidates only; without a TURN server nothing is gathered',
  },
  {
    id: 'firefox/webrtc-disabled',
    browser: 'firefox',
    name: 'webrtc-disabled',
    description: 'media.peerconnection.enabled=false: RTCPeerConnection does not exist',
    prefs: { 'media.peerconnection.enabled': false },
    mediaPermission: false,
    expectation: 'no RTCPeerConnection; nothing leaks',
  },
  {
    id: 'firefox/tor-like',
    browser: 'firefox',
    name: 'tor-like',
    description:
      "Tor Browser's WebRTC prefs (WebRTC off; relay only, no host, default address, proxy only behind a proxy)",
    prefs: TOR_BROWSER_WEBRTC_PREFS,
    mediaPermission: false,
    expectation: 'no RTCPeerConnection; nothing leaks',
  },
  {
    id: 'firefox/media-permission',
    browser: 'firefox',
    name: 'media-permission',
    description: 'Camera/microphone granted (fake devices, no prompt): what a site with that permission sees',
    prefs: {
      'media.navigator.permission.disabled': true,
      'media.navigator.streams.fake': true,
      // getUserMedia on plain http to a non-local address: both are needed since Firefox 68
      // (navigator.mediaDevices itself, then the gUM call).
      'media.devices.insecure.enabled': true,
      'media.getusermedia.insecure.enabled': true,
    },
    mediaPermission: true,
    // Measured here (Firefox 153, fake streams, no prompt): capture adds the other interfaces'
    // host candidates, but they stay mDNS-obfuscated.
    expectation: 'host candidates of every interface while capturing (still <uuid>.local); srflx direct',
  },
];

/** The built-in profile with this id, or an IceleakError listing the known ids. */
export function getDefenceProfile(
  id: string,
  profiles: readonly DefenceProfile[] = DEFENCE_PROFILES,
): DefenceProfile {
  const found = profiles.find((profile) => profile.id === id);
  if (found) return found;
  throw new IceleakError(
    'E_PROFILE_UNKNOWN',
    'browser/profiles',
    `unknown profile ${JSON.stringify(id)}; known: ${profiles.map((p) => p.id).join(', ')}`,
  );
}

const prefValue = z.union([z.string(), z.number(), z.boolean()]);

const userProfileSchema = z
  .object({
    browser: z.enum(['chromium', 'firefox']),
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    description: z.string().default(''),
    args: z
      .array(z.string().startsWith('--'))
      .refine((args) => !args.some((a) => a.startsWith('--force-webrtc-ip-handling-policy')), {
        message: 'Chromium ignores --force-webrtc-ip-handling-policy; use --webrtc-ip-handling-policy',
      })
      .optional(),
    prefs: z.record(z.string().min(1), prefValue).optional(),
    extensions: z.array(z.string().min(1)).optional(),
    mediaPermission: z.boolean().default(false),
    expectation: z.string().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.browser === 'chromium' && p.prefs)
      ctx.addIssue({
        code: 'custom',
        path: ['prefs'],
        message: 'prefs apply to Firefox; use args for Chromium',
      });
    if (p.browser === 'firefox' && (p.args || p.extensions))
      ctx.addIssue({
        code: 'custom',
        path: ['args'],
        message: 'args/extensions apply to Chromium; use prefs for Firefox',
      });
  });

const profileFileSchema = z.object({ profiles: z.array(userProfileSchema).min(1) }).strict();

/**
 * Parses a user's profile config (`{"profiles": [{browser, name, args?|prefs?, extensions?, …}]}`)
 * into DefenceProfiles with ids `<browser>/<name>`; extension paths resolve against `baseDir`.
 */
export function parseProfiles(json: unknown, source = 'profiles', baseDir = process.cwd()): DefenceProfile[] {
  const parsed = profileFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new IceleakError(
      'E_PROFILE_FILE',
      'browser/profiles',
      `${source}: ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const out: DefenceProfile[] = [];
  const seen = new Set<string>();
  for (const p of parsed.data.profiles) {
    const id = `${p.browser}/${p.name}`;
    if (seen.has(id))
      throw new IceleakError('E_PROFILE_FILE', 'browser/profiles', `${source}: duplicate profile ${id}`);
    seen.add(id);
    const extensions = p.extensions?.map((dir) => resolve(baseDir, dir));
    out.push({
      id,
      browser: p.browser,
      name: p.name,
      description: p.description || `user profile from ${source}`,
      ...(p.args ? { args: p.args } : {}),
      ...(p.prefs ? { prefs: p.prefs } : {}),
      ...(extensions ? { extensions } : {}),
      mediaPermission: p.mediaPermission,
      ...(p.expectation ? { expectation: p.expectation } : {}),
    });
  }
  return out;
}

/** Reads and validates a user profile file (see `parseProfiles`); one clear error on a bad file. */
export async function loadProfiles(file: string): Promise<DefenceProfile[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new IceleakError(
      'E_PROFILE_FILE',
      'browser/profiles',
      `${file}: cannot read (${(error as Error).message})`,
      {},
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IceleakError(
      'E_PROFILE_FILE',
      'browser/profiles',
      `${file}: not JSON (${(error as Error).message})`,
      {},
      { cause: error },
    );
  }
  return parseProfiles(json, file, dirname(resolve(file)));
}

/**
 * The Chromium flags a profile adds for one page: its args, its extensions, and for
 * media-permission the page's origin treated as secure (getUserMedia needs a secure context).
 */
export function chromiumArgsFor(profile: DefenceProfile, pageUrl: string): string[] {
  const args = [...(profile.args ?? [])];
  if (profile.extensions?.length) {
    const list = profile.extensions.join(',');
    args.push(`--disable-extensions-except=${list}`, `--load-extension=${list}`);
  }
  if (profile.mediaPermission) {
    const origin = new URL(pageUrl).origin;
    if (origin !== 'null') args.push(`--unsafely-treat-insecure-origin-as-secure=${origin}`);
  }
  return args;
}

/** The page URL for a profile: `media=1` added for media-permission profiles (the probe then calls getUserMedia). */
export function profilePageUrl(profile: DefenceProfile, pageUrl: string): string {
  if (!profile.mediaPermission) return pageUrl;
  const url = new URL(pageUrl);
  if (!url.protocol.startsWith('http')) return pageUrl;
  url.searchParams.set('media', '1');
  return url.href;
}
