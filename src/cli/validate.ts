import { stat } from 'node:fs/promises';
import path from 'node:path';
import { condenseDiagnostics, countByCode, formatHidden } from '../diagnostics/condense-diagnostics.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../harness/config.js';
import { loadMappings } from '../mapping/load-mappings.js';
import { toSarif } from '../report/sarif.js';
import { describeCode } from '../validate/describe-code.js';
import { validateFileSet } from '../validate/validate-files.js';
import { escapeControlCharacters, escapeJsonControlCharacters } from '../text/control-characters.js';
import { defineCommand, parseCommandLine } from './command-spec.js';
import { EXIT_USAGE, writeWithBackPressure, type CliIo } from './io.js';

/** The output formats of `dac validate`. */
export const VALIDATE_FORMATS = ['text', 'json', 'sarif'] as const;

/** One of `VALIDATE_FORMATS`. */
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/** Where `dac validate` looks when no path is given. */
export const DEFAULT_RULE_PATHS: readonly string[] = ['rules'];

/** `dac validate`'s options, read by the parser and printed by `--help`. */
export const validateSpec = defineCommand({
  name: 'validate',
  operands: '[paths...]',
  description: `Validates Sigma rules, correlation rules and filters (.yml/.yaml files; folders are walked)
against the Sigma JSON schemas and lints. Paths default to rules/.`,
  options: {
    format: {
      type: 'string',
      short: 'f',
      choices: VALIDATE_FORMATS,
      default: 'text',
      help: 'text: one "file:line:col severity code message" line each, warnings of one code\n  past the first ten counted in one line\njson: an array of {file,line,column,code,severity,message}, every one\nsarif: a SARIF 2.1.0 log, every diagnostic',
    },
    verbose: { type: 'boolean', help: 'text: list every warning, however many of one code' },
  },
  exitStatus: '0 no errors (warnings allowed), 1 errors found, 2 usage error or missing path',
});

const plural = (count: number, word: string): string => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

/** The one-line summary of a run: `3 files, 1 error, 2 warnings (2 tag/tactic-mismatch)`. */
export function summarizeRun(fileCount: number, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const byCode = warnings.length > 0 ? ` (${countByCode(warnings)})` : '';
  return `${plural(fileCount, 'file')}, ${plural(errors, 'error')}, ${plural(warnings.length, 'warning')}${byCode}`;
}

/** Renders diagnostics in the JSON contract of DESIGN.md: an array of `{file,line,column,code,severity,message}`. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map(({ file, line, column, code, severity, message }) => ({ file, line, column, code, severity, message }));
  return `${escapeJsonControlCharacters(JSON.stringify(rows, null, 2))}\n`;
}

/**
 * `dac validate [paths...] [--format text|json|sarif] [--verbose]`: schema and lints on rule files. Text goes
 * to stdout one diagnostic per line (condensed past ten warnings of one code unless --verbose) with a summary
 * on stderr; json and sarif write only the document to stdout, with every diagnostic.
 * Exit 0 without errors, 1 with any error, 2 for usage errors or a path that does not exist.
 */
export async function runValidate(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(validateSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const format = parsed.values.format;
  const paths = parsed.operands.length > 0 ? parsed.operands : DEFAULT_RULE_PATHS;
  const missing: string[] = [];
  for (const given of paths) {
    if (!(await stat(path.resolve(io.cwd, given)).catch(() => undefined))) missing.push(given);
  }
  if (missing.length > 0) {
    io.stderr.write(missing.map((given) => `dac validate: no such file or folder: ${escapeControlCharacters(given)}\n`).join(''));
    return EXIT_USAGE;
  }

  // With the mappings, a rule no mapping routes any event to gets a warning. Without paths, the
  // repository's own rules are validated as every command lists them (links out refused).
  const { config } = await loadConfig(io.cwd);
  const loaded = await loadMappings(config.mappings);
  const result = await validateFileSet(paths, { cwd: io.cwd, mapping: loaded.mappings, ...(parsed.operands.length === 0 ? { root: io.cwd } : {}) });
  const diagnostics = [...loaded.diagnostics, ...result.diagnostics];
  switch (format) {
    case 'text': {
      // People read text: past the first few warnings of one code, the rest are counted (never errors).
      const { shown, hidden } = parsed.values.verbose ? { shown: diagnostics, hidden: [] } : condenseDiagnostics(diagnostics);
      for (const line of [...shown.map(formatDiagnostic), ...hidden.map(formatHidden)]) await writeWithBackPressure(io.stdout, `${line}\n`);
      // The summary counts what was printed: when standard output failed, main says so instead.
      await io.stdout.finished?.();
      if (!io.stdout.failure) io.stderr.write(`${summarizeRun(result.files.length, diagnostics)}\n`);
      break;
    }
    case 'json':
      await writeWithBackPressure(io.stdout, renderJson(diagnostics));
      break;
    case 'sarif':
      await writeWithBackPressure(io.stdout, `${escapeJsonControlCharacters(JSON.stringify(toSarif(diagnostics, { describeRule: describeCode, sourceRoot: io.cwd }), null, 2))}\n`);
      break;
  }
  return hasErrors(diagnostics) ? 1 : 0;
}
