/**
 * A parent for the tests of src/process/: starts one child through `startChild` (a Node
 * process that prints a ready line, then waits), prints `{"child":<pid>}` and then ends the
 * way argv[2] says, so the test can check that the child did not outlive it.
 *
 * argv: wait | throw | exit | handled
 *   wait     stay alive until a signal arrives (the test sends SIGTERM, SIGINT or SIGHUP)
 *   throw    throw an uncaught exception
 *   exit     call process.exit(3)
 *   handled  handle SIGINT itself and exit a moment later, the way `iceleak audit` does
 */
import { readyOnEvent, startChild } from '../child.js';

const WAITER = `console.log(JSON.stringify({ event: 'ready' })); setInterval(() => {}, 60_000);`;
const mode = process.argv[2] ?? 'wait';

const child = await startChild({
  name: 'waiter',
  place: 'process/test',
  code: 'E_TEST',
  argv: [process.execPath, '-e', WAITER],
  ready: readyOnEvent('ready'),
});
if (mode === 'handled') process.on('SIGINT', () => setTimeout(() => process.exit(0), 200));
process.stdout.write(`${JSON.stringify({ child: child.pid })}\n`);
if (mode === 'throw')
  setTimeout(() => {
    throw new Error('the owner crashed');
  }, 10);
else if (mode === 'exit') setTimeout(() => process.exit(3), 10);
else setInterval(() => {}, 60_000);
