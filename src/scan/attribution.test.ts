import { describe, expect, it } from 'vitest';
import { attributeStack } from './attribution.js';

// Stacks in the shape V8 (Chromium 156) prints them, as captured by the instrumentation.
const cases: Array<[string, string, string]> = [
  [
    'a plain call is attributed to the innermost page frame',
    'Error\n    at report (iceleak-instrument.js:50:14)\n    at RTCPeerConnection.createOffer (iceleak-instrument.js:70:7)\n    at run (https://ads.example/tag.js:12:8)\n    at https://site.example/page.html:3:1',
    'https://ads.example/tag.js',
  ],
  [
    'code made by new Function is attributed to the script that made it',
    'Error\n    at report (iceleak-instrument.js:50:14)\n    at Proxy.construct (iceleak-instrument.js:100:7)\n    at eval (eval at <anonymous> (http://10.77.0.2:8080/deferred.js:9:28), <anonymous>:3:10)\n    at http://10.77.0.2:8080/deferred.js:9:47',
    'http://10.77.0.2:8080/deferred.js',
  ],
  [
    'nested eval resolves to the outermost creating script',
    'Error\n    at eval (eval at f (eval at g (https://x.example/a.js:1:5), <anonymous>:1:1), <anonymous>:1:1)',
    'https://x.example/a.js',
  ],
  [
    'a bare location frame works without a function name',
    'Error\n    at https://site.example/inline.html:20:3',
    'https://site.example/inline.html',
  ],
  [
    'a blob: worker script keeps its blob URL',
    'Error\n    at go (blob:https://site.example/7b1c-44:3:9)',
    'blob:https://site.example/7b1c-44',
  ],
  [
    'no page frame at all is unknown',
    'Error\n    at report (iceleak-instrument.js:50:14)\n    at <anonymous>:1:1',
    'unknown',
  ],
  ['an empty stack is unknown', '', 'unknown'],
];

describe('attributeStack', () => {
  it.each(cases)('%s', (_, stack, script) => {
    expect(attributeStack(stack)).toBe(script);
  });
});
