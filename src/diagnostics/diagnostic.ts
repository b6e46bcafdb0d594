import { escapeControlCharacters } from '../text/control-characters.js';

/** How bad a finding is: errors fail the gate, warnings and notes are reported only. */
export type Severity = 'error' | 'warning' | 'note';

/**
 * One problem found in a rule, fixture, event file or mapping.
 * Lines and columns are 1-based, as compilers and SARIF count them.
 */
export interface Diagnostic {
  /** Stable identifier, `area/what`, e.g. `condition/undefined-identifier`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A place in a source file (1-based). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Builds a diagnostic at a position. */
export function createDiagnostic(
  file: string,
  position: Position,
  code: string,
  severity: Severity,
  message: string,
): Diagnostic {
  return { code, severity, message, file, line: position.line, column: position.column };
}

/** Orders diagnostics by file, then line and column, so output is stable whatever the walk order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Renders one diagnostic the way compilers do, on one line: `file:line:col severity code message`.
 * File names and messages carry user input, so control characters are shown escaped (terminal safety).
 */
export function formatDiagnostic(d: Diagnostic): string {
  return escapeControlCharacters(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
}
