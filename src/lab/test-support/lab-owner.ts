/**
 * A process that owns one lab and waits to be signalled: the e2e test kills it (SIGTERM, or
 * SIGKILL to fake a crash) and then checks what is left. Prints the lab as one JSON line when up.
 *
 * argv: SCENARIO
 */
import { startLab } from '../lab.js';
import { findScenario } from '../scenarios.js';

const scenario = findScenario(process.argv[2] ?? 'direct');
if (!scenario) throw new Error(`lab-owner: no scenario "${process.argv[2]}"`);
const lab = await startLab(scenario.name);
process.stdout.write(`${JSON.stringify({ id: lab.id, namespaces: lab.namespaces, pid: process.pid })}\n`);
// Stay alive until a signal arrives; the lab's own handlers do the cleanup.
setInterval(() => {}, 60_000);
