import { describe, expect, it } from 'vitest';
import { proxyUrl, tinyproxyConfig } from './proxy.js';
import { findScenario } from './scenarios.js';

describe('the lab proxies', () => {
  const http = findScenario('http-proxy')?.proxy;
  const socks = findScenario('socks5-proxy')?.proxy;

  it('configures tinyproxy to listen on the proxy address and serve only the home addresses', () => {
    if (!http) throw new Error('http-proxy has no proxy');
    const lines = tinyproxyConfig(http).split('\n');
    expect(lines).toContain('Port 8888');
    expect(lines).toContain('Listen 198.51.100.7');
    expect(lines).toContain('Allow 203.0.113.5');
    expect(lines).toContain('DisableViaHeader Yes');
  });

  it('reports the URL the browser must use', () => {
    if (!http || !socks) throw new Error('proxy scenarios have no proxy');
    expect(proxyUrl(http)).toBe('http://198.51.100.7:8888');
    expect(proxyUrl(socks)).toBe('socks5://198.51.100.7:1080');
  });
});
