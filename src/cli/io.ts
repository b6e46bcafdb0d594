/** Where a command writes: injected so tests can capture output without spawning processes. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Working directory against which relative paths are resolved. */
  readonly cwd: string;
}

/** A `dac` subcommand: takes its own arguments, returns the process exit code. */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** The real process streams. */
export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
};

/** Exit status of a run that found nothing wrong. */
export const EXIT_OK = 0;

/** Exit status when the run found failures: a failing rule, an invalid rule, a verdict not predicted. */
export const EXIT_FAILURE = 1;

/** Exit status for usage errors and unreadable input (DESIGN's CLI contract). */
export const EXIT_USAGE = 2;
