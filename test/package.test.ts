import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// The built package, imported by its own name (package self-reference through "exports"),
// the way a user's `import … from 'iceleak'` resolves it. `npm test` builds first.
describe('the built package', () => {
  it('is built', () => {
    expect(existsSync(`${root}dist/index.js`), 'run `npm run build` (npm test does it)').toBe(true);
  });

  it('exports the documented API from its root', () => {
    const script = `
      const m = await import('iceleak');
      const c = m.parseCandidate('candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host generation 0');
      const s = m.decodeStunMessage(m.encodeStunMessage({ method: m.StunMethod.Binding, class: 'request',
        transactionId: new Uint8Array(12), attributes: [] }));
      console.log(JSON.stringify({ address: c.address, scope: m.classifyAddress('100.64.0.1').scope,
        cls: s.class, fns: ['startStunObserver', 'decideVerdict', 'candidatesFromSdp', 'createIceLiteAnswer']
          .filter((n) => typeof m[n] === 'function') }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      address: '192.0.2.7',
      scope: 'shared',
      cls: 'request',
      fns: ['startStunObserver', 'decideVerdict', 'candidatesFromSdp', 'createIceLiteAnswer'],
    });
  });
});
