import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AttackCatalog } from '../attack/catalog.js';
import type { TestReport } from '../harness/test-report.js';
import { escapeHtml } from './escape.js';
import { PAGE_CSP, PAGE_SCRIPT, PAGE_STYLE } from './html-assets.js';
import { renderAttackSection } from './html-attack-matrix.js';
import { renderRuleBody } from './html-rule-details.js';
import { listColumns, orderRules, renderRuleList, sourceOf, type RuleView } from './html-rule-list.js';
import { countRun, describeRuleCounts, pluralize, type RunCounts } from './markdown.js';

export { computeHeatLevel } from './html-attack-matrix.js';

/** Inputs of the HTML report besides the test report. */
export interface HtmlOptions {
  /** ATT&CK data for tactic and technique names; without it the matrix shows bare ids. */
  readonly attack?: AttackCatalog;
  /** Problems met while writing the reports (e.g. unreadable ATT&CK data), shown with the run's. */
  readonly extraDiagnostics?: readonly Diagnostic[];
}

/**
 * Renders the run as one self-contained HTML page a reviewer reads at a glance: the verdict and a
 * summary (rules, checks and log sources, each linking to the rules they count), the rule list with
 * failing rules first (filters and sorting with the page's one script, the same list without it),
 * the diagnostics grouped by code, and the ATT&CK heat map.
 */
