import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IceleakError } from '../core/errors.js';
import {
  chromiumArgsFor,
  DEFENCE_PROFILES,
  type DefenceProfile,
  getDefenceProfile,
  loadProfiles,
  parseProfiles,
  profilePageUrl,
} from './profiles.js';

/** Firefox prefs that exist in Firefox ESR's modules/libpref/init/all.js / StaticPrefList.yaml. */
const KNOWN_FIREFOX_PREFS = new Set([
  'media.peerconnection.enabled',
  'media.peerconnection.ice.default_address_only',
  'media.peerconnection.ice.no_host',
  'media.peerconnection.ice.proxy_only',
  'media.peerconnection.ice.proxy_only_if_behind_proxy',
  'media.peerconnection.ice.relay_only',
  'media.peerconnection.ice.obfuscate_host_addresses',
  'media.navigator.permission.disabled',
  'media.navigator.streams.fake',
  'media.devices.insecure.enabled',
  'media.getusermedia.insecure.enabled',
]);

const KNOWN_POLICIES = [
  'default',
  'default_public_and_private_interfaces',
  'default_public_interface_only',
  'disable_non_proxied_udp',
];

describe('DEFENCE_PROFILES', () => {
  it('has every profile README.md lists under `iceleak audit`, with unique ids of the form <browser>/<name>', () => {
    const ids = DEFENCE_PROFILES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of DEFENCE_PROFILES) expect(p.id).toBe(`${p.browser}/${p.name}`);
    expect(ids).toEqual([
      'chromium/default',
      'chromium/default_public_and_private_interfaces',
      'chromium/default_public_interface_only',
      'chromium/disable_non_proxied_udp',
      'chromium/mdns-off',
      'chromium/media-permission',
      'firefox/default',
      'firefox/default_address_only',
      'firefox/proxy_only_if_behind_proxy',
      'firefox/proxy_only',
      'firefox/relay_only',
      'firefox/webrtc-disabled',
      'firefox/tor-like',
      'firefox/media-permission',
    ]);
  });

  describe.each(DEFENCE_PROFILES.map((p) => [p.id, p] as const))('%s', (_id, profile) => {
    it('configures only its own browser, with a description', () => {
      expect(profile.description.length).toBeGreaterThan(5);
      if (profile.browser === 'chromium') expect(profile.prefs).toBeUndefined();
      else expect(profile.args).toBeUndefined();
    });

    it('uses only flags Chromium 156 honours', () => {
      for (const arg of profile.args ?? []) {
        expect(arg).not.toMatch(/^--force-webrtc-ip-handling-policy/);
        const policy = /^--webrtc-ip-handling-policy=(.*)$/.exec(arg);
        if (policy) expect(KNOWN_POLICIES).toContain(policy[1]);
      }
      // the policy name in the id is the one passed
      if (
        profile.browser === 'chromium' &&
        KNOWN_POLICIES.includes(profile.name) &&
        profile.name !== 'default'
      ) {
        expect(profile.args).toEqual([`--webrtc-ip-handling-policy=${profile.name}`]);
      }
    });

    it('uses only real Firefox prefs with values of the right type', () => {
      for (const [name, value] of Object.entries(profile.prefs ?? {})) {
        expect(KNOWN_FIREFOX_PREFS, name).toContain(name);
        expect(typeof value).toBe('boolean');
      }
    });

    it('grants media exactly when it is a media-permission profile, with what getUserMedia needs', () => {
      expect(profile.mediaPermission).toBe(profile.name === 'media-permission');
      if (!profile.mediaPermission) return;
      if (profile.browser === 'chromium') {
        const args = chromiumArgsFor(profile, 'http://192.0.2.1:8080/probe?x=1');
        expect(args).toContain('--use-fake-ui-for-media-stream');
        expect(args).toContain('--use-fake-device-for-media-stream');
        expect(args).toContain('--unsafely-treat-insecure-origin-as-secure=http://192.0.2.1:8080');
      } else {
        expect(profile.prefs).toMatchObject({
          'media.navigator.permission.disabled': true,
          'media.navigator.streams.fake': true,
          'media.devices.insecure.enabled': true,
          'media.getusermedia.insecure.enabled': true,
        });
      }
      expect(
        new URL(profilePageUrl(profile, 'http://192.0.2.1:8080/probe?x=1')).searchParams.get('media'),
      ).toBe('1');
    });
  });

  it('gives the Firefox rows their defining prefs', () => {
    expect(getDefenceProfile('firefox/webrtc-disabled').prefs).toEqual({
      'media.peerconnection.enabled': false,
    });
    expect(getDefenceProfile('firefox/default_address_only').prefs).toEqual({
      'media.peerconnection.ice.default_address_only': true,
      'media.peerconnection.ice.no_host': true,
    });
    // tor-browser browser/app/profile/001-base-profile.js
    expect(getDefenceProfile('firefox/tor-like').prefs).toEqual({
      'media.peerconnection.enabled': false,
      'media.peerconnection.ice.obfuscate_host_addresses': true,
      'media.peerconnection.ice.relay_only': true,
      'media.peerconnection.ice.default_address_only': true,
      'media.peerconnection.ice.no_host': true,
      'media.peerconnection.ice.proxy_only_if_behind_proxy': true,
    });
    expect(getDefenceProfile('chromium/mdns-off').args).toEqual([
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ]);
  });

  it('leaves the URL alone for other profiles and names unknown ids', () => {
    expect(profilePageUrl(getDefenceProfile('chromium/default'), 'http://192.0.2.1/p')).toBe(
      'http://192.0.2.1/p',
    );
    expect(() => getDefenceProfile('chromium/nope')).toThrow(
      /unknown profile "chromium\/nope"; known: chromium\/default/,
    );
  });
});

