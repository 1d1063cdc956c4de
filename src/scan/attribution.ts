import { INSTRUMENT_SOURCE_URL } from './instrument-source.js';

// A script location inside a V8 stack frame: `(https://x/a.js:3:5)` or `at https://x/a.js:3:5`.
// For eval / new Function frames V8 writes `eval at f (https://x/a.js:3:5), <anonymous>:1:1`,
// so the first URL in the line is the script that created the code.
const LOCATION = /((?:https?|file|blob:https?|chrome-extension|data):[^\s()]*?):\d+:\d+/;

/**
 * The script URL a call is attributed to, from a V8 `Error.stack` captured at the call:
 * the innermost frame that is not iceleak's own instrumentation. Code made by `eval` or
 * `new Function` is attributed to the script that created it. `unknown` when no frame has
 * a URL (e.g. a string passed to setTimeout from an opaque origin).
 */
export function attributeStack(stack: string): string {
  for (const line of stack.split('\n')) {
    const frame = line.trim();
    if (!frame.startsWith('at ')) continue;
    if (frame.includes(INSTRUMENT_SOURCE_URL)) continue;
    const m = LOCATION.exec(frame);
    if (m) return m[1]!;
  }
  return 'unknown';
}
