import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { countLogSources, type RuleReport, type TestReport } from '../harness/test-report.js';
import { formatAccountTotals, formatInputAccount, totalAccounts } from '../events/input-account.js';
import { escapeControlCharacters } from '../text/control-characters.js';
import { chooseCodeFence, escapeMarkdownCell, truncateText } from './escape.js';

/** Limits that keep the summary under GitHub's 1 MiB job-summary cap however many rules fail. */
export interface MarkdownLimits {
  /** Characters of details shown per failure. */
  readonly detailChars: number;
  /** Lines of details shown per failure. */
  readonly detailLines: number;
  /** Characters after which further failures and diagnostics are only counted. */
  readonly totalChars: number;
}

/** The default limits: GitHub refuses job summaries above 1 MiB, so stop well below it. */
export const DEFAULT_MARKDOWN_LIMITS: MarkdownLimits = { detailChars: 4000, detailLines: 60, totalChars: 800_000 };

/** Totals of a run, as the header line states them. */
export interface RunCounts {
  readonly rules: number;
  readonly rulesPassed: number;
  readonly rulesFailed: number;
  /** Rules that did not load, parse, compile or validate (counted among the failed). */
  readonly rulesNotLoaded: number;
  /** Rules whose tests lack golden events or a scenario spec. */
  readonly rulesWithGaps: number;
  readonly checks: number;
  readonly checksFailed: number;
  readonly checksSkipped: number;
  readonly failures: number;
  readonly errors: number;
  readonly warnings: number;
}

