import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineCommand, formatHelp, formatUsageLine, parseCommandLine } from '../../../src/cli/command-spec.js';
import { captureIo } from './capture-io.js';

const spec = defineCommand({
  name: 'demo',
  operands: 'FILE...',
  description: 'Demonstrates the option declarations.',
  options: {
    rules: { type: 'string', short: 'r', multiple: true, required: true, value: 'PATH', help: 'a rule file or folder' },
    format: { type: 'string', short: 'f', choices: ['ndjson', 'text'], default: 'ndjson', help: 'ndjson: one object per match\ntext: one line per match' },
    seed: { type: 'string', value: 'N', help: 'the seed' },
    update: { type: 'boolean', help: 'rewrite what failed' },
  },
  exitStatus: '0 ran, 2 usage error',
});

const parse = (argv: string[]) => {
  const io = captureIo('/');
  return { io, result: parseCommandLine(spec, argv, io) };
};

describe('parseCommandLine', () => {
  it('types and fills every value from the declaration', () => {
    const { result } = parse(['-r', 'a', '--rules', 'b', 'x.evtx', '--update', 'y.xml']);
    if ('exit' in result) throw new Error('expected a parsed command line');
    expect(result.values).toEqual({ rules: ['a', 'b'], format: 'ndjson', seed: undefined, update: true });
    expect(result.operands).toEqual(['x.evtx', 'y.xml']);
    expectTypeOf(result.values.format).toEqualTypeOf<'ndjson' | 'text'>();
    expectTypeOf(result.values.rules).toEqualTypeOf<string[]>();
    expectTypeOf(result.values.seed).toEqualTypeOf<string | undefined>();
    expectTypeOf(result.values.update).toEqualTypeOf<boolean>();
  });

  it.each([
    [['-r', 'a', '--bogus'], /^dac demo: Unknown option '--bogus'/],
    [['-r', 'a', '--format', 'xml'], /^dac demo: --format takes ndjson, text, not 'xml'/],
    [['x.evtx'], /^dac demo: --rules PATH is required/],
    [['-r'], /^dac demo: Option '-r, --rules <value>' argument missing/],
  ])('refuses %j with the problem, the usage line and where help is (exit 2)', (argv, problem) => {
    const { io, result } = parse(argv);
    expect(result).toEqual({ exit: 2 });
    expect(io.err()).toMatch(problem);
    expect(io.err()).toContain('\nusage: dac demo --rules PATH [options] FILE...\n');
    expect(io.err()).toContain("run 'dac demo --help' to see every option");
    expect(io.out()).toBe('');
  });

  it('refuses operands when the command declares none', () => {
    const io = captureIo('/');
    const none = defineCommand({ name: 'none', description: 'd', options: {}, exitStatus: '0' });
    expect(parseCommandLine(none, ['stray'], io)).toEqual({ exit: 2 });
    expect(io.err()).toContain("Unexpected argument 'stray'");
  });

  it('prints the help on -h and --help, to stdout, exit 0', () => {
    for (const flag of ['-h', '--help']) {
      const { io, result } = parse([flag]);
      expect(result).toEqual({ exit: 0 });
      expect(io.out()).toBe(formatHelp(spec));
      expect(io.err()).toBe('');
    }
  });
});

describe('formatHelp', () => {
  it('lists every declared option, its value, default and repeatability, plus --help', () => {
    expect(formatHelp(spec)).toBe(`usage: dac demo --rules PATH [options] FILE...

Demonstrates the option declarations.

options:
  -r, --rules PATH          a rule file or folder (repeatable) (required)
  -f, --format ndjson|text  ndjson: one object per match
                            text: one line per match (default: ndjson)
      --seed N              the seed
      --update              rewrite what failed
  -h, --help                show this help

exit status: 0 ran, 2 usage error
`);
  });

  it('leaves [options] and operands out of the usage line when there are none', () => {
    const bare = defineCommand({ name: 'bare', description: 'd', options: { out: { type: 'string', required: true, value: 'DIR', help: 'where' } }, exitStatus: '0' });
    expect(formatUsageLine(bare)).toBe('usage: dac bare --out DIR');
  });

  it('refuses a declared --help: every command has it already', () => {
    expect(() => defineCommand({ name: 'x', description: 'd', options: { help: { type: 'boolean', help: 'h' } }, exitStatus: '0' })).toThrow(/--help is added/);
  });
});