export function renderHtmlReport(report: TestReport, options: HtmlOptions = {}): string {
  const counts = countRun(report);
  const pack = `${report.pack.name} ${report.pack.version}`;
  const diagnostics = [...report.diagnostics, ...(options.extraDiagnostics ?? [])];
  const verdict = report.passed ? 'pass' : 'fail';
  const views = orderRules(report.rules);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<title>${escapeHtml(`dac test: ${verdict.toUpperCase()}: ${pack}`)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<div class="line"><span id="verdict" class="verdict ${verdict}">${verdict.toUpperCase()}</span><h1>${escapeHtml(pack)}</h1>
<nav class="toc" aria-label="Sections"><a href="#summary">Summary</a><a href="#rules-section">Rules</a>${diagnostics.length === 0 ? '' : `<a href="#diagnostics-section">Diagnostics</a>`}<a href="#attack-section">ATT&amp;CK</a></nav></div>
<p id="counts">${escapeHtml(describeRuleCounts(counts))} · ${pluralize(counts.checks, 'check')}, ${counts.checksFailed} failed, ${counts.checksSkipped} skipped · ${pluralize(counts.failures, 'failure')} · ${pluralize(counts.errors, 'error')} and ${pluralize(counts.warnings, 'warning')} in diagnostics</p>
</header>
<main>
${renderSummary(views, counts, diagnostics)}
${renderRuleList(views, renderRuleBody)}
${renderDiagnosticsSection(diagnostics)}
${renderAttackSection(report.rules, options.attack)}
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/**
 * The top of the page: a tile per count (each a link that filters the list, with the script), the
 * checks with how many rules each failed and skipped, and the log sources with their rules, failing first.
 */
function renderSummary(views: readonly RuleView[], counts: RunCounts, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const tile = (kind: string, label: string, value: number, filter: string | undefined, note = ''): string =>
    `<a class="tile${value > 0 ? ` ${kind}` : ''}" href="#rules-section"${filter === undefined ? '' : ` data-filter="${escapeHtml(filter)}"`} id="tile-${kind}">${escapeHtml(label)}<strong>${value.toLocaleString('en-US')}</strong>${note === '' ? '' : `<span class="muted">${escapeHtml(note)}</span>`}</a>`;
  // A tile takes its colour only when it counts something: a red zero would cry wolf.
  const tiles = [
    tile('rules', 'Rules', counts.rules, 'status='),
    tile('fail', 'Failed', counts.rulesFailed, 'status=fail', counts.rulesNotLoaded > 0 ? `${counts.rulesNotLoaded} did not load` : ''),
    tile('pass', 'Passed', counts.rulesPassed, 'status=pass'),
    tile('gaps', 'With gaps', counts.rulesWithGaps, 'status=gaps', 'no golden events or scenarios'),
    `<a class="tile${errors > 0 ? ' fail' : ''}" href="#diagnostics-section" id="tile-diagnostics">Diagnostics<strong>${diagnostics.length.toLocaleString('en-US')}</strong><span class="muted">${pluralize(errors, 'error')}, ${pluralize(warnings, 'warning')}</span></a>`,
  ];
  return `<section id="summary" aria-label="Summary">
<div class="tiles">${tiles.join('')}</div>
<div class="summary-grid">
<div>${renderCheckSummary(views)}</div>
<div>${renderSourceSummary(views)}</div>
</div>
</section>`;
}

const cellOf = (n: number, bad = false): string => `<td class="num${n === 0 ? ' zero' : bad ? ' bad' : ''}">${n.toLocaleString('en-US')}</td>`;

/** Per check: how many rules it failed, skipped and passed; a check's name filters the list by it. */
function renderCheckSummary(views: readonly RuleView[]): string {
  const names = listColumns(views).filter((column) => column.key.startsWith('check-')).map((column) => column.label);
  const rows = names.map((name) => {
    let failed = 0;
    let skipped = 0;
    let passed = 0;
    for (const view of views) {
      const state = view.checks.get(name as never)?.state;
      if (state === 'fail') failed += 1;
      else if (state === 'skipped') skipped += 1;
      else if (state === 'pass') passed += 1;
    }
    const label = failed > 0 ? `<a href="#rules-section" data-filter="check=${escapeHtml(name)}">${escapeHtml(name)}</a>` : escapeHtml(name);
    return `<tr data-check="${escapeHtml(name)}"><td>${label}</td>${cellOf(failed, true)}${cellOf(skipped)}${cellOf(passed)}</tr>`;
  });
  return `<h3>Checks</h3>
<div class="table-box"><table id="check-summary"><thead><tr><th>Check</th><th class="num">Rules failed</th><th class="num">Skipped</th><th class="num">Passed</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

/** Per log source: its rules, passed, failed and with gaps; sources with failing rules first. */
function renderSourceSummary(views: readonly RuleView[]): string {
  const sources = new Map<string, { rules: number; failed: number; gaps: number }>();
  for (const view of views) {
    const source = sourceOf(view.rule);
    const entry = sources.get(source) ?? { rules: 0, failed: 0, gaps: 0 };
    entry.rules += 1;
    if (view.standing === 'failed' || view.standing === 'not-loaded') entry.failed += 1;
    if (view.rule.gaps.length > 0) entry.gaps += 1;
    sources.set(source, entry);
  }
  const ordered = [...sources].sort((a, b) => b[1].failed - a[1].failed || b[1].rules - a[1].rules || (a[0] < b[0] ? -1 : 1));
  const rows = ordered.map(
    ([source, s]) =>
      `<tr data-source="${escapeHtml(source)}"><td><a href="#rules-section" data-filter="source=${escapeHtml(source)}">${escapeHtml(source)}</a></td>${cellOf(s.rules)}${cellOf(s.rules - s.failed)}${cellOf(s.failed, true)}${cellOf(s.gaps)}</tr>`,
  );
  return `<h3>Log sources (${sources.size})</h3>
<div class="table-box tall"><table id="source-summary"><thead><tr><th>Log source</th><th class="num">Rules</th><th class="num">Passed</th><th class="num">Failed</th><th class="num">With gaps</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

/**
 * Every diagnostic, grouped by code: errors first and open, then warnings and notes, each group
 * closed under a line that counts it, so thousands of one lint's warnings take one line until opened.
 */
function renderDiagnosticsSection(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  const rank = { error: 0, warning: 1, note: 2 } as const;
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = `${d.severity}\u0000${d.code}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [d]);
    else group.push(d);
  }
  const ordered = [...groups.values()].sort((a, b) => rank[a[0]!.severity] - rank[b[0]!.severity] || b.length - a.length || (a[0]!.code < b[0]!.code ? -1 : 1));
  const blocks = ordered.map((group) => {
    const { severity, code } = group[0]!;
    const rows = group.map((d) => `<tr><td><code>${escapeHtml(`${d.file}:${d.line}:${d.column}`)}</code></td><td>${escapeHtml(d.message)}</td></tr>`);
    return `<details class="diagnostics" data-code="${escapeHtml(code)}" data-severity="${severity}"${severity === 'error' ? ' open' : ''}>
<summary><span class="sev-${severity}">${severity}</span> <code>${escapeHtml(code)}</code> × ${group.length.toLocaleString('en-US')}</summary>
<div class="table-box${group.length > 12 ? ' tall' : ''}"><table><thead><tr><th>Location</th><th>Message</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>
</details>`;
  });
  return `<section id="diagnostics-section">
<h2>Diagnostics (${diagnostics.length.toLocaleString('en-US')})</h2>
<p class="muted">${pluralize(diagnostics.filter((d) => d.severity === 'error').length, 'error')}, ${pluralize(diagnostics.filter((d) => d.severity === 'warning').length, 'warning')} and ${pluralize(diagnostics.filter((d) => d.severity === 'note').length, 'note')} of the run, in ${pluralize(groups.size, 'code')}; problems with one rule's checks are in its row above.</p>
${blocks.join('\n')}
</section>`;
}