/** Counts rules, checks, failures and diagnostics of a run. */
export function countRun(report: TestReport): RunCounts {
  let checks = 0;
  let checksFailed = 0;
  let checksSkipped = 0;
  let failures = 0;
  for (const rule of report.rules) {
    checks += rule.checks.length;
    checksFailed += rule.checks.filter((c) => !c.passed && c.skipped === undefined).length;
    checksSkipped += rule.checks.filter((c) => c.skipped !== undefined).length;
    failures += rule.failures.length;
  }
  return {
    rules: report.rules.length,
    rulesPassed: report.rules.filter((r) => r.passed).length,
    rulesFailed: report.rules.filter((r) => !r.passed).length,
    rulesNotLoaded: report.rules.filter((r) => r.loadError !== undefined).length,
    rulesWithGaps: report.rules.filter((r) => r.gaps.length > 0).length,
    checks,
    checksFailed,
    checksSkipped,
    failures,
    errors: report.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: report.diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

/** The run's rule counts as every report words them: `2 rules: 1 passed, 1 failed (1 did not load); 1 with gaps`. */
export function describeRuleCounts(counts: RunCounts): string {
  const notLoaded = counts.rulesNotLoaded > 0 ? ` (${counts.rulesNotLoaded} did not load)` : '';
  const gaps = counts.rulesWithGaps > 0 ? `; ${counts.rulesWithGaps} with gaps in their tests` : '';
  return `${pluralize(counts.rules, 'rule')}: ${counts.rulesPassed} passed, ${counts.rulesFailed} failed${notLoaded}${gaps}`;
}

/** Renders the run as GitHub-flavoured Markdown for a CI job summary. */
export function renderMarkdownSummary(report: TestReport, limits: MarkdownLimits = DEFAULT_MARKDOWN_LIMITS): string {
  const counts = countRun(report);
  const pack = escapeMarkdownCell(`${report.pack.name} ${report.pack.version}`);
  const verdict = report.passed ? '✅ PASS' : '❌ FAIL';
  const out: string[] = [
    `## ${verdict}: ${pack}: ${describeRuleCounts(counts)}; ${pluralize(counts.failures, 'failure')}`,
    '',
    [
      `${pluralize(counts.checks, 'check')} (${counts.checksFailed} failed, ${counts.checksSkipped} skipped)`,
      `${pluralize(counts.errors, 'error')} and ${pluralize(counts.warnings, 'warning')} in diagnostics`,
    ].join(' · '),
    '',
  ];
  const sources = countLogSources(report.rules);
  if (sources.length > 0) {
    out.push(`${pluralize(report.rules.length, 'rule')} over ${pluralize(sources.length, 'log source')}: ${sources.map(([source, count]) => `\`${escapeCodeSpanCell(source)}\` (${count})`).join(', ')}`, '');
  }
  if (report.rules.length > 0) {
    out.push(
      '| Status | Rule | Level | True positives | True negatives | Documented false positives | Coverage | Property runs | Seed |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    // Failing rules always get their row; passing ones only while the table stays within half the
    // budget, so a pack of thousands of rules still leaves room for the failures.
    let tableBudget = limits.totalChars / 2;
    let passingOmitted = 0;
    for (const rule of report.rules) {
      const row = renderRuleRow(rule);
      if (rule.passed && row.length > tableBudget) {
        passingOmitted += 1;
        continue;
      }
      tableBudget -= row.length;
      out.push(row);
    }
    out.push('');
    if (passingOmitted > 0) out.push(`*${pluralize(passingOmitted, 'more passing rule')} not listed here; see report.html.*`, '');
  }
  const gapLines = report.rules.flatMap((rule) =>
    rule.gaps.map((gap) => `- ${gap.fails ? '❌' : '⚠️'} ${escapeMarkdownCell(rule.title)} (\`${escapeCodeSpan(rule.file)}\`): ${escapeMarkdownCell(gap.message)}${gap.fails ? ' (fails: dac.config.yml policy)' : ' (allowed by dac.config.yml)'}`),
  );
  if (gapLines.length > 0) out.push('### Gaps in the tests', '', ...gapLines, '');
  out.push(...renderGoldenInputs(report));
  out.push(...renderMutationTable(report.rules, limits));
  let budget = limits.totalChars - out.join('\n').length;
  const failing = report.rules.filter((r) => r.failures.length > 0);
  if (failing.length > 0) {
    out.push('### Failures', '');
    let omitted = 0;
    for (const rule of failing) {
      for (const failure of rule.failures) {
        const block = renderFailure(rule, failure, limits);
        if (block.length > budget) {
          omitted += 1;
          continue;
        }
        budget -= block.length;
        out.push(block);
      }
    }
    if (omitted > 0) out.push(`*${omitted} more failures not shown here; see report.html or junit.xml.*`, '');
  }
  if (report.diagnostics.length > 0) {
    out.push('### Diagnostics', '', '| Severity | Location | Code | Message |', '| --- | --- | --- | --- |');
    let omitted = 0;
    for (const d of report.diagnostics) {
      const row = renderDiagnosticRow(d);
      if (row.length > budget) {
        omitted += 1;
        continue;
      }
      budget -= row.length;
      out.push(row);
    }
    out.push('');
    if (omitted > 0) out.push(`*${omitted} more diagnostics not shown here; see results.sarif.*`, '');
  }
  return out.join('\n');
}

/**
 * The mutation score of each mutated rule (`dac mutate`); nothing when no rule was mutated. Rules below
 * their threshold always get their row; the others while the table stays within a quarter of the budget.
 */
function renderMutationTable(rules: readonly RuleReport[], limits: MarkdownLimits): string[] {
  const mutated = rules.filter((rule) => rule.mutation !== undefined);
  if (mutated.length === 0) return [];
  const rows: string[] = [];
  let budget = limits.totalChars / 4;
  let omitted = 0;
  for (const rule of mutated) {
    const m = rule.mutation as NonNullable<RuleReport['mutation']>;
    const passing = m.score >= m.threshold;
    const title = `${escapeMarkdownCell(rule.title)}<br>\`${escapeCodeSpanCell(rule.file)}\``;
    const row = `| ${passing ? '✅' : '❌'} ${formatPercent(m.score)}% | ${title} | ${m.killed} (golden ${m.killedBy.golden}, properties ${m.killedBy.properties}) | ${m.survived} | ${m.equivalent} | ${m.mutants} | ${formatPercent(m.threshold)}% |`;
    if (passing && row.length > budget) {
      omitted += 1;
      continue;
    }
    budget -= row.length;
    rows.push(row);
  }
  return [
    '### Mutation score',
    '',
    '| Score | Rule | Killed | Survived | Equivalent | Mutants | Threshold |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...(omitted > 0 ? [`*${pluralize(omitted, 'more rule')} reaching ${omitted === 1 ? 'its' : 'their'} score not listed here; see report.html.*`, ''] : []),
  ];
}

/** How the golden event files were read: totals, and every file with records not recognised or skipped. */
function renderGoldenInputs(report: TestReport): string[] {
  const accounts = report.rules.flatMap((rule) => rule.inputs);
  if (accounts.length === 0) return [];
  const lines = ['### Golden event files', '', `${pluralize(accounts.length, 'file')}, ${formatAccountTotals(totalAccounts(accounts))}.`, ''];
  const notable = accounts.filter((a) => a.unrecognised.length > 0 || a.skipped.length > 0 || a.unreadable !== undefined);
  for (const account of notable.slice(0, 50)) {
    const [head = '', ...rest] = formatInputAccount(account).split('\n');
    lines.push(`- ${escapeMarkdownCell(head)}`, ...rest.map((line) => `  - ${escapeMarkdownCell(line.trim())}`));
  }
  if (notable.length > 50) lines.push(`- *${notable.length - 50} more files with records not recognised or skipped; see report.json.*`);
  lines.push('');
  return lines;
}

function renderRuleRow(rule: RuleReport): string {
  const status = rule.passed ? '✅ pass' : '❌ fail';
  const notes = [
    ...(rule.logsource === undefined ? [] : [`\`${escapeCodeSpanCell(rule.logsource)}\``]),
    ...(rule.loadError === undefined ? [] : [`❌ ${escapeMarkdownCell(rule.loadError)}`]),
    ...rule.gaps.map((gap) => `${gap.fails ? '❌' : '⚠️'} gap: ${escapeMarkdownCell(gap.message)}`),
  ];
  const title = `${escapeMarkdownCell(rule.title)}<br>\`${escapeCodeSpanCell(rule.file)}\`${notes.map((note) => `<br>${note}`).join('')}`;
  const coverage = rule.coverage === undefined ? '–' : `${formatPercent(rule.coverage.percent)}%`;
  const p = rule.properties;
  const runs = p === undefined ? '–' : `${p.runs} × ${p.properties}${p.failed > 0 ? ` (${p.failed} failed)` : ''}`;
  const seed = p === undefined ? '–' : String(p.seed);
  const cells = [
    status,
    title,
    escapeMarkdownCell(rule.level ?? '–'),
    String(rule.counts.truePositives),
    String(rule.counts.trueNegatives),
    String(rule.counts.falsePositives),
    coverage,
    runs,
    seed,
  ];
  return `| ${cells.join(' | ')} |`;
}

function renderFailure(rule: RuleReport, failure: RuleReport['failures'][number], limits: MarkdownLimits): string {
  const lines = [
    `#### ❌ ${escapeMarkdownCell(rule.title)} — ${failure.check}`,
    '',
    `\`${escapeCodeSpan(`${failure.file}:${failure.line}:${failure.column}`)}\` ${escapeMarkdownCell(failure.message)}`,
    '',
  ];
  if (failure.details !== undefined && failure.details !== '') {
    const details = escapeControlCharacters(truncateText(failure.details, limits.detailChars, limits.detailLines), { keepLineBreaks: true });
    const fence = chooseCodeFence(details);
    // GitHub colours `-`/`+` lines of a `diff` block red and green: the expected/got diff reads at a glance.
    const language = /^[-+] /m.test(details) ? 'diff' : 'text';
    lines.push(`${fence}${language}`, details, fence, '');
  }
  return lines.join('\n');
}

function renderDiagnosticRow(d: Diagnostic): string {
  const where = `\`${escapeCodeSpanCell(`${d.file}:${d.line}:${d.column}`)}\``;
  return `| ${d.severity} | ${where} | \`${escapeCodeSpanCell(d.code)}\` | ${escapeMarkdownCell(d.message)} |`;
}

// Backslashes are literal inside code spans (CommonMark §6.1), so the only hazards are a backtick,
// which would end the span, and line breaks.
function escapeCodeSpan(text: string): string {
  return escapeControlCharacters(text.replace(/[\r\n]+/g, ' ')).replace(/`/g, "'");
}

// In a GFM table a `|` splits cells even inside a code span, unless written `\|` (GFM §4.10).
function escapeCodeSpanCell(text: string): string {
  return escapeCodeSpan(text).replace(/\|/g, '\\|');
}

/** Formats a percentage with at most one decimal: 100, 87.5. */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return '0';
  return String(Math.round(Math.min(100, Math.max(0, percent)) * 10) / 10);
}

/** Writes a count with its noun, adding `s` unless the count is one. */
export function pluralize(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
