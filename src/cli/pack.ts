import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TestReport } from '../harness/test-report.js';
import { buildPack } from '../pack/build-pack.js';
import { printDiagnostics, readRepositoryLayout } from '../version/repository.js';
import { defineCommand, parseCommandLine } from './command-spec.js';
import { printText, type CliIo } from './io.js';

/** `dac pack`'s options, read by the parser and printed by `--help`. */
export const packSpec = defineCommand({
  name: 'pack',
  description: `Builds DIR/<name>-rules-<version>.tgz, an npm package of the rules and the filters as YAML and
JSON, each rule's queries per target (queries/<target>/<profile>/), LICENSE, ATTRIBUTION.md,
manifest.json, SHA256SUMS and a README, and DIR/<archive>.sha256 beside it. The same commit builds
the same bytes.`,
  options: {
    out: { type: 'string', value: 'DIR', default: 'dist', help: 'where the archive and its checksum go' },
    report: { type: 'string', value: 'PATH', help: 'a `dac test` report (JSON) whose per-rule results go into the manifest; a rule whose\nbytes differ from those the report tested is packed as untested' },
  },
  exitStatus: '0 built, 1 a rule or the report is broken, 2 usage error or unreadable package.json',
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a TestReport JSON file, checking the shape the manifest relies on. */
export async function readTestReport(path: string, display: string): Promise<{ report?: TestReport; diagnostics: Diagnostic[] }> {
  const at = { line: 1, column: 1 };
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { diagnostics: [createDiagnostic(display, at, 'report/unreadable', 'error', `cannot read the test report: ${reason}`)] };
  }
  const shaped =
    isRecord(value) &&
    isRecord(value.pack) &&
    typeof value.passed === 'boolean' &&
    Array.isArray(value.rules) &&
    value.rules.every((rule) => isRecord(rule) && typeof rule.id === 'string' && Array.isArray(rule.checks) && isRecord(rule.counts) && typeof rule.passed === 'boolean');
  if (!shaped) {
    return { diagnostics: [createDiagnostic(display, at, 'report/malformed', 'error', 'the file is not a `dac test` report: it needs pack, passed and rules (each with id, passed, checks and counts)')] };
  }
  return { report: value as unknown as TestReport, diagnostics: [] };
}

/** `dac pack`: builds the versioned, reproducible rule pack. */
export async function runPack(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(packSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const layout = await readRepositoryLayout(io.cwd);
  if (printDiagnostics(layout.diagnostics, io.stderr)) return 2;
  if (layout.packageName === '' || layout.packageVersion === '') {
    printText(io.stderr, 'dac pack: package.json needs a name and a version: the pack is named and versioned after them\n');
    return 2;
  }
  let report: TestReport | undefined;
  if (values.report !== undefined) {
    const read = await readTestReport(resolve(io.cwd, values.report), values.report);
    if (printDiagnostics(read.diagnostics, io.stderr)) return 2;
    report = read.report;
    if (report && !report.passed) printText(io.stderr, `dac pack: warning: ${values.report} records failing tests; the manifest says so per rule\n`);
    if (report && report.pack.version !== layout.packageVersion) {
      printText(io.stderr, `dac pack: warning: ${values.report} is for version ${report.pack.version}, the pack is ${layout.packageVersion}\n`);
    }
  }
  let license: string | undefined;
  try {
    const manifest = JSON.parse(await readFile(resolve(io.cwd, 'package.json'), 'utf8')) as { license?: unknown };
    if (typeof manifest.license === 'string') license = manifest.license;
  } catch {
    // readRepositoryLayout already reported an unreadable package.json.
  }
  // The filters folder dac.config.yml names ships with the rules (and tunes their queries).
  const { loadConfig } = await import('../harness/config.js');
  const { config } = await loadConfig(io.cwd);
  const built = await buildPack({
    filtersDir: config.filters,
    repoRoot: io.cwd,
    outDir: values.out,
    rulesDir: layout.rulesDir,
    packageName: layout.packageName,
    packageVersion: layout.packageVersion,
    ...(license !== undefined ? { license } : {}),
    ...(report !== undefined ? { report } : {}),
  });
  const failed = printDiagnostics(built.diagnostics, io.stderr);
  if (failed || built.pack === undefined) {
    printText(io.stderr, 'dac pack: no pack written; fix the problems above first\n');
    return 1;
  }
  const shown = (path: string): string => relative(io.cwd, path).split('\\').join('/');
  printText(io.stdout, 
    `${shown(built.pack.archive)}: ${built.pack.name}@${built.pack.version}, ${built.pack.manifest.rules.length} rule(s), ${built.pack.files.length} files\n` +
    `sha256 ${built.pack.sha256} (${shown(built.pack.checksumFile)})\n`,
  );
  return 0;
}
