import { readFileSync } from 'node:fs';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, processIo } from './io.js';

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

'dac <command> --help' (or 'dac help <command>') lists a command's options; 'dac --version' prints the version.
`;
}

/** The harness's own package.json, found next to its sources (not in the working directory). */
function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
  return `${manifest.name ?? 'dac'} ${manifest.version ?? 'unknown'}`;
}

/** Runs `dac` with its arguments and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(formatCommandList());
    return EXIT_USAGE;
  }
  if (name === '--version' || name === '-v' || name === '-V') {
    io.stdout.write(`${readVersion()}\n`);
    return EXIT_OK;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const [topic, ...extra] = rest;
    if (topic === undefined) {
      io.stdout.write(formatCommandList());
      return EXIT_OK;
    }
    if (!isCommandName(topic) || extra.length > 0) {
      io.stderr.write(`dac help: ${isCommandName(topic) ? 'name one command' : `unknown command '${topic}'`}\n\n${formatCommandList()}`);
      return EXIT_USAGE;
    }
    return (await commands[topic].load())(['--help'], io);
  }
  if (!isCommandName(name)) {
    io.stderr.write(`dac: unknown command '${name}'\n\n${formatCommandList()}`);
    return EXIT_USAGE;
  }
  const command = await commands[name].load();
  return command(rest, io);
}
