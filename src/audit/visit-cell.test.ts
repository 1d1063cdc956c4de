import { describe, expect, it } from 'vitest';
import { browserVersionOf } from './visit-cell.js';

describe('browserVersionOf', () => {
  it('reads the version from headless Chromium’s and Firefox’s user agents', () => {
    expect(
      browserVersionOf(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.79 Safari/537.36',
      ),
    ).toBe('Chrome/156.0.8078.79');
    expect(browserVersionOf('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0')).toBe(
      'Firefox/153.0',
    );
    expect(browserVersionOf('curl/8.0')).toBeNull();
  });
});
