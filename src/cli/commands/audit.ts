import { writeFile } from 'node:fs/promises';
import { defineCommand } from 'citty';
import { runAuditCommand } from '../../audit/command.js';

/** `iceleak audit`: real browsers × defence profiles × network scenarios, with a verdict for each. */
export default defineCommand({
  meta: {
    name: 'audit',
    description:
      'Run real browsers under each defence profile through each lab network and report which combinations leak.',
  },
  args: {
    browsers: { type: 'string', description: 'Comma-separated browsers (chromium,firefox); default both' },
    profiles: {
      type: 'string',
      description: 'Comma-separated profile ids (chromium/default) or names (default); default all',
    },
    scenarios: { type: 'string', description: 'Comma-separated lab scenarios; default all' },
    config: { type: 'string', description: 'JSON file with extra defence profiles' },
    expect: { type: 'string', description: 'Expectation file: exit 1 when a cell differs from it' },
    'write-expect': { type: 'string', description: 'Write this run as an expectation file' },
    json: { type: 'string', description: 'Write the report as JSON (schemaVersion 1)' },
    junit: { type: 'string', description: 'Write a JUnit XML report' },
    html: { type: 'string', description: 'Write a self-contained HTML report' },
    concurrency: { type: 'string', description: 'Scenarios run at once (default: number of cores)' },
    lab: {
      type: 'boolean',
      default: true,
      description: 'Use the network lab (--no-lab: this host’s network)',
    },
    server: {
      type: 'string',
      description: 'With --no-lab: URL of a deployed `iceleak serve` (default: embedded)',
    },
    list: { type: 'boolean', description: 'List profiles and scenarios, then exit' },
  },
  async run({ args }) {
    process.exitCode = await runAuditCommand(
      {
        browsers: args.browsers,
        profiles: args.profiles,
        scenarios: args.scenarios,
        config: args.config,
        expect: args.expect,
        writeExpect: args['write-expect'],
        json: args.json,
        junit: args.junit,
        html: args.html,
        concurrency: args.concurrency,
        lab: args.lab,
        server: args.server,
        list: args.list === true,
      },
      { stdout: process.stdout, stderr: process.stderr, writeFile },
    );
  },
});