describe('loadProfiles / parseProfiles', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('reads user profiles, resolving extension directories next to the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iceleak-profiles-'));
    dirs.push(dir);
    const file = join(dir, 'profiles.json');
    await writeFile(
      file,
      JSON.stringify({
        profiles: [
          { browser: 'chromium', name: 'ublock', args: ['--lang=en'], extensions: ['ext/ublock'] },
          { browser: 'firefox', name: 'hardened', prefs: { 'media.peerconnection.ice.no_host': true } },
        ],
      }),
    );
    const profiles = await loadProfiles(file);
    expect(profiles.map((p) => p.id)).toEqual(['chromium/ublock', 'firefox/hardened']);
    const chromium = profiles[0] as DefenceProfile;
    expect(chromium.extensions).toEqual([`${dir}/ext/ublock`]);
    expect(chromiumArgsFor(chromium, 'http://192.0.2.1/')).toEqual([
      '--lang=en',
      `--disable-extensions-except=${dir}/ext/ublock`,
      `--load-extension=${dir}/ext/ublock`,
    ]);
    expect(profiles[1]?.mediaPermission).toBe(false);
  });

  it.each([
    [{ profiles: [{ browser: 'safari', name: 'x' }] }, /profiles\.0\.browser/],
    [
      { profiles: [{ browser: 'chromium', name: 'x', args: ['--force-webrtc-ip-handling-policy=x'] }] },
      /ignores/,
    ],
    [{ profiles: [{ browser: 'chromium', name: 'x', prefs: { a: 1 } }] }, /prefs apply to Firefox/],
    [{ profiles: [{ browser: 'firefox', name: 'x', args: ['--a'] }] }, /args\/extensions apply to Chromium/],
    [{ profiles: [{ browser: 'firefox', name: 'x', colour: 'red' }] }, /profiles\.0/],
    [{ profiles: [] }, /profiles/],
    [{ profiles: [{ browser: 'firefox', name: 'a b' }] }, /name/],
    [
      {
        profiles: [
          { browser: 'firefox', name: 'x' },
          { browser: 'firefox', name: 'x' },
        ],
      },
      /duplicate profile firefox\/x/,
    ],
  ])('rejects a bad file with one clear error (%#)', (json, message) => {
    try {
      parseProfiles(json, 'my.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IceleakError);
      expect((error as IceleakError).code).toBe('E_PROFILE_FILE');
      expect((error as Error).message).toMatch(/my\.json/);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('says when the file is not JSON or missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iceleak-profiles-'));
    dirs.push(dir);
    await writeFile(join(dir, 'bad.json'), '{nope');
    await expect(loadProfiles(join(dir, 'bad.json'))).rejects.toThrow(/not JSON/);
    await expect(loadProfiles(join(dir, 'missing.json'))).rejects.toThrow(/cannot read/);
  });
});
