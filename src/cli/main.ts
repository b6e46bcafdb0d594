import { type CliIo, type Command, EXIT_USAGE, processIo } from './io.js';

// Commands are loaded lazily so `dac validate` does not pay for the engine and `dac scan` not for ajv.
const commands = {
  validate: async () => (await import('./validate.js')).runValidate,
  scan: async () => (await import('./scan.js')).runScan,
  test: async () => (await import('./test.js')).runTest,
  predict: async () => (await import('./predict.js')).runPredict,
  lock: async () => (await import('./lock.js')).runLock,
  diff: async () => (await import('./diff.js')).runDiff,
  pack: async () => (await import('./pack.js')).runPack,
  mutate: async () => (await import('./mutate.js')).runMutate,
} satisfies Record<string, () => Promise<Command>>;

type CommandName = keyof typeof commands;

const usage = `usage: dac <command> [options]

commands:
  validate [paths...] [--format text|json|sarif]   schema and lints on rule files
  scan --rules PATH [--rules PATH...] [--format ndjson|text] FILE...
                                                  run rules over event files
  test [--report-dir DIR] [--seed N] [--runs N] [--renderings rotate|all] [--update] [--changed-since REF]
                                                  golden replay, properties and coverage for every rule
  predict --rule FILE [--spec FOLDER] EVENTFILE...
                                                  does the rule's scenario spec predict its verdicts on real events?
  lock [--check]                                  record (or check) each rule's detection-logic hash
  diff REF                                        what changed in detection since REF, and the semver bump it needs
  pack [--out DIR]                                build the versioned, reproducible rule pack
  mutate [RULE...] [--changed-since REF] [--report-dir DIR]
                                                  prove each rule's tests kill its mutants (a broken rule)
`;

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** Runs `dac` with its arguments and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (!isCommandName(name)) {
    io.stderr.write(`dac: unknown command '${name}'\n\n${usage}`);
    return EXIT_USAGE;
  }
  const command = await commands[name]();
  return command(rest, io);
}
