import { IceleakError } from '../core/errors.js';

/**
 * Every value of a flag given more than once (`--listen A --listen B`, `--listen=A`):
 * citty keeps only the last one.
 */
export function allValues(rawArgs: readonly string[], flag: string, command: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === `--${flag}`) {
      const value = rawArgs[i + 1];
      if (value === undefined) throw new IceleakError('E_USAGE', `cli/${command}/--${flag}`, 'missing value');
      values.push(value);
      i++;
    } else if (arg.startsWith(`--${flag}=`)) {
      values.push(arg.slice(flag.length + 3));
    }
  }
  return values;
}
