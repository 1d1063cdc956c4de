import { defineCommand } from 'citty';
import { IceleakError } from '../../core/errors.js';
import {
  cleanLabs,
  destroyLabSync,
  findScenario,
  type Lab,
  readLabRecords,
  SCENARIOS,
  type ScenarioName,
  startLab,
} from '../../lab/index.js';
import { checkLab } from '../../lab/self-check.js';
import { defineCliCommand, switchFlag } from '../options.js';

function scenarioNamed(name: string): ScenarioName {
  const scenario = findScenario(name);
  if (!scenario) {
    throw new IceleakError(
      'E_USAGE',
      'cli/lab/scenario',
      `no scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  return scenario.name;
}

function describeLab(lab: Lab): string {
  const lines = [`lab ${lab.id} (${lab.scenario.name}): ${lab.scenario.description}`, 'namespaces:'];
  for (const [role, ns] of Object.entries(lab.namespaces)) lines.push(`  ${role.padEnd(9)}${ns}`);
  lines.push(
    `service:   ${lab.service.ipv4}${lab.service.ipv6 ? `, ${lab.service.ipv6}` : ''} (on lo of ${lab.namespaces.internet})`,
  );
  if (lab.proxy) lines.push(`proxy:     ${lab.proxy.url}`);
  const { truth } = lab;
  lines.push('truth:');
  for (const key of ['lan', 'homePublic', 'carrierPublic', 'exit', 'tunnel'] as const) {
    if (truth[key].length > 0) lines.push(`  ${key.padEnd(14)}${truth[key].join(', ')}`);
  }
  const e = truth.expected;
  lines.push(`  expected HTTP source: ${e.httpSourceIPv4}${e.httpSourceIPv6 ? `, ${e.httpSourceIPv6}` : ''}`);
  lines.push(`  expected UDP source:  ${e.udpSourceIPv4}${e.udpSourceIPv6 ? `, ${e.udpSourceIPv6}` : ''}`);
  return lines.join('\n');
}

const list = defineCliCommand({
  command: 'lab/list',
  description: 'List the scenarios with their descriptions.',
  flags: {},
  run() {
    const width = Math.max(...SCENARIOS.map((s) => s.name.length));
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n`);
  },
});

const up = defineCliCommand({
  command: 'lab/up',
  description: 'Build a scenario and leave it up (remove it with `iceleak lab down <id>`).',
  positionals: { name: 'scenario', description: 'scenario name (see `iceleak lab list`)', required: true },
  flags: { json: switchFlag('print the lab as JSON') },
  async run({ flags, positionals: [scenario = ''] }) {
    const lab = await startLab(scenarioNamed(scenario), { keep: true });
    if (flags.json) {
      const { id, namespaces, service, proxy, truth } = lab;
      process.stdout.write(
        `${JSON.stringify({ id, scenario: lab.scenario.name, namespaces, service, proxy, truth }, null, 2)}\n`,
      );
      return;
    }
    process.stdout.write(`${describeLab(lab)}\n\n`);
    process.stdout.write(`shell in the client:  ip netns exec ${lab.namespaces.client} bash\n`);
    process.stdout.write(`remove it:            iceleak lab down ${lab.id}\n`);
  },
});

const down = defineCliCommand({
  command: 'lab/down',
  description: 'Remove a lab made by `iceleak lab up`.',
  positionals: { name: 'id', description: 'lab id (6 hex digits)', required: true },
  flags: {},
  run({ positionals: [id = ''] }) {
    const record = readLabRecords().find((r) => r.id === id);
    if (!record) {
      const known = readLabRecords().map((r) => `${r.id} (${r.scenario})`);
      throw new IceleakError(
        'E_LAB_UNKNOWN_ID',
        'cli/lab/down',
        `no lab ${id}; live labs: ${known.length > 0 ? known.join(', ') : 'none'}`,
      );
    }
    destroyLabSync(record);
    process.stdout.write(`removed lab ${record.id} (${record.scenario})\n`);
  },
});

const clean = defineCliCommand({
  command: 'lab/clean',
  description: 'Remove leftovers of crashed runs (labs whose owner died); --all also removes kept labs.',
  flags: { all: switchFlag('remove every lab, including ones made by `lab up`') },
  async run({ flags }) {
    const removed = await cleanLabs({ all: flags.all });
    process.stdout.write(removed.length > 0 ? `removed: ${removed.join(', ')}\n` : 'nothing to remove\n');
  },
});

const check = defineCliCommand({
  command: 'lab/check',
  description: 'Build each scenario, check the service sees the expected source addresses, remove it.',
  positionals: { name: 'scenario', description: 'scenario names (default: all)', variadic: true },
  flags: {},
  async run({ positionals: names }) {
    const scenarios = names.length > 0 ? names.map(scenarioNamed) : SCENARIOS.map((s) => s.name);
    let failed = 0;
    for (const name of scenarios) {
      const started = Date.now();
      const lab = await startLab(name);
      const upMs = Date.now() - started;
      try {
        const results = await checkLab(lab);
        process.stdout.write(`${name} (up in ${upMs} ms)\n`);
        for (const r of results) {
          if (!r.pass) failed++;
          process.stdout.write(
            `  ${r.pass ? 'pass' : 'FAIL'}  ${r.expectation}${r.pass ? '' : ` — saw ${r.actual}`}\n`,
          );
        }
      } finally {
        await lab.close();
      }
    }
    if (failed > 0) {
      process.stdout.write(`${failed} expectation(s) failed\n`);
      process.exitCode = 1;
    }
  },
});

/** `iceleak lab …`: build, explore, check and clean the network lab. */
export default defineCommand({
  meta: { name: 'lab', description: 'Network namespaces that reproduce real networks (needs root).' },
  subCommands: { list, up, down, clean, check },
});
