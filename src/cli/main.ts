import { FileWriteError } from '../files/write-file-atomic.js';
import { escapeControlCharacters } from '../text/control-characters.js';
import { type CliIo, type Command, describeWriteError, EXIT_CLOSED_PIPE, EXIT_INTERNAL, EXIT_IO, EXIT_USAGE } from './io.js';
import { createProcessIo } from './process-io.js';

// Commands are loaded lazily so `dac validate` does not pay for the engine and `dac scan` not for ajv.
const commands = {
  validate: async () => (await import('./validate.js')).runValidate,
  scan: async () => (await import('./scan.js')).runScan,
  test: async () => (await import('./test.js')).runTest,
  predict: async () => (await import('./predict.js')).runPredict,
  lock: async () => (await import('./lock.js')).runLock,
  diff: async () => (await import('./diff.js')).runDiff,
  pack: async () => (await import('./pack.js')).runPack,
} satisfies Record<string, () => Promise<Command>>;

type CommandName = keyof typeof commands;

const usage = `usage: dac <command> [options]

commands:
  validate [paths...] [--format text|json|sarif]   schema and lints on rule files
  scan --rules PATH [--rules PATH...] [--format ndjson|text] INPUT...
                                                  run rules over event files, folders of them, or - (stdin)
  test [--report-dir DIR] [--seed N] [--runs N] [--renderings rotate|all] [--update] [--changed-since REF]
                                                  golden replay, properties and coverage for every rule
  predict --rule FILE [--spec FOLDER] EVENTFILE...
                                                  does the rule's scenario spec predict its verdicts on real events?
  lock [--check]                                  record (or check) each rule's detection-logic hash
  diff REF                                        what changed in detection since REF, and the semver bump it needs
  pack [--out DIR]                                build the versioned, reproducible rule pack

exit status (every command): 0 ok, 1 failures found, 2 usage or unreadable input, 70 a bug in dac,
74 a file or standard output could not be written, 141 the reader of standard output went away
`;

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/**
 * Runs `dac` with its arguments and returns the exit code. Whatever the command does, the end is one
 * of the documented statuses: a failed file write is one line and EXIT_IO, a closed pipe on standard
 * output ends quietly with EXIT_CLOSED_PIPE, any other failed write to standard output is one line and
 * EXIT_IO, and a bug is one line and EXIT_INTERNAL, never a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo = createProcessIo()): Promise<number> {
  const [name, ...rest] = argv;
  let status: number;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage);
    status = name === undefined ? EXIT_USAGE : 0;
  } else if (!isCommandName(name)) {
    io.stderr.write(`dac: unknown command '${escapeControlCharacters(name)}'\n\n${usage}`);
    status = EXIT_USAGE;
  } else {
    try {
      const command = await commands[name]();
      status = await command(rest, io);
    } catch (error) {
      if (error instanceof FileWriteError) {
        io.stderr.write(describeWriteError(name, error));
        status = EXIT_IO;
      } else {
        status = reportInternalError(error, io);
      }
    }
  }
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

/** Reports a bug as one line (the stack only with DAC_DEBUG=1) and returns EXIT_INTERNAL. */
export function reportInternalError(error: unknown, io: Pick<CliIo, 'stderr'>): number {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`dac: internal error: ${escapeControlCharacters(message)}; please report it\n`);
  if (process.env.DAC_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_INTERNAL;
}
