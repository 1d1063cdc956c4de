import { describe, expect, it } from 'vitest';
import { isIceleakError } from '../core/errors.js';
import { AUDIT } from './commands/audit.js';
import { SERVE } from './commands/serve.js';
import {
  type CommandLineSpec,
  cittyArgs,
  envVarOf,
  type FlagTable,
  integerIn,
  listFlag,
  optionalValueFlag,
  parseBoolean,
  parseCommandLine,
  parsePort,
  parseText,
  portFlag,
  stringFlag,
  switchFlag,
  valueFlag,
} from './options.js';

const SPEC = {
  command: 'demo',
  flags: {
    name: stringFlag('a name'),
    count: valueFlag(integerIn(1, 9), 'a count', { default: '3' }),
    port: portFlag('a port', { default: '8080' }),
    tag: listFlag(parseText, 'tags'),
    on: switchFlag('on by default', { default: true }),
    verbose: switchFlag('off by default'),
    trust: optionalValueFlag((text) => text, 'alone or with a value', { default: 'false' }),
  },
};

/** The E_USAGE error `run` throws, or a failure naming what it returned instead. */
function usageError(run: () => unknown): { place: string; message: string } {
  try {
    const value = run();
    throw new Error(`no error; got ${JSON.stringify(value)}`);
  } catch (error) {
    if (!isIceleakError(error, 'E_USAGE')) throw error;
    return { place: error.place, message: error.message };
  }
}

describe('parseCommandLine', () => {
  it('gives every flag its default when nothing is typed', () => {
    expect(parseCommandLine(SPEC, []).flags).toEqual({
      name: undefined,
      count: 3,
      port: 8080,
      tag: [],
      on: true,
      verbose: false,
      trust: 'false',
    });
  });

  it.each([
    [['--name', 'x'], { name: 'x' }],
    [['--name=x'], { name: 'x' }],
    [['--name=-x'], { name: '-x' }],
    [['--name', 'a', '--name', 'b'], { name: 'b' }],
    [['--count', '7'], { count: 7 }],
    [['--tag', 'a,b', '--tag=c', '--tag', ' d '], { tag: ['a', 'b', 'c', 'd'] }],
    [['--no-on'], { on: false }],
    [['--on=false'], { on: false }],
    [['--verbose'], { verbose: true }],
    [['--trust'], { trust: 'true' }],
    [['--trust', '2'], { trust: '2' }],
    [['--trust=10.0.0.0/8'], { trust: '10.0.0.0/8' }],
    [['--trust', '--name', 'x'], { trust: 'true', name: 'x' }],
  ])('%j', (args, values) => {
    expect(parseCommandLine(SPEC, args).flags).toMatchObject(values);
  });

  it('never takes an argument starting with "-" as a value', () => {
    expect(usageError(() => parseCommandLine(SPEC, ['--name', '--verbose']))).toEqual({
      place: 'cli/demo/--name',
      message: 'cli/demo/--name: --name needs a value',
    });
    expect(usageError(() => parseCommandLine(SPEC, ['--count'])).place).toBe('cli/demo/--count');
  });

  it.each([
    [['--nmae', 'x'], 'cli/demo', /unknown flag --nmae/],
    [['-n'], 'cli/demo', /unknown flag -n/],
    [['--no-name'], 'cli/demo', /unknown flag --no-name/],
    [['--no-on=1'], 'cli/demo', /unknown flag --no-on/],
    [['stray'], 'cli/demo', /unexpected argument "stray"/],
    [['--', '--verbose'], 'cli/demo', /unexpected argument "--verbose"/],
    [['--count', '0'], 'cli/demo/--count', /"0": expected a whole number from 1 to 9/],
    [['--port', '65536'], 'cli/demo/--port', /port must be 0-65535/],
    [['--on=maybe'], 'cli/demo/--on', /expected true or false/],
    [['--name='], 'cli/demo/--name', /needs a value/],
  ])('%j is a usage error at %s', (args, place, message) => {
    const error = usageError(() => parseCommandLine(SPEC, args));
    expect(error.place).toBe(place);
    expect(error.message).toMatch(message);
  });

  it('takes positional arguments only as the command declares them', () => {
    const one = { ...SPEC, positionals: { name: 'id', description: 'an id', required: true } };
    expect(parseCommandLine(one, ['a1', '--verbose']).positionals).toEqual(['a1']);
    expect(usageError(() => parseCommandLine(one, ['a1', 'b2'])).message).toMatch(/unexpected argument "b2"/);
    expect(usageError(() => parseCommandLine(one, [])).message).toMatch(/missing ID/);
    const many = { ...SPEC, positionals: { name: 'urls', description: 'URLs', variadic: true } };
    expect(parseCommandLine(many, ['u1', '--name', 'x', 'u2', '--', '-u3']).positionals).toEqual([
      'u1',
      'u2',
      '-u3',
    ]);
  });
});

describe('environment variables', () => {
  const withEnv = { ...SPEC, envPrefix: 'DEMO_' };

  it('are named after the flag as typed to change its default', () => {
    expect(Object.entries(SPEC.flags).map(([name, flag]) => envVarOf('DEMO_', name, flag))).toEqual([
      'DEMO_NAME',
      'DEMO_COUNT',
      'DEMO_PORT',
      'DEMO_TAG',
      'DEMO_NO_ON',
      'DEMO_VERBOSE',
      'DEMO_TRUST',
    ]);
  });

  it('fill every flag not typed, parsed like the flag, with errors naming the variable', () => {
    const env = { DEMO_NAME: 'e', DEMO_COUNT: '5', DEMO_TAG: 'a, b', DEMO_NO_ON: 'yes', DEMO_VERBOSE: '1' };
    expect(parseCommandLine(withEnv, ['--count', '2'], env).flags).toMatchObject({
      name: 'e',
      count: 2,
      tag: ['a', 'b'],
      on: false,
      verbose: true,
    });
    expect(parseCommandLine(withEnv, [], { DEMO_NAME: '' }).flags.name).toBeUndefined();
    expect(usageError(() => parseCommandLine(withEnv, [], { DEMO_PORT: 'x' })).place).toBe(
      'cli/demo/DEMO_PORT',
    );
  });

  it('are read only by a command that has a prefix', () => {
    expect(parseCommandLine(SPEC, [], { DEMO_NAME: 'e' }).flags.name).toBeUndefined();
  });

  it('are named in --help', () => {
    const args = cittyArgs(withEnv);
    expect(args['tag']?.description).toBe('tags (DEMO_TAG, comma-separated)');
    expect(args['on']).toMatchObject({
      type: 'boolean',
      default: true,
      description: 'on by default (DEMO_NO_ON=1)',
    });
  });
});

describe('parsers', () => {
  it.each(['1', 'true', 'YES', 'on'])('%s is true', (text) => expect(parseBoolean(text, 'x')).toBe(true));
  it.each(['0', 'false', 'no', 'Off'])('%s is false', (text) => expect(parseBoolean(text, 'x')).toBe(false));
  it.each(['-1', '1.5', '', ' ', '1e3', '99999999999999999'])('integer %j is refused', (text) => {
    expect(() => integerIn(0)(text, 'x')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
  it.each(['0', '65535'])('port %s is a port', (text) => expect(parsePort(text, 'x')).toBe(Number(text)));
});

describe('the command tables', () => {
  it.each<CommandLineSpec<FlagTable>>([SERVE, AUDIT])(
    '$command parses with nothing typed (its defaults are valid)',
    (spec) => {
      expect(() => parseCommandLine(spec, [], {})).not.toThrow();
    },
  );
});
