import { type CommandDef, defineCommand, runCommand, showUsage } from 'citty';
import { isIceleakError } from '../core/errors.js';
import { VERSION } from './version.js';

// Each command lives in its own file as data (meta, args, run); this file only wires them.
const main = defineCommand({
  meta: {
    name: 'iceleak',
    version: VERSION,
    description: 'Find, audit and fix WebRTC IP leaks.',
  },
  subCommands: {
    audit: () => import('./commands/audit.js').then((m) => m.default),
    stun: () => import('./commands/stun.js').then((m) => m.default),
    lab: () => import('./commands/lab.js').then((m) => m.default),
    scan: () => import('./commands/scan.js').then((m) => m.default),
    serve: () => import('./commands/serve.js').then((m) => m.default),
  },
});

async function usageFor(args: string[]): Promise<[CommandDef, CommandDef?]> {
  const loaders = main.subCommands as Record<string, () => Promise<CommandDef>>;
  const name = args.find((a) => !a.startsWith('-'));
  const load = name === undefined ? undefined : loaders[name];
  return load ? [await load(), main as CommandDef] : [main as CommandDef];
}

/** Exit codes: 0 fine, 1 a leak or a difference was found (set by the command), 2 usage or environment. */
const rawArgs = process.argv.slice(2);
try {
  if (rawArgs.length === 0 || rawArgs.includes('--help') || rawArgs.includes('-h')) {
    await showUsage(...(await usageFor(rawArgs)));
  } else if (rawArgs.length === 1 && (rawArgs[0] === '--version' || rawArgs[0] === '-v')) {
    process.stdout.write(`${VERSION}\n`);
  } else {
    await runCommand(main, { rawArgs });
  }
} catch (error) {
  if (isIceleakError(error)) {
    process.stderr.write(`iceleak: ${error.message} (${error.code})\n`);
  } else if (error instanceof Error && error.name === 'CLIError') {
    const code = (error as Error & { code?: string }).code ?? 'E_USAGE';
    process.stderr.write(`iceleak: ${error.message} (${code}); see \`iceleak --help\`\n`);
  } else {
    process.stderr.write(
      `iceleak: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(2);
}
