import { afterEach, describe, expect, it } from 'vitest';
import { isIceleakError } from '../../core/errors.js';
import { parseDuration, serveOptionsFrom } from './serve.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('ICELEAK_')) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('iceleak serve options', () => {
  it('defaults to loopback:8080 with no proxy trust and the default store', () => {
    expect(serveOptionsFrom([], {})).toEqual({ host: '127.0.0.1', port: 8080, trustProxy: false });
  });

  it('reads repeatable flags and lets flags win over ICELEAK_* variables', () => {
    process.env['ICELEAK_PORT'] = '9000';
    process.env['ICELEAK_PUBLIC_ADDRESS'] = '203.0.113.1, 2001:db8::1';
    process.env['ICELEAK_RETENTION'] = '7d';
    process.env['ICELEAK_NO_STORE'] = '1';
    const raw = [
      '--port',
      '9100',
      '--stun-listen',
      '0.0.0.0:3478',
      '--stun-listen=[::]:3479',
      '--trust-proxy',
    ];
    const options = serveOptionsFrom(raw, { port: '9100' });
    expect(options).toMatchObject({
      port: 9100,
      stunListen: [
        { address: '0.0.0.0', port: 3478 },
        { address: '::', port: 3479 },
      ],
      publicAddresses: ['203.0.113.1', '2001:db8::1'],
      retentionMs: 7 * 86_400_000,
      store: false,
      trustProxy: true,
    });
  });

  it('takes a hop count or proxy list for --trust-proxy', () => {
    expect(serveOptionsFrom(['--trust-proxy', '1'], {}).trustProxy).toBe(1);
    expect(serveOptionsFrom(['--trust-proxy=10.0.0.0/8'], {}).trustProxy).toBe('10.0.0.0/8');
  });

  it('parses durations and refuses nonsense with E_USAGE', () => {
    expect(parseDuration('24h', 'x')).toBe(86_400_000);
    expect(parseDuration('1500ms', 'x')).toBe(1500);
    for (const bad of ['', '24', 'h', '-1h', '0s']) {
      let caught: unknown;
      try {
        parseDuration(bad, 'cli/serve/--retention');
      } catch (e) {
        caught = e;
      }
      expect(isIceleakError(caught, 'E_USAGE')).toBe(true);
    }
    expect(() => serveOptionsFrom(['--port', '99999'], { port: '99999' })).toThrow(/port must be/);
  });
});
