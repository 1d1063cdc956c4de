import { describe, expect, it } from 'vitest';
import { parseCandidateValues } from './candidate-values.js';
import type { RequestRecord } from './capture.js';
import { findExfiltration, harvestedValues } from './exfiltration.js';

const CAND = 'candidate:1 1 udp 2113937151 0f1e2d3c-aaaa-bbbb-cccc-111122223333.local 5000 typ host';
const SRFLX = 'candidate:2 1 udp 1677729535 203.0.113.5 6000 typ srflx raddr 0.0.0.0 rport 0';
const values = harvestedValues([parseCandidateValues(CAND)!, parseCandidateValues(SRFLX)!]);

function req(part: Partial<RequestRecord>): RequestRecord {
  return {
    time: 10,
    url: 'https://collect.example/c',
    method: 'GET',
    resourceType: 'image',
    headers: {},
    postData: null,
    frameUrl: null,
    initiator: null,
    ...part,
  };
}

describe('findExfiltration', () => {
  it('finds an address in a URL query, URL-encoded', () => {
    const [e] = findExfiltration(
      values,
      [req({ url: 'https://collect.example/p.gif?ip=203.0.113.5&x=1' })],
      0,
    );
    expect(e).toMatchObject({ where: 'url', value: '203.0.113.5' });
  });
  it('finds a candidate string inside a URL-encoded parameter', () => {
    const [e] = findExfiltration(
      values,
      [req({ url: `https://c.example/p?d=${encodeURIComponent(CAND)}` })],
      0,
    );
    expect(e).toMatchObject({ where: 'url', encoding: 'url', value: CAND });
  });
  it('finds an mDNS name in a JSON body', () => {
    const [e] = findExfiltration(
      values,
      [req({ method: 'POST', postData: JSON.stringify({ c: [CAND] }) })],
      0,
    );
    expect(e).toMatchObject({ where: 'body', encoding: 'plain' });
  });
  it('finds an address in a base64 beacon body', () => {
    const [e] = findExfiltration(
      values,
      [
        req({
          method: 'POST',
          resourceType: 'ping',
          postData: Buffer.from(`ip=203.0.113.5`).toString('base64'),
        }),
      ],
      0,
    );
    expect(e).toMatchObject({ where: 'body', encoding: 'base64', value: '203.0.113.5' });
  });
  it('finds an address in a header the script set', () => {
    const [e] = findExfiltration(values, [req({ headers: { 'x-client-ip': '203.0.113.5' } })], 0);
    expect(e).toMatchObject({ where: 'header' });
  });
  it('does not count the host of the request URL, nor Referer/Origin', () => {
    const r = req({
      url: 'http://203.0.113.5/page',
      headers: { referer: 'http://203.0.113.5/', origin: 'http://203.0.113.5' },
    });
    expect(findExfiltration(values, [r], 0)).toEqual([]);
  });
  it('respects token boundaries (203.0.113.5 is not in 203.0.113.50)', () => {
    expect(
      findExfiltration(['203.0.113.5'], [req({ url: 'https://c.example/?ip=203.0.113.50' })], 0),
    ).toEqual([]);
    expect(
      findExfiltration(['203.0.113.5'], [req({ url: 'https://c.example/?ip=1203.0.113.5' })], 0),
    ).toEqual([]);
  });
  it('ignores requests sent before the value was read', () => {
    expect(findExfiltration(values, [req({ time: 5, url: 'https://c.example/?ip=203.0.113.5' })], 6)).toEqual(
      [],
    );
  });
});
