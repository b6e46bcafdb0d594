import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../harness/config.js';
import type { Failure } from '../harness/test-report.js';

/** Where a repository keeps its rules and their tests, and its package identity. */
export interface RepositoryLayout {
  readonly repoRoot: string;
  readonly rulesDir: string;
  readonly testsDir: string;
  readonly mappingsDir: string;
  /** package.json `name` and `version`; empty strings when unreadable (reported as diagnostics). */
  readonly packageName: string;
  readonly packageVersion: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads dac.config.yml (folders) and package.json (name, version) of a repository. */
export async function readRepositoryLayout(repoRoot: string): Promise<RepositoryLayout> {
  const { config, diagnostics } = await loadConfig(repoRoot);
  const problems: Diagnostic[] = [...diagnostics];
  let packageName = '';
  let packageVersion = '';
  try {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    if (typeof manifest.name === 'string') packageName = manifest.name;
    if (typeof manifest.version === 'string') packageVersion = manifest.version;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({ code: 'package/unreadable', severity: 'error', message: `cannot read package.json: ${reason}`, file: 'package.json', line: 1, column: 1 });
  }
  return { repoRoot, rulesDir: config.rules, testsDir: config.tests, mappingsDir: config.mappings, packageName, packageVersion, diagnostics: problems };
}

/** Writes diagnostics one per line; returns whether any is an error. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], out: { write(text: string): unknown }): boolean {
  for (const diagnostic of diagnostics) out.write(`${formatDiagnostic(diagnostic)}\n`);
  return hasErrors(diagnostics);
}

/** Renders a failure as `file:line:col error check message`, with its details indented below. */
export function formatFailure(failure: Failure): string {
  const head = `${failure.file}:${failure.line}:${failure.column} error ${failure.check} ${failure.message}`;
  if (failure.details === undefined) return head;
  return `${head}\n${failure.details.split('\n').map((line) => `    ${line}`).join('\n')}`;
}
