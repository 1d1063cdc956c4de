import { describe, expect, it } from 'vitest';
import { isTransientNavigationError, launchOptionsFor } from './browser-pool.js';
import { getDefenceProfile } from './profiles.js';

// Which jobs may share a browser process: exactly those whose launch options are equal.
describe('launchOptionsFor', () => {
  const url = 'http://192.0.2.1:8080/probe';
  const key = (id: string, proxy: { kind: 'http'; url: string } | null = null, page = url) =>
    JSON.stringify(launchOptionsFor({ profile: getDefenceProfile(id), proxy, url: page }, page));

  it('gives jobs with the same profile and proxy the same process', () => {
    expect(key('chromium/default')).toBe(key('chromium/default'));
    expect(key('firefox/default')).toBe(key('firefox/default'));
  });

  it('separates profiles, proxies and browsers', () => {
    const proxy = { kind: 'http' as const, url: 'http://198.51.100.7:8888' };
    const keys = [
      key('chromium/default'),
      key('chromium/default', proxy),
      key('chromium/mdns-off'),
      key('firefox/default'),
      key('firefox/default', proxy),
      key('firefox/proxy_only'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('treats the page origin as secure for Chromium media-permission, so another origin needs another process', () => {
    const options = launchOptionsFor(
      { profile: getDefenceProfile('chromium/media-permission'), url },
      `${url}?media=1`,
    );
    expect(options.args).toContain('--unsafely-treat-insecure-origin-as-secure=http://192.0.2.1:8080');
    expect(key('chromium/media-permission')).not.toBe(
      key('chromium/media-permission', null, 'http://198.51.100.9/probe'),
    );
  });

  it('passes Firefox prefs and no Chromium flags', () => {
    const options = launchOptionsFor({ profile: getDefenceProfile('firefox/webrtc-disabled'), url }, url);
    expect(options).toEqual({
      browser: 'firefox',
      prefs: { 'media.peerconnection.enabled': false },
      proxy: null,
    });
  });
});

describe('isTransientNavigationError', () => {
  it('retries only a network change under the navigation', () => {
    expect(
      isTransientNavigationError(new Error('net::ERR_NETWORK_CHANGED at http://[2001:db8:53::1]:8080/')),
    ).toBe(true);
    expect(isTransientNavigationError(new Error('net::ERR_CONNECTION_REFUSED at http://192.0.2.1/'))).toBe(
      false,
    );
    expect(isTransientNavigationError('net::ERR_NETWORK_CHANGED')).toBe(false);
  });
});
