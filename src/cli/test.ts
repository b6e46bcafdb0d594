import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { propertyCheck } from '../harness/properties.js';
import { runTests } from '../harness/run-tests.js';
import { countLogSources, type RuleReport, type TestReport } from '../harness/test-report.js';
import { writeReports } from '../report/write-reports.js';
import { EXIT_USAGE, type CliIo } from './io.js';

/** Parses a whole non-negative number option, or reports it. */
function readCount(name: string, value: string | undefined): number | undefined | Error {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) return new Error(`--${name} takes a whole number, not '${value}'`);
  return Number(value);
}

/** One console line per rule: its verdict counts, coverage and property runs. */
export function formatRuleLine(rule: RuleReport): string {
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

  for (const rule of report.rules) io.stdout.write(`${formatRuleLine(rule)}\n`);
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
  const failed = report.rules.filter((rule) => !rule.passed).length;
  const sources = countLogSources(report.rules);
  io.stdout.write(`\n${report.rules.length - failed} passed, ${failed} failed${sources.length > 0 ? ` (${report.rules.length} rule${report.rules.length === 1 ? '' : 's'} over ${sources.length} log source${sources.length === 1 ? '' : 's'}: ${sources.map(([source, count]) => `${source} ${count}`).join(', ')})` : ''}\n`);
  return report.passed ? 0 : 1;
}
