import { parseArgs } from 'node:util';
import { escapeControlCharacters } from '../text/control-characters.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

/**
 * One option of a `dac` command, declared once: the parser reads it (node:util parseArgs, strict) and
 * `--help` prints it, so the two never disagree.
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias: `-f` for `--format`. */
  readonly short?: string;
  /** Repeatable: every occurrence is kept, in order (an empty list when absent). */
  readonly multiple?: boolean;
  /** The value when the option is absent (string options only; a boolean is false when absent). */
  readonly default?: string;
  /** The option must be given; it is shown outside the brackets of the usage line. */
  readonly required?: boolean;
  /** The only values accepted; anything else is a usage error naming them. */
  readonly choices?: readonly string[];
  /** The value's name in the usage line and help (`DIR`, `N`, `REF`); choices are shown when absent. */
  readonly value?: string;
  /** What the option does: one line, or several separated by `\n`. */
  readonly help: string;
}

/** Everything `dac <command> --help` prints and the parser needs, declared next to the command. */
export interface CommandSpec<O extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>> {
  /** The command's name, as typed after `dac`. */
  readonly name: string;
  /** What follows the options in the usage line (`[paths...]`, `FILE...`); absent when the command takes no operands. */
  readonly operands?: string;
  /** What the command does, a paragraph or two; printed under the usage line. */
  readonly description: string;
  readonly options: O;
  /** The exit statuses, e.g. `0 no errors, 1 errors found, 2 usage error`. */
  readonly exitStatus: string;
}

type ValueOf<S extends OptionSpec> = S extends { readonly choices: readonly (infer C extends string)[] } ? C : string;

/** The parsed value of one option: booleans are false when absent, repeatable strings an empty list. */
export type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S extends { readonly multiple: true }
    ? ValueOf<S>[]
    : S extends { readonly default: string } | { readonly required: true }
      ? ValueOf<S>
      : ValueOf<S> | undefined;

/** The parsed values of a command's options, typed from its declaration. */
export type OptionValues<O extends Readonly<Record<string, OptionSpec>>> = { -readonly [K in keyof O]: OptionValue<O[K]> };

/** A command line that parsed: the options' values and the operands, in order. */
export interface CommandLine<O extends Readonly<Record<string, OptionSpec>>> {
  readonly values: OptionValues<O>;
  readonly operands: string[];
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

/** Declares a command; the `const` type parameter keeps each option's literal type, so its value is typed. */
export function defineCommand<const O extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<O>): CommandSpec<O> {
  if (Object.hasOwn(spec.options, 'help')) throw new Error(`dac ${spec.name}: --help is added to every command; do not declare it`);
  return spec;
}

const placeholder = (option: OptionSpec): string => option.value ?? option.choices?.join('|') ?? 'VALUE';

function formatFlag(name: string, option: OptionSpec): string {
  const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}`;
  return option.type === 'string' ? `${flag} ${placeholder(option)}` : flag;
}

/** The usage line: `usage: dac scan --rules PATH [options] FILE...`. */
export function formatUsageLine(spec: CommandSpec): string {
  const required = Object.entries(spec.options)
    .filter(([, option]) => option.required)
    .map(([name, option]) => `--${name}${option.type === 'string' ? ` ${placeholder(option)}` : ''}`);
  const optional = Object.values(spec.options).some((option) => !option.required);
  return ['usage: dac', spec.name, ...required, optional ? '[options]' : '', spec.operands ?? ''].filter(Boolean).join(' ');
}

/** The whole `--help` text: usage line, description, every option with its default, exit statuses. */
export function formatHelp(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.options), ['help', HELP_OPTION] as const].map(([name, option]) => {
    const notes = [
      option.multiple ? '(repeatable)' : '',
      option.default !== undefined ? `(default: ${option.default})` : '',
      option.required ? '(required)' : '',
    ].filter(Boolean);
    const lines = option.help.split('\n');
    if (notes.length > 0) lines[lines.length - 1] = `${lines[lines.length - 1]} ${notes.join(' ')}`;
    return { flag: formatFlag(name, option), lines };
  });
  const width = Math.max(...rows.map((row) => row.flag.length)) + 2;
  const options = rows.map(({ flag, lines }) =>
    lines.map((line, index) => `  ${(index === 0 ? flag : '').padEnd(width)}${line}`.trimEnd()).join('\n'),
  );
  return `${formatUsageLine(spec)}\n\n${spec.description.trim()}\n\noptions:\n${options.join('\n')}\n\nexit status: ${spec.exitStatus}\n`;
}

/** Writes a usage error the way every command does: the problem, the usage line, where the help is. */
export function reportUsageError(spec: CommandSpec, problem: string, io: CliIo): number {
  // The problem may quote what the user typed: control characters are shown escaped (terminal safety).
  io.stderr.write(`dac ${spec.name}: ${escapeControlCharacters(problem)}\n${formatUsageLine(spec)}\nrun 'dac ${spec.name} --help' to see every option\n`);
  return EXIT_USAGE;
}

/**
 * Parses a command's arguments by its declaration: unknown options, missing values, values outside
 * `choices`, missing required options and stray operands are usage errors (written to stderr, exit 2);
 * `-h`/`--help` prints the help to stdout (exit 0). Returns the exit code in those cases.
 */
export function parseCommandLine<O extends Readonly<Record<string, OptionSpec>>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  io: CliIo,
): CommandLine<O> | { readonly exit: number } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, option] of [...Object.entries(spec.options), ['help', HELP_OPTION] as const]) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: spec.operands !== undefined });
  } catch (error) {
    return { exit: reportUsageError(spec, error instanceof Error ? error.message : String(error), io) };
  }
  if (parsed.values['help'] === true) {
    io.stdout.write(formatHelp(spec));
    return { exit: EXIT_OK };
  }
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = parsed.values[name];
    if (option.type === 'boolean') {
      values[name] = given === true;
      continue;
    }
    const list = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(String);
    const outside = option.choices ? list.find((value) => !option.choices?.includes(value)) : undefined;
    if (outside !== undefined) {
      return { exit: reportUsageError(spec, `--${name} takes ${option.choices?.join(', ')}, not '${outside}'`, io) };
    }
    if (option.required && list.length === 0) return { exit: reportUsageError(spec, `--${name} ${placeholder(option)} is required`, io) };
    values[name] = option.multiple ? list : (list[0] ?? option.default);
  }
  return { values: values as OptionValues<O>, operands: parsed.positionals };
}
