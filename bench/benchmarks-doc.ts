import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the section of docs/benchmarks.md whose heading starts with `heading` (or appends
 * it), keeping every other section: each benchmark owns one section.
 */
export function writeBenchmarkSection(heading: string, lines: readonly string[]): void {
  const path = new URL('../docs/benchmarks.md', import.meta.url);
  let doc: string;
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = '# Benchmarks\n\n';
  }
  const start = doc.indexOf(heading);
  if (start === -1) {
    doc = `${doc.trimEnd()}\n\n${lines.join('\n')}`;
  } else {
    const next = doc.indexOf('\n## ', start + 3);
    doc = doc.slice(0, start) + lines.join('\n') + (next === -1 ? '' : doc.slice(next + 1));
  }
  writeFileSync(path, doc.endsWith('\n') ? doc : `${doc}\n`);
  console.log('written to docs/benchmarks.md');
}
