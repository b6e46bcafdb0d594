import type { CliIo } from '../../../src/cli/io.js';

/** A CliIo that keeps what a command writes, for the assertions. */
export interface CapturedIo extends CliIo {
  /** Everything written to stdout so far. */
  readonly out: () => string;
  /** Everything written to stderr so far. */
  readonly err: () => string;
}

/** Builds a CliIo working in `cwd` that captures stdout and stderr; `isTTY`, when given, is what stderr reports. */
export function captureIo(cwd: string, options: { readonly isTTY?: boolean } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }) },
    cwd,
    out: () => out,
    err: () => err,
  };
}
