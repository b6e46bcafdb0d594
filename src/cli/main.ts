import { readFileSync } from 'node:fs';
import { FileWriteError } from '../files/write-file-atomic.js';
import { escapeControlCharacters } from '../text/control-characters.js';
import { type CliIo, type Command, describeWriteError, EXIT_CLOSED_PIPE, EXIT_INTERNAL, EXIT_IO, EXIT_OK, EXIT_USAGE } from './io.js';
import { createProcessIo } from './process-io.js';

/** A `dac` command as the table below lists it. */
interface CommandEntry {
  /** One line: what `dac help` says the command does. */
  readonly summary: string;
  /** Loads the command's module and returns its `run…` function. */
  readonly load: () => Promise<Command>;
}

/**
 * Every `dac` command. Modules are loaded only when their command runs, so `dac validate` does not pay
 * for the engine nor `dac scan` for ajv. To add a command: a module `src/cli/<name>.ts` that declares
 * its options with `defineCommand` (command-spec.ts) and exports `run<Name>(argv, io)`, which starts
 * with `parseCommandLine`; then one line here. Its `--help` and `dac help <name>` come from that declaration.
 */
const commands = {
  init: { summary: 'set dac up in a repository of Sigma rules: config, editor schemas, CI workflow, test folders', load: async () => (await import('./init.js')).runInit },
  validate: { summary: 'schema and lints on rule files', load: async () => (await import('./validate.js')).runValidate },
  test: { summary: 'golden replay, policy, coverage and property checks for every rule; writes the reports', load: async () => (await import('./test.js')).runTest },
  mutate: { summary: "prove each rule's tests kill its mutants (the rule with one plausible mistake)", load: async () => (await import('./mutate.js')).runMutate },
  scan: { summary: 'run rules over event files', load: async () => (await import('./scan.js')).runScan },
  predict: { summary: "does a rule's scenario spec predict its verdicts on captured events?", load: async () => (await import('./predict.js')).runPredict },
  lock: { summary: "record (or check) each rule's detection-logic hash in rules.lock.json", load: async () => (await import('./lock.js')).runLock },
  diff: { summary: 'what changed in detection since a git ref, and the semver bump it needs', load: async () => (await import('./diff.js')).runDiff },
  pack: { summary: 'build the versioned, reproducible rule pack', load: async () => (await import('./pack.js')).runPack },
  convert: { summary: 'the rules as queries of a SIEM or SQL engine (DuckDB, Spark, KQL, SPL, ES|QL)', load: async () => (await import('./convert.js')).runConvert },
  backtest: { summary: "the rules' SQL over NDJSON or Parquet in DuckDB, out of core", load: async () => (await import('./backtest.js')).runBacktest },
  new: { summary: 'start a rule from a category template, with its test folder, scenario skeleton and changeset', load: async () => (await import('./new.js')).runNew },
  golden: { summary: "copy captured events (or taxonomy events) into a rule's golden set", load: async () => (await import('./golden.js')).runGolden },
} satisfies Record<string, CommandEntry>;

type CommandName = keyof typeof commands;

const isCommandName = (name: string): name is CommandName => Object.hasOwn(commands, name);

/** The names of every `dac` command, in the order `dac help` lists them. */
export const listCommands = (): string[] => Object.keys(commands);

/** The text of `dac help`: every command with its summary. */
export function formatCommandList(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;
  const rows = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}${entry.summary}`);
  return `usage: dac <command> [options]

commands:
${rows.join('\n')}

exit status (every command): 0 ok, 1 failures found, 2 usage or unreadable input, 70 a bug in dac,
74 a file or standard output could not be written, 141 the reader of standard output went away

'dac <command> --help' (or 'dac help <command>') lists a command's options; 'dac --version' prints the version.
`;
}

/** The harness's own package.json, found next to its sources (not in the working directory). */
function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
  return `${manifest.name ?? 'dac'} ${manifest.version ?? 'unknown'}`;
}

/**
 * Runs `dac` with its arguments and returns the exit code. Whatever the command does, the end is one
 * of the documented statuses: a failed file write is one line and EXIT_IO, a closed pipe on standard
 * output ends quietly with EXIT_CLOSED_PIPE, any other failed write to standard output is one line and
 * EXIT_IO, and a bug is one line and EXIT_INTERNAL, never a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo = createProcessIo()): Promise<number> {
  const [name, ...rest] = argv;
  const status = await runCommand(name, rest, io);
  await io.stdout.finished?.();
  const failure = io.stdout.failure;
  if (failure?.code === 'EPIPE') return EXIT_CLOSED_PIPE;
  if (failure) {
    const hint = failure.code === 'EBADF'
      ? '; it was closed when dac started, or is /dev/null opened read-write: to discard output, redirect it with >/dev/null'
      : '';
    io.stderr.write(`dac${name !== undefined && isCommandName(name) ? ` ${name}` : ''}: cannot write to standard output: ${failure.message}${hint}\n`);
    return EXIT_IO;
  }
  return status;
}

/** Runs the command `name` (or help, or the version) and returns its status; a failed file write is EXIT_IO, a bug EXIT_INTERNAL. */
async function runCommand(name: string | undefined, rest: readonly string[], io: CliIo): Promise<number> {
  if (name === undefined) {
    io.stderr.write(formatCommandList());
    return EXIT_USAGE;
  }
  if (name === '--version' || name === '-v' || name === '-V') {
    io.stdout.write(`${readVersion()}\n`);
    return EXIT_OK;
  }
  let topic = name;
  let args = rest;
  if (name === 'help' || name === '--help' || name === '-h') {
    const [asked, ...extra] = rest;
    if (asked === undefined) {
      io.stdout.write(formatCommandList());
      return EXIT_OK;
    }
    if (!isCommandName(asked) || extra.length > 0) {
      io.stderr.write(`dac help: ${isCommandName(asked) ? 'name one command' : `unknown command '${escapeControlCharacters(asked)}'`}\n\n${formatCommandList()}`);
      return EXIT_USAGE;
    }
    topic = asked;
    args = ['--help'];
  }
  if (!isCommandName(topic)) {
    io.stderr.write(`dac: unknown command '${escapeControlCharacters(topic)}'\n\n${formatCommandList()}`);
    return EXIT_USAGE;
  }
  try {
    const command = await commands[topic].load();
    return await command(args, io);
  } catch (error) {
    if (error instanceof FileWriteError) {
      io.stderr.write(describeWriteError(topic, error));
      return EXIT_IO;
    }
    return reportInternalError(error, io);
  }
}

/** Reports a bug as one line (the stack only with DAC_DEBUG=1) and returns EXIT_INTERNAL. */
export function reportInternalError(error: unknown, io: Pick<CliIo, 'stderr'>): number {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`dac: internal error: ${escapeControlCharacters(message)}; please report it\n`);
  if (process.env.DAC_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_INTERNAL;
}
