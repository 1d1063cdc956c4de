import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProxySpec } from './scenarios.js';

/**
 * tinyproxy's configuration for the lab: foreground-friendly (no pid file, logs to stderr),
 * listening on the proxy host's address only and serving only the home address.
 */
export function tinyproxyConfig(spec: ProxySpec): string {
  return [
    `Port ${spec.port}`,
    `Listen ${spec.address}`,
    'Timeout 30',
    'MaxClients 200',
    'LogLevel Warning',
    // No Via header: the proxy's exit address is what the lab wants a site to see, nothing more.
    'DisableViaHeader Yes',
    ...spec.allow.map((address) => `Allow ${address}`),
    '',
  ].join('\n');
}

/** The argv that runs the proxy of `spec` in the foreground; writes tinyproxy's config into `tempDir`. */
export function proxyArgv(spec: ProxySpec, tempDir: string): string[] {
  if (spec.kind === 'http') {
    const config = join(tempDir, 'tinyproxy.conf');
    writeFileSync(config, tinyproxyConfig(spec));
    return ['tinyproxy', '-d', '-c', config];
  }
  // microsocks has no allow-list; the lab's internet reaches it only from the home address anyway.
  return ['microsocks', '-i', spec.address, '-p', String(spec.port)];
}

/** The URL a browser in the client namespace must use for this proxy. */
export function proxyUrl(spec: ProxySpec): string {
  return `${spec.kind === 'http' ? 'http' : 'socks5'}://${spec.address}:${spec.port}`;
}
