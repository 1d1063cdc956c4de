import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { defineCommand } from 'citty';
import { IceleakError } from '../../core/errors.js';
import { defaultConcurrency, runScan } from '../../scan/scanner.js';
import type { SiteResult } from '../../scan/site-result.js';
import { SiteResultStore as ResultStore } from '../../scan/store.js';
import { formatSummary, summarize } from '../../scan/summary.js';

/**
 * `iceleak scan URL… | --input FILE`: find the scripts that harvest visitors' addresses
 * through WebRTC. Exit 1 when a harvesting site was found, 2 on usage/environment errors.
 * `--jsonl` streams one SiteResult per line to stdout; the summary table then goes to stderr.
 */

function positiveInt(text: string | undefined, flag: string, fallback: number, min = 1): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new IceleakError(
      'E_USAGE',
      `cli/scan/--${flag}`,
      `${JSON.stringify(text)}: expected an integer ≥ ${min}`,
    );
  }
  return Number(text);
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new IceleakError('E_USAGE', 'cli/scan/url', `${JSON.stringify(text)}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IceleakError('E_USAGE', 'cli/scan/url', `${JSON.stringify(text)}: only http and https URLs`);
  }
  return url.href;
}

export default defineCommand({
  meta: { name: 'scan', description: 'Find scripts that harvest visitor addresses through WebRTC.' },
  args: {
    urls: { type: 'positional', required: false, description: 'URLs to scan' },
    input: { type: 'string', description: 'file with one URL per line (# comments allowed)' },
    concurrency: {
      type: 'string',
      description: `pages at once (default: ${defaultConcurrency()}, from cores)`,
    },
    timeout: { type: 'string', description: 'per-page load timeout in ms (default 30000)' },
    dwell: { type: 'string', description: 'ms to keep watching after load (default 4000)' },
    retries: { type: 'string', description: 'extra attempts for a failed page (default 1)' },
    resume: { type: 'boolean', description: 'skip URLs already done in --db or --json' },
    json: { type: 'string', description: 'write per-site results to this JSON file' },
    jsonl: { type: 'boolean', description: 'stream one JSON result per line to stdout' },
    db: { type: 'string', description: 'store results in this SQLite file' },
    netns: { type: 'string', description: 'run the browser inside this existing network namespace' },
  },
  async run({ args }) {
    const positional = (args._ ?? []).map(String);
    let urls = positional.map(checkUrl);
    if (args.input) {
      if (!existsSync(args.input))
        throw new IceleakError('E_USAGE', 'cli/scan/--input', `${args.input}: no such file`);
      const lines = readFileSync(args.input, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim());
      urls.push(...lines.filter((l) => l !== '' && !l.startsWith('#')).map(checkUrl));
    }
    urls = [...new Set(urls)];
    if (urls.length === 0) throw new IceleakError('E_USAGE', 'cli/scan', 'give URLs or --input FILE');
    if (args.netns && !existsSync(`/run/netns/${args.netns}`)) {
      throw new IceleakError(
        'E_USAGE',
        'cli/scan/--netns',
        `${args.netns}: no such network namespace (ip netns list)`,
      );
    }
    if (args.resume && !args.db && !args.json) {
      throw new IceleakError(
        'E_USAGE',
        'cli/scan/--resume',
        '--resume needs --db or --json to know what is done',
      );
    }
    const store = args.db ? new ResultStore(args.db) : null;
    let previous: SiteResult[] = [];
    if (args.json && args.resume && existsSync(args.json)) {
      try {
        previous = (JSON.parse(readFileSync(args.json, 'utf8')) as SiteResult[]).filter(
          (r) => r.status === 'ok',
        );
      } catch {
        throw new IceleakError(
          'E_USAGE',
          'cli/scan/--json',
          `${args.json}: not a results file from iceleak scan`,
        );
      }
    }
    const done = new Set([...(args.resume && store ? store.doneUrls() : []), ...previous.map((r) => r.url)]);
    const todo = urls.filter((u) => !done.has(u));
    const tty = process.stderr.isTTY === true;
    const all: SiteResult[] = [...previous];
    let finished = 0;
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (done.size > 0)
      process.stderr.write(`resuming: ${urls.length - todo.length} of ${urls.length} URLs already done\n`);
    try {
      await runScan(todo, {
        concurrency: positiveInt(args.concurrency, 'concurrency', defaultConcurrency()),
        timeoutMs: positiveInt(args.timeout, 'timeout', 30_000, 100),
        dwellMs: positiveInt(args.dwell, 'dwell', 4_000, 0),
        retries: positiveInt(args.retries, 'retries', 1, 0),
        netns: args.netns ?? null,
        signal: abort.signal,
        onResult(result) {
          finished++;
          all.push(result);
          store?.put(result);
          if (args.jsonl) process.stdout.write(`${JSON.stringify(result)}\n`);
          if (args.json) writeFileSync(args.json, JSON.stringify(all, null, 1));
          const mark =
            result.status === 'error'
              ? `error ${result.error?.code}`
              : result.harvesting
                ? 'HARVESTING'
                : 'clean';
          const harvesting = all.filter((r) => r.harvesting).length;
          if (tty)
            process.stderr.write(
              `\r\x1b[K[${finished}/${todo.length}] harvesting sites: ${harvesting}  ${mark} ${result.url}`.slice(
                0,
                200,
              ),
            );
          else process.stderr.write(`[${finished}/${todo.length}] ${mark} ${result.url}\n`);
        },
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (tty) process.stderr.write('\n');
    }
    const results = store ? store.all() : all;
    store?.close();
    const table = formatSummary(summarize(results));
    (args.jsonl ? process.stderr : process.stdout).write(table);
    if (results.some((r) => r.harvesting)) process.exitCode = 1;
  },
});
