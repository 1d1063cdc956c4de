/** Child processes, one way: spawn, wait for a JSON ready line, stop (SIGTERM, then SIGKILL), and never outlive the parent. */
export {
  type Child,
  type ChildExit,
  readyOnEvent,
  type StartChildOptions,
  startChild,
  startChildren,
} from './child.js';
export { nodeModuleArgv } from './node-module.js';
export { atProcessEnd } from './process-end.js';
export { type CommandResult, runCommand, runCommandSync } from './run-command.js';
export { type Bind, inNamespace, type SpawnChildOptions, spawnChild, withBinds } from './spawn.js';
