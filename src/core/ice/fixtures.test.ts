import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatCandidate, parseCandidate } from './candidate.js';
import { candidatesFromSdp } from './sdp.js';

// Real captures from Debian's Chromium and Firefox ESR; fixtures/README.md says how.
const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const FILES = readdirSync(DIR).sort();
const CANDIDATE_FILES = FILES.filter((f) => f.endsWith('.candidates.txt'));
const SDP_FILES = FILES.filter((f) => f.endsWith('.sdp'));

function lines(file: string): string[] {
  return readFileSync(join(DIR, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
}

describe('browser captures', () => {
  it('has captures from both browsers', () => {
    expect(CANDIDATE_FILES.some((f) => f.startsWith('chromium'))).toBe(true);
    expect(CANDIDATE_FILES.some((f) => f.startsWith('firefox'))).toBe(true);
    expect(SDP_FILES.length).toBeGreaterThan(0);
  });

  it.each(CANDIDATE_FILES)('%s: every captured candidate parses and round-trips byte for byte', (file) => {
    const all = lines(file);
    expect(all.length).toBeGreaterThan(0);
    for (const line of all) {
      const c = parseCandidate(line);
      expect(formatCandidate(c)).toBe(line);
      expect(parseCandidate(formatCandidate(c))).toEqual(c);
    }
  });

  it.each(SDP_FILES)('%s: every a=candidate parses and round-trips; c= lines read', (file) => {
    const sdp = readFileSync(join(DIR, file), 'utf8');
    const out = candidatesFromSdp(sdp);
    expect(out.errors).toEqual([]);
    expect(out.connectionAddresses.length).toBeGreaterThan(0);
    const raw = sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
    expect(out.candidates.map((c) => c.raw)).toEqual(raw);
    for (const c of out.candidates) {
      expect(`a=${formatCandidate(c.candidate)}`).toBe(c.raw);
      expect(c.mid).not.toBeNull();
      expect(c.mLineIndex).not.toBeNull();
    }
    // A description set after gathering carries the candidates it gathered.
    if (file.endsWith('.local.sdp')) expect(out.candidates.length).toBeGreaterThan(0);
  });
});
