import { resolve } from 'node:path';
import { condenseDiagnostics, formatHidden } from '../diagnostics/condense-diagnostics.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { formatAccountTotals, formatInputAccount, totalAccounts } from '../events/input-account.js';
import { propertyCheck } from '../harness/properties.js';
import { closeSqlCheck, sqlCheck } from '../harness/sql-check.js';
import { runTests } from '../harness/run-tests.js';
import { countLogSources, type RuleReport, type TestReport } from '../harness/test-report.js';
import { writeReports } from '../report/write-reports.js';
import { FileWriteError } from '../files/write-file-atomic.js';
import { escapeControlCharacters } from '../text/control-characters.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { describeWriteError, EXIT_IO, printText, writeWithBackPressure, type CliIo } from './io.js';
import { createTestProgress } from './test-progress.js';

/** Parses a whole non-negative number option, or reports it. */
function readCount(name: string, value: string | undefined): number | undefined | Error {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) return new Error(`--${name} takes a whole number, not '${value}'`);
  return Number(value);
}

/** Why the rule's golden check did not run (no rule-test.yml), or undefined when it ran. */
const goldenSkipped = (rule: RuleReport): string | undefined => rule.checks.find((check) => check.name === 'golden')?.skipped;

/**
 * The console lines of a rule: its verdict counts, coverage and property runs; then, indented, why it
 * did not load, what its tests lack, and how its golden event files were read.
 */
export function formatRuleLines(rule: RuleReport): string[] {
  const lines = [formatRuleLine(rule)];
  const indent = '      ';
  if (rule.loadError !== undefined) lines.push(`${indent}${rule.loadError}`);
  for (const gap of rule.gaps) lines.push(`${indent}gap: ${gap.message}${gap.fails ? '' : ' (allowed by dac.config.yml)'}`);
  if (rule.inputs.length > 0) {
    const totals = totalAccounts(rule.inputs);
    lines.push(`${indent}golden events: ${totals.files} file${totals.files === 1 ? '' : 's'}, ${formatAccountTotals(totals)}`);
    // Files with records no log source recognises or that could not be read are listed in full.
    for (const account of rule.inputs) {
      if (account.unrecognised.length > 0 || account.skipped.length > 0 || account.unreadable !== undefined) {
        lines.push(...formatInputAccount(account).split('\n').map((line) => `${indent}  ${line}`));
      }
    }
  }
  return lines;
}

/**
 * The line that counts the rules without golden events (no rule-test.yml in their test folder), or
 * nothing when every rule has them. A rule that did not load is counted with the failed rules, not here.
 */
export function describeUntestedRules(report: TestReport): string | undefined {
  const untested = report.rules.filter((rule) => rule.gaps.some((gap) => gap.kind === 'no-golden-events')).length;
  if (untested === 0) return undefined;
  return `${untested.toLocaleString('en-US')} of ${report.rules.length.toLocaleString('en-US')} rules have no golden events (no rule-test.yml in their test folder): they were validated and checked, not replayed`;
}

/** One console line per rule: its verdict counts (or that it has no golden events), coverage and property runs. */
export function formatRuleLine(rule: RuleReport): string {
  if (rule.loadError !== undefined && rule.cases.length === 0 && rule.coverage === undefined) {
    return ['FAIL', rule.file, 'did not load'].join('  ');
  }
  const { truePositives, trueNegatives, falsePositives } = rule.counts;
  const skipped = goldenSkipped(rule);
  const parts = [
    rule.passed ? 'PASS' : 'FAIL',
    escapeControlCharacters(rule.file),
    skipped !== undefined ? `no golden events (${skipped})` : `tp ${truePositives} tn ${trueNegatives} fp ${falsePositives}`,
    rule.coverage
      ? `coverage ${rule.coverage.percent}% (values ${rule.coverage.values.covered}/${rule.coverage.values.total}, conditions ${rule.coverage.conditions.covered}/${rule.coverage.conditions.total})`
      : 'coverage -',
    rule.properties ? `properties ${rule.properties.properties}x${rule.properties.runs} runs seed ${rule.properties.seed}` : 'properties -',
  ];
  return parts.join('  ');
}

/** The last line of a run: `2 rules: 1 passed, 1 failed`, with the gaps and the errors not tied to a rule. */
export function formatRunSummary(report: TestReport): string {
  const failed = report.rules.filter((rule) => !rule.passed).length;
  const withGaps = report.rules.filter((rule) => rule.gaps.length > 0).length;
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const parts = [`${report.rules.length} rule${report.rules.length === 1 ? '' : 's'}: ${report.rules.length - failed} passed, ${failed} failed`];
  if (withGaps > 0) parts.push(`${withGaps} with gaps in their tests`);
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'} outside the rules (see above)`);
  const sources = countLogSources(report.rules);
  if (sources.length > 0) parts.push(`${sources.length} log source${sources.length === 1 ? '' : 's'}: ${sources.map(([source, count]) => `${source} ${count}`).join(', ')}`);
  return parts.join('; ');
}

