/**
 * A process that owns a corpus lab (fixture-lab.ts) and waits to be killed: the e2e test
 * SIGKILLs it to fake a crashed scan test or benchmark, then checks `iceleak lab clean`.
 * Prints `{"netns":…}` once the fixture server and the STUN server are up.
 */
import { startFixtureLab } from '../fixture-lab.js';

const lab = await startFixtureLab(`crash${process.pid}`);
process.stdout.write(`${JSON.stringify({ netns: lab.netns })}\n`);
setInterval(() => {}, 60_000);
