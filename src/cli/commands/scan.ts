import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { IceleakError } from '../../core/errors.js';
import { defaultConcurrency, runScan } from '../../scan/scanner.js';
import type { SiteResult } from '../../scan/site-result.js';
import { SiteResultStore } from '../../scan/store.js';
import { formatSummary, summarize } from '../../scan/summary.js';
import {
  defineCliCommand,
  type FlagValues,
  integerIn,
  interruptOnSignal,
  stringFlag,
  switchFlag,
  valueFlag,
} from '../options.js';

/**
 * `iceleak scan URL… | --input FILE`: find the scripts that harvest visitors' addresses
 * through WebRTC. Exit 1 when a harvesting site was found, 2 on usage/environment errors.
 * `--jsonl` streams one SiteResult per line to stdout; the summary table then goes to stderr.
 */

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new IceleakError(
      'E_USAGE',
      'cli/scan/url',
      `${JSON.stringify(text)}: not a URL`,
      {},
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IceleakError('E_USAGE', 'cli/scan/url', `${JSON.stringify(text)}: only http and https URLs`);
  }
  return url.href;
}

const FLAGS = {
  input: stringFlag('file with one URL per line (# comments allowed)'),
  concurrency: valueFlag(integerIn(1), 'pages at once (from the number of cores)', {
    default: String(defaultConcurrency()),
  }),
  timeout: valueFlag(integerIn(100), 'per-page load timeout in ms', { default: '30000' }),
  dwell: valueFlag(integerIn(0), 'ms to keep watching after load', { default: '4000' }),
  retries: valueFlag(integerIn(0), 'extra attempts for a failed page', { default: '1' }),
  resume: switchFlag('skip URLs already done in --db or --json'),
  json: stringFlag('write per-site results to this JSON file'),
  jsonl: switchFlag('stream one JSON result per line to stdout'),
  db: stringFlag('store results in this SQLite file'),
  netns: stringFlag('run the browser inside this existing network namespace'),
};

/** The URLs given as arguments and in `--input`, checked, without duplicates. */
function urlsToScan(positionals: readonly string[], input: string | undefined): string[] {
  const urls = positionals.map(checkUrl);
  if (input !== undefined) {
    if (!existsSync(input)) throw new IceleakError('E_USAGE', 'cli/scan/--input', `${input}: no such file`);
    const lines = readFileSync(input, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim());
    urls.push(...lines.filter((l) => l !== '' && !l.startsWith('#')).map(checkUrl));
  }
  if (urls.length === 0) throw new IceleakError('E_USAGE', 'cli/scan', 'give URLs or --input FILE');
  return [...new Set(urls)];
}

/** The finished results of an earlier run's `--json` file, for `--resume`. */
function previousResults(json: string): SiteResult[] {
  if (!existsSync(json)) return [];
  try {
    return (JSON.parse(readFileSync(json, 'utf8')) as SiteResult[]).filter((r) => r.status === 'ok');
  } catch (error) {
    throw new IceleakError(
      'E_USAGE',
      'cli/scan/--json',
      `${json}: not a results file from iceleak scan`,
      {},
      {
        cause: error,
      },
    );
  }
}

function checkFlags(flags: FlagValues<typeof FLAGS>): void {
  if (flags.netns && !existsSync(`/run/netns/${flags.netns}`)) {
    throw new IceleakError(
      'E_USAGE',
      'cli/scan/--netns',
      `${flags.netns}: no such network namespace (ip netns list)`,
    );
  }
  if (flags.resume && !flags.db && !flags.json) {
    throw new IceleakError(
      'E_USAGE',
      'cli/scan/--resume',
      '--resume needs --db or --json to know what is done',
    );
  }
}

export default defineCliCommand({
  command: 'scan',
  description: 'Find scripts that harvest visitor addresses through WebRTC.',
  positionals: { name: 'urls', description: 'URLs to scan', variadic: true },
  flags: FLAGS,
  async run({ flags, positionals }) {
    const urls = urlsToScan(positionals, flags.input);
    checkFlags(flags);
    const store = flags.db ? new SiteResultStore(flags.db) : null;
    const previous = flags.json && flags.resume ? previousResults(flags.json) : [];
    const done = new Set([...(flags.resume && store ? store.doneUrls() : []), ...previous.map((r) => r.url)]);
    const todo = urls.filter((u) => !done.has(u));
    const tty = process.stderr.isTTY === true;
    const all: SiteResult[] = [...previous];
    let finished = 0;
    const interrupt = interruptOnSignal();
    if (done.size > 0)
      process.stderr.write(`resuming: ${urls.length - todo.length} of ${urls.length} URLs already done\n`);
    try {
      await runScan(todo, {
        concurrency: flags.concurrency,
        timeoutMs: flags.timeout,
        dwellMs: flags.dwell,
        retries: flags.retries,
        netns: flags.netns ?? null,
        signal: interrupt.signal,
        onResult(result) {
          finished++;
          all.push(result);
          store?.put(result);
          if (flags.jsonl) process.stdout.write(`${JSON.stringify(result)}\n`);
          if (flags.json) writeFileSync(flags.json, JSON.stringify(all, null, 1));
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
      interrupt.release();
      if (tty) process.stderr.write('\n');
    }
    const results = store ? store.all() : all;
    store?.close();
    const table = formatSummary(summarize(results));
    (flags.jsonl ? process.stderr : process.stdout).write(table);
    if (results.some((r) => r.harvesting)) process.exitCode = 1;
  },
});
