import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { toSarif } from '../report/sarif.js';
import { describeCode } from '../validate/describe-code.js';
import { validateFileSet } from '../validate/validate-files.js';
import { escapeControlCharacters, escapeJsonControlCharacters } from '../text/control-characters.js';
import { EXIT_USAGE, writeWithBackPressure, type CliIo } from './io.js';

/** The output formats of `dac validate`. */
export const VALIDATE_FORMATS = ['text', 'json', 'sarif'] as const;

/** One of `VALIDATE_FORMATS`. */
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/** Where `dac validate` looks when no path is given. */
export const DEFAULT_RULE_PATHS: readonly string[] = ['rules'];

const usage = `usage: dac validate [paths...] [--format text|json|sarif]

Validates Sigma rules, correlation rules and filters (.yml/.yaml files; folders are walked)
against the Sigma JSON schemas and lints. Paths default to rules/.

  -f, --format text|json|sarif   text: one "file:line:col severity code message" line each
                                 json: an array of {file,line,column,code,severity,message}
                                 sarif: a SARIF 2.1.0 log
  -h, --help                     show this help

exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or missing path
`;

const isFormat = (value: string): value is ValidateFormat => (VALIDATE_FORMATS as readonly string[]).includes(value);

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The one-line summary of a run: `3 files, 1 error, 2 warnings`. */
export function summarizeRun(fileCount: number, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${plural(fileCount, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** Renders diagnostics in the JSON contract of DESIGN.md: an array of `{file,line,column,code,severity,message}`. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map(({ file, line, column, code, severity, message }) => ({ file, line, column, code, severity, message }));
  return `${escapeJsonControlCharacters(JSON.stringify(rows, null, 2))}\n`;
}

/**
 * `dac validate [paths...] [--format text|json|sarif]`: schema and lints on rule files. Text goes to stdout
 * one diagnostic per line with a summary on stderr; json and sarif write only the document to stdout.
 * Exit 0 without errors, 1 with any error, 2 for usage errors or a path that does not exist.
 */
export async function runValidate(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`dac validate: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const format = parsed.values.format;
  if (!isFormat(format)) {
    io.stderr.write(`dac validate: unknown format '${format}'; use text, json or sarif\n\n${usage}`);
    return EXIT_USAGE;
  }
  const paths = parsed.positionals.length > 0 ? parsed.positionals : DEFAULT_RULE_PATHS;
  const missing: string[] = [];
  for (const given of paths) {
    if (!(await stat(path.resolve(io.cwd, given)).catch(() => undefined))) missing.push(given);
  }
  if (missing.length > 0) {
    io.stderr.write(missing.map((given) => `dac validate: no such file or folder: ${escapeControlCharacters(given)}\n`).join(''));
    return EXIT_USAGE;
  }

  // Without paths, the repository's own rules are validated as every command lists them (links out refused).
  const result = await validateFileSet(paths, { cwd: io.cwd, ...(parsed.positionals.length === 0 ? { root: io.cwd } : {}) });
  const { diagnostics } = result;
  switch (format) {
    case 'text':
      for (const d of diagnostics) await writeWithBackPressure(io.stdout, `${formatDiagnostic(d)}\n`);
      // The summary counts what was printed: when standard output failed, main says so instead.
      await io.stdout.finished?.();
      if (!io.stdout.failure) io.stderr.write(`${summarizeRun(result.files.length, diagnostics)}\n`);
      break;
    case 'json':
      await writeWithBackPressure(io.stdout, renderJson(diagnostics));
      break;
    case 'sarif':
      await writeWithBackPressure(io.stdout, `${escapeJsonControlCharacters(JSON.stringify(toSarif(diagnostics, { describeRule: describeCode, sourceRoot: io.cwd }), null, 2))}\n`);
      break;
  }
  return hasErrors(diagnostics) ? 1 : 0;
}
