import type { PageCapture } from './capture.js';
import { findExfiltration, harvestedValues } from './exfiltration.js';
import { factsByScript } from './facts.js';
import { classifyScript, type ScriptFinding } from './rules.js';

/**
 * Pure: one page's capture → per-script findings. Harvested values are searched in every
 * request the page sent after the script's first read (the page may relay them for it).
 */
export function classifyCapture(capture: Pick<PageCapture, 'calls' | 'requests'>): ScriptFinding[] {
  return factsByScript(capture.calls)
    .map((facts) => {
      const exfiltration =
        facts.firstReadAt === null
          ? []
          : findExfiltration(harvestedValues(facts.harvested), capture.requests, facts.firstReadAt);
      return classifyScript({ ...facts, exfiltration });
    })
    .filter((finding) => finding.classifications.length > 0)
    .sort((a, b) => Number(b.harvesting) - Number(a.harvesting) || a.script.localeCompare(b.script));
}
