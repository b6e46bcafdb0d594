import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { formatAccountTotals, formatInputAccount, totalAccounts } from '../events/input-account.js';
import { propertyCheck } from '../harness/properties.js';
import { runTests } from '../harness/run-tests.js';
import type { RuleReport, TestReport } from '../harness/test-report.js';
import { writeReports } from '../report/write-reports.js';
import { EXIT_USAGE, type CliIo } from './io.js';

/** Parses a whole non-negative number option, or reports it. */
function readCount(name: string, value: string | undefined): number | undefined | Error {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) return new Error(`--${name} takes a whole number, not '${value}'`);
  return Number(value);
}

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

/** One console line per rule: its verdict counts, coverage and property runs. */
export function formatRuleLine(rule: RuleReport): string {
  if (rule.loadError !== undefined && rule.cases.length === 0 && rule.coverage === undefined) {
    return ['FAIL', rule.file, 'did not load'].join('  ');
  }
  const { truePositives, trueNegatives, falsePositives } = rule.counts;
  const parts = [
    rule.passed ? 'PASS' : 'FAIL',
    rule.file,
    `tp ${truePositives} tn ${trueNegatives} fp ${falsePositives}`,
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
  return parts.join('; ');
}

function formatFailures(report: TestReport): string {
  const lines: string[] = [];
  for (const rule of report.rules) {
    for (const failure of rule.failures) {
      lines.push(`${failure.file}:${failure.line}:${failure.column} ${failure.check}: ${failure.message}`);
      if (failure.details) lines.push(...failure.details.split('\n').map((line) => `    ${line}`));
    }
  }
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

/** `dac test`: golden replay, policy, coverage, properties and version bookkeeping for every rule. */
export async function runTest(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'report-dir': { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        renderings: { type: 'string' },
        update: { type: 'boolean', default: false },
        'changed-since': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(`dac test: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  const seed = readCount('seed', values.seed);
  const runs = readCount('runs', values.runs);
  for (const parsed of [seed, runs]) {
    if (parsed instanceof Error) {
      io.stderr.write(`dac test: ${parsed.message}\n`);
      return EXIT_USAGE;
    }
  }
  const renderings = values.renderings;
  if (renderings !== undefined && renderings !== 'rotate' && renderings !== 'all') {
    io.stderr.write(`dac test: --renderings takes 'rotate' or 'all', not '${renderings}'\n`);
    return EXIT_USAGE;
  }
  if (runs === 0) {
    io.stderr.write('dac test: --runs must be at least 1\n');
    return EXIT_USAGE;
  }
  const repoRoot = resolve(io.cwd);
  let onlyFiles: ReadonlySet<string> | undefined;
  if (values['changed-since'] !== undefined) {
    const { listChangedRules } = await import('../version/changed-rules.js');
    try {
      const changed = await listChangedRules(values['changed-since'], repoRoot);
      onlyFiles = new Set(changed.files);
    } catch (error) {
      io.stderr.write(`dac test: --changed-since ${values['changed-since']}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }

  const { report, changes } = await runTests({
    repoRoot,
    ...(typeof seed === 'number' ? { seed } : {}),
    ...(typeof runs === 'number' ? { runs } : {}),
    ...(renderings !== undefined ? { renderings } : {}),
    update: values.update,
    extraChecks: [propertyCheck],
    ...(onlyFiles ? { onlyFiles } : {}),
    ...(values['changed-since'] !== undefined ? { changedSince: values['changed-since'] } : {}),
  });

  for (const rule of report.rules) io.stdout.write(`${formatRuleLines(rule).join('\n')}\n`);
  io.stdout.write(formatFailures(report));
  for (const diagnostic of report.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  for (const change of changes) {
    io.stdout.write(change.applied
      ? `updated ${change.file} #${change.event}: ${change.from} -> ${change.to}\n`
      : `not updated ${change.file} #${change.event}: ${change.from} -> ${change.to}; ${change.note ?? ''}\n`);
  }
  if (values['report-dir'] !== undefined) {
    const dir = resolve(repoRoot, values['report-dir']);
    const written = await writeReports(report, dir, { repoRoot });
    await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    io.stderr.write(`reports: ${[...written, join(dir, 'report.json')].join(', ')}\n`);
  }
  io.stdout.write(`\n${formatRunSummary(report)}\n`);
  return report.passed ? 0 : 1;
}