function formatFailures(report: TestReport): string {
  const lines: string[] = [];
  for (const rule of report.rules) {
    for (const failure of rule.failures) {
      lines.push(escapeControlCharacters(`${failure.file}:${failure.line}:${failure.column} ${failure.check}: ${failure.message}`));
      if (failure.details) lines.push(...failure.details.split('\n').map((line) => `    ${escapeControlCharacters(line)}`));
    }
  }
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

/** `dac test`'s options, read by the parser and printed by `--help`. */
export const testSpec = defineCommand({
  name: 'test',
  description: `Tests every rule of the repository (dac.config.yml says where they are): validation, golden replay
of its rule-test.yml, the test policy, logic coverage, property checks over generated process trees and
version bookkeeping. One line per rule on stdout, then every failure with its file, line and diff.
On a terminal, stderr shows which rule and check is running, with an estimate of the time left.`,
  options: {
    'report-dir': { type: 'string', value: 'DIR', help: 'write junit.xml, results.sarif, summary.md, report.html,\nnavigator-layer.json and report.json into DIR' },
    seed: { type: 'string', value: 'N', help: "the property checks' seed (default: dac.config.yml's)" },
    runs: { type: 'string', value: 'N', help: "generated cases per property (default: dac.config.yml's); past 12,500\nthe runs are split into shards on worker threads" },
    renderings: {
      type: 'string',
      choices: ['rotate', 'all'],
      help: 'rotate: each generated event is read back in one of the 8 renderings\nall: in every rendering (8 times the reading)',
    },
    update: { type: 'boolean', help: 'rewrite the verdicts of failing golden expectations, and print what changed' },
    'changed-since': { type: 'string', value: 'REF', help: 'test only the rules changed since the git ref REF' },
    verbose: { type: 'boolean', help: 'list every warning on the console, however many of one code (the reports always do)' },
  },
  exitStatus: '0 every rule passes, 1 a failure, 2 usage error',
});

/** `dac test`: golden replay, policy, coverage, properties and version bookkeeping for every rule. */
export async function runTest(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(testSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const seed = readCount('seed', values.seed);
  const runs = readCount('runs', values.runs);
  for (const count of [seed, runs]) {
    if (count instanceof Error) return reportUsageError(testSpec, count.message, io);
  }
  const renderings = values.renderings;
  if (runs === 0) return reportUsageError(testSpec, '--runs must be at least 1', io);
  const repoRoot = resolve(io.cwd);
  let onlyFiles: ReadonlySet<string> | undefined;
  if (values['changed-since'] !== undefined) {
    const { selectChangedRules } = await import('./changed-since.js');
    const changed = await selectChangedRules(values['changed-since'], repoRoot);
    // An unknown ref would otherwise select no rule, and a run of nothing would pass.
    if ('problem' in changed) return reportUsageError(testSpec, `--changed-since ${values['changed-since']}: ${changed.problem}`, io);
    onlyFiles = changed.files;
  }

  const progress = createTestProgress(io);
  const { report, changes, writeErrors } = await runTests({
    repoRoot,
    ...(progress ? { onProgress: progress.onProgress } : {}),
    ...(typeof seed === 'number' ? { seed } : {}),
    ...(typeof runs === 'number' ? { runs } : {}),
    ...(renderings !== undefined ? { renderings } : {}),
    update: values.update,
    extraChecks: [propertyCheck, sqlCheck],
    ...(onlyFiles ? { onlyFiles } : {}),
    ...(values['changed-since'] !== undefined ? { changedSince: values['changed-since'] } : {}),
  }).finally(() => progress?.stop());

  await closeSqlCheck();
  const out = (text: string): Promise<void> => writeWithBackPressure(io.stdout, text);
  // Rule files, messages and event values are user text: control characters are shown escaped.
  for (const rule of report.rules) await out(`${escapeControlCharacters(formatRuleLines(rule).join('\n'), { keepLineBreaks: true })}\n`);
  await out(formatFailures(report));
  // Every diagnostic is in the reports; on the console, past ten warnings of one code the rest are counted.
  const { shown, hidden } = values.verbose ? { shown: report.diagnostics, hidden: [] } : condenseDiagnostics(report.diagnostics);
  for (const line of [...shown.map(formatDiagnostic), ...hidden.map(formatHidden)]) io.stderr.write(`${line}\n`);
  for (const change of changes) {
    const what = `${escapeControlCharacters(change.file)} #${change.event}: ${change.from} -> ${change.to}`;
    await out(change.applied ? `updated ${what}\n` : `not updated ${what}; ${escapeControlCharacters(change.note ?? '')}\n`);
  }
  const ioErrors = writeErrors.map((error) => describeWriteError('test', error));
  if (values['report-dir'] !== undefined) {
    const dir = resolve(repoRoot, values['report-dir']);
    try {
      const written = await writeReports(report, dir, { repoRoot });
      printText(io.stderr, `reports: ${escapeControlCharacters(written.join(', '))}\n`);
    } catch (error) {
      if (!(error instanceof FileWriteError)) throw error;
      ioErrors.push(describeWriteError('test', error));
    }
  }
  const untested = describeUntestedRules(report);
  if (untested !== undefined) await out(`\n${untested}\n`);
  await out(`\n${formatRunSummary(report)}\n`);
  // A report or spec that could not be written is said last, where it is seen, and decides the status.
  for (const line of ioErrors) io.stderr.write(line);
  if (ioErrors.length > 0) return EXIT_IO;
  return report.passed ? 0 : 1;
}
