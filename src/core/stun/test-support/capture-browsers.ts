/**
 * Captures real STUN messages from this machine's Chromium and Firefox ESR into
 * `../fixtures/` (root only): a Binding request sent to a STUN server and an ICE
 * connectivity check sent to an ICE-lite answer. Run:
 *
 *   node --import tsx src/core/stun/test-support/capture-browsers.ts
 *
 * Everything happens in a network namespace made for the run (loopback plus a veth
 * pair holding 192.0.2.10, a documentation address), removed on every exit path:
 * no packet leaves the machine, including the mDNS announcements browsers make.
 */
import { execFileSync, spawn } from 'node:child_process';
import { nodeModuleArgv } from '../../../lab/node-child.js';

const ns = `iceleak-stuncap-${process.pid}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'inherit'] });

function removeNamespace(): void {
  try {
    ip('netns', 'delete', ns);
  } catch {}
}

if (process.getuid?.() !== 0) {
  console.error('capture-browsers: needs root (it creates a network namespace)');
  process.exit(2);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeNamespace();
    process.exit(130);
  });
}
try {
  ip('netns', 'add', ns);
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  // A veth pair with both ends inside: a non-loopback interface (Firefox will not use a
  // STUN server on 127.0.0.1) whose packets cannot leave the namespace.
  ip('-n', ns, 'link', 'add', 'cap0', 'type', 'veth', 'peer', 'name', 'cap1');
  ip('-n', ns, 'addr', 'add', '192.0.2.10/24', 'dev', 'cap0');
  ip('-n', ns, 'link', 'set', 'cap0', 'up');
  ip('-n', ns, 'link', 'set', 'cap1', 'up');
  ip('-n', ns, 'route', 'add', 'default', 'dev', 'cap0');
  const argv = nodeModuleArgv(new URL('./capture-in-netns.js', import.meta.url));
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  process.exitCode = code ?? 1;
} finally {
  removeNamespace();
}
