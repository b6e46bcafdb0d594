import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CaseResult, Failure, MutationResult, RuleReport, TestReport } from '../harness/test-report.js';
import type { AttackCatalog } from '../attack/catalog.js';
import { buildAttackMatrix, type AttackMatrix, type MatrixCell } from './attack.js';
import { escapeHtml, truncateText } from './escape.js';
import { CHECK_ORDER } from './junit.js';
import { countRun, describeRuleCounts, formatPercent, pluralize } from './markdown.js';
import { formatAccountTotals, formatInputAccount, totalAccounts, type InputAccount } from '../events/input-account.js';

/** Inputs of the HTML report besides the test report. */
export interface HtmlOptions {
  /** ATT&CK data for tactic and technique names; without it the matrix shows bare ids. */
  readonly attack?: AttackCatalog;
  /** Problems met while writing the reports (e.g. unreadable ATT&CK data), shown with the run's. */
  readonly extraDiagnostics?: readonly Diagnostic[];
}

// The one script of the page: the "failing rules only" filter. Its hash goes into the CSP, so this
// exact text runs and nothing else does, even if some user text escaped its escaping.
const FILTER_SCRIPT = `
document.getElementById('only-failing').addEventListener('change', function (event) {
  var only = event.target.checked;
  document.querySelectorAll('#rules tbody tr').forEach(function (row) {
    row.hidden = only && row.getAttribute('data-status') === 'pass';
  });
});
`;

// Self-contained means no fetch of any kind: no external styles, fonts, scripts, images or frames.
// 'unsafe-inline' for styles is needed by the coverage bars' width attributes; nothing can load.
// The policy is a constant without `"`, `<` or `&`, so it is written into its attribute unescaped.
const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${createHash('sha256').update(FILTER_SCRIPT).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const STYLE = `
:root { color-scheme: light; --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 1400px; padding: 1rem 2rem; color: #1f2328; }
h1 { font-size: 1.6rem; margin: .2rem 0; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-top: 2rem; }
.verdict { display: inline-block; font-weight: 700; padding: .1rem .6rem; border-radius: 1rem; color: #fff; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status.pass { color: var(--pass); font-weight: 600; } .status.fail { color: var(--fail); font-weight: 600; }
.file, .muted { color: var(--muted); font-size: .85em; } code, pre { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; }
.bar { width: 8rem; height: .7rem; background: #eaeef2; border-radius: .35rem; overflow: hidden; display: inline-block; vertical-align: middle; }
.fill { height: 100%; background: var(--pass); } .fill.low { background: var(--skip); } .fill.none { background: var(--fail); }
.check { display: inline-block; font-size: .8em; padding: 0 .4rem; margin: 0 .15rem .15rem 0; border-radius: .6rem; border: 1px solid var(--line); }
.check.pass { color: var(--pass); } .check.fail { color: #fff; background: var(--fail); border-color: var(--fail); } .check.skipped { color: var(--skip); }
.matrix { display: flex; gap: .3rem; overflow-x: auto; padding-bottom: .5rem; }
.tactic { flex: 1 0 7.5rem; min-width: 7.5rem; } .tactic h3 { font-size: .8rem; margin: 0 0 .3rem; padding: .3rem; background: #f6f8fa; border: 1px solid var(--line); min-height: 3.2rem; }
.cell { font-size: .75rem; border: 1px solid var(--line); border-radius: .25rem; padding: .25rem; margin-bottom: .25rem; word-break: break-word; }
.cell .count { float: right; font-weight: 700; } .cell.unknown { border-style: dashed; }
.cell.failing { border: 2px solid var(--fail); } .failing-mark { color: var(--fail); font-weight: 700; background: #fff; border-radius: .2rem; padding: 0 .2rem; display: inline-block; margin-top: .15rem; }
.gap { color: var(--skip); font-size: .85em; } .gap.fails { color: var(--fail); } .load-error { font-size: .85em; }
table.inputs td, table.inputs th { font-size: .85em; }
.heat-1 { background: #dbeafe; } .heat-2 { background: #93c5fd; } .heat-3 { background: #60a5fa; } .heat-4 { background: #2563eb; color: #fff; } .heat-5 { background: #1e3a8a; color: #fff; }
.legend span { display: inline-block; padding: 0 .5rem; margin-right: .2rem; border-radius: .2rem; font-size: .8em; }
.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: .3rem; padding: .5rem 1rem; margin: .8rem 0; }
.failure h3 { margin: .2rem 0; font-size: 1rem; } pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
pre .got { color: var(--fail); font-weight: 600; } pre .expected { color: var(--pass); font-weight: 600; }
details { margin: .4rem 0; } summary { cursor: pointer; }
.sev-error { color: var(--fail); font-weight: 600; } .sev-warning { color: var(--skip); font-weight: 600; }
`;

/** Renders the run as one self-contained HTML page: verdicts, coverage, ATT&CK heat map, failures. */
export function renderHtmlReport(report: TestReport, options: HtmlOptions = {}): string {
  const counts = countRun(report);
  const pack = `${report.pack.name} ${report.pack.version}`;
  const matrix = buildAttackMatrix(report.rules, options.attack);
  const diagnostics = [...report.diagnostics, ...(options.extraDiagnostics ?? [])];
  const verdict = report.passed ? 'pass' : 'fail';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(`dac test: ${pack}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(pack)}</h1>
<p><span id="verdict" class="verdict ${verdict}">${verdict.toUpperCase()}</span>
<span id="counts">${escapeHtml(describeRuleCounts(counts))} · ${pluralize(counts.checks, 'check')}, ${counts.checksFailed} failed, ${counts.checksSkipped} skipped · ${pluralize(counts.failures, 'failure')} · ${pluralize(counts.errors, 'error')} and ${pluralize(counts.warnings, 'warning')} in diagnostics</span></p>
</header>
<main>
${renderRulesSection(report.rules)}
${renderMutationSection(report.rules)}
${renderMatrixSection(matrix)}
${renderFailuresSection(report.rules, counts.errors)}
${renderDiagnosticsSection(diagnostics)}
${renderDetailsSection(report.rules)}
</main>
<script>${FILTER_SCRIPT}</script>
</body>
</html>
`;
}

function renderRulesSection(rules: readonly RuleReport[]): string {
  const rows = rules.map((rule, index) => {
    const status = rule.passed ? 'pass' : 'fail';
    const p = rule.properties;
    const props =
      p === undefined
        ? '<span class="muted">–</span>'
        : `${p.runs} runs × ${p.properties}${p.failed > 0 ? ` <span class="status fail">(${p.failed} failed)</span>` : ''}<div class="muted">seed ${p.seed}</div>`;
    return `<tr data-status="${status}" data-rule-id="${escapeHtml(rule.id)}">
<td class="status ${status}">${rule.passed ? '✔ pass' : '✘ fail'}</td>
<td class="title"><a href="#rule-${index}">${escapeHtml(rule.title)}</a><div class="file">${escapeHtml(rule.file)}</div>${rule.logsource === undefined ? '' : `<div class="muted logsource">${escapeHtml(rule.logsource)}</div>`}${renderRuleNotes(rule)}</td>
<td>${escapeHtml(rule.level ?? '–')}</td>
<td class="num tp">${rule.counts.truePositives}</td>
<td class="num tn">${rule.counts.trueNegatives}</td>
<td class="num fp">${rule.counts.falsePositives}</td>
<td class="coverage">${renderCoverageBar(rule)}</td>
<td class="properties">${props}</td>
<td class="checks">${renderChecks(rule)}</td>
</tr>`;
  });
  return `<section id="rules-section">
<h2>Rules</h2>
<p><label><input type="checkbox" id="only-failing"> Show failing rules only</label></p>
<table id="rules">
<thead><tr><th>Status</th><th>Rule</th><th>Level</th><th title="golden true positives">TP</th><th title="golden true negatives">TN</th><th title="documented false positives">FP (documented)</th><th>Coverage</th><th>Property runs</th><th>Checks</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

/** The mutation score of each mutated rule and what became of each mutant (`dac mutate`); nothing otherwise. */
function renderMutationSection(rules: readonly RuleReport[]): string {
  const mutated = rules.filter((rule) => rule.mutation !== undefined);
  if (mutated.length === 0) return '';
  const rows = mutated.map((rule) => {
    const m = rule.mutation as MutationResult;
    const percent = formatPercent(m.score);
    const tone = m.score >= m.threshold ? '' : m.score === 0 ? ' none' : ' low';
    return `<tr data-rule-id="${escapeHtml(rule.id)}">
<td class="title">${escapeHtml(rule.title)}<div class="file">${escapeHtml(rule.file)}</div></td>
<td class="score"><div class="bar" role="img" aria-label="mutation score ${percent}%"><div class="fill${tone}" style="width: ${percent}%"></div></div> <span class="percent">${percent}%</span> <span class="muted">(threshold ${formatPercent(m.threshold)}%)</span></td>
<td class="num">${m.killed}<div class="muted">golden ${m.killedBy.golden}, properties ${m.killedBy.properties}</div></td>
<td class="num${m.survived > 0 ? ' status fail' : ''}">${m.survived}</td>
<td class="num">${m.equivalent}</td>
<td class="num">${m.mutants}</td>
</tr>`;
  });
  const lists = mutated.map((rule) => {
    const m = rule.mutation as MutationResult;
    const items = m.results.map((result) => `<tr class="${result.status}"><td class="status ${result.status === 'killed' ? 'pass' : result.status === 'survived' ? 'fail' : ''}">${result.status}</td><td>${result.line}</td><td><code>${escapeHtml(result.id)}</code></td><td>${escapeHtml(result.detail ?? '')}</td></tr>`);
    return `<details${m.survived > 0 ? ' open' : ''}>
<summary>Mutants of ${escapeHtml(rule.title)} <span class="muted">${escapeHtml(rule.file)}</span></summary>
<table class="mutants"><thead><tr><th>Status</th><th>Line</th><th>Mutant</th><th>Killed by, or why not</th></tr></thead>
<tbody>
${items.join('\n')}
</tbody></table>
</details>`;
  });
  return `<section id="mutation-section">
<h2>Mutation</h2>
<p class="muted">Each mutant is the rule with one plausible mistake; the rule's golden events or properties must fail for it (dac mutate). The score counts the mutants killed over those not marked equivalent.</p>
<table id="mutation">
<thead><tr><th>Rule</th><th>Score</th><th>Killed</th><th>Survived</th><th>Equivalent</th><th>Mutants</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${lists.join('\n')}
</section>`;
}

/** Why a rule did not load, and the gaps in its tests, under its title. */
function renderRuleNotes(rule: RuleReport): string {
  const notes = [
    ...(rule.loadError === undefined ? [] : [`<div class="load-error status fail">${escapeHtml(rule.loadError)}</div>`]),
    ...rule.gaps.map((gap) => `<div class="gap${gap.fails ? ' fails' : ''}" data-gap="${escapeHtml(gap.kind)}">gap: ${escapeHtml(gap.message)}${gap.fails ? ' (fails by policy)' : ' (allowed by policy)'}</div>`),
  ];
  return notes.join('');
}

function renderCoverageBar(rule: RuleReport): string {
  if (rule.coverage === undefined) return '<span class="muted">–</span>';
  const percent = formatPercent(rule.coverage.percent);
  const value = Number(percent);
  const tone = value === 0 ? ' none' : value < 80 ? ' low' : '';
  const c = rule.coverage;
  const title = `values ${c.values.covered}/${c.values.total}, conditions ${c.conditions.covered}/${c.conditions.total}`;
  return `<div class="bar" role="img" aria-label="coverage ${percent}%" title="${escapeHtml(title)}"><div class="fill${tone}" style="width: ${percent}%"></div></div> <span class="percent">${percent}%</span>`;
}

function renderChecks(rule: RuleReport): string {
  const ordered = [...rule.checks].sort((a, b) => CHECK_ORDER.indexOf(a.name) - CHECK_ORDER.indexOf(b.name));
  return ordered
    .map((c) => {
      const state = c.skipped !== undefined ? 'skipped' : c.passed ? 'pass' : 'fail';
      const title = c.skipped !== undefined ? `skipped: ${c.skipped}` : state;
      return `<span class="check ${state}" data-check="${escapeHtml(c.name)}" title="${escapeHtml(title)}">${escapeHtml(c.name)}</span>`;
    })
    .join('');
}

function renderMatrixSection(matrix: AttackMatrix): string {
  const version = matrix.attackVersion === undefined ? 'names unavailable' : `ATT&CK Enterprise v${matrix.attackVersion}`;
  const techniques = new Set(matrix.columns.flatMap((c) => c.cells.map((cell) => cell.techniqueId)));
  const columns = matrix.columns.map(
    (column) => `<div class="tactic" data-tactic="${escapeHtml(column.shortname)}">
<h3>${escapeHtml(column.name)}</h3>
${column.cells.map((cell) => renderCell(cell, matrix.maxRules)).join('\n')}
</div>`,
  );
  const unplaced =
    matrix.unplaced.length === 0
      ? ''
      : `<p>Technique tags not placed under any tactic (unknown to this ATT&CK version and no tactic tag): ${matrix.unplaced
          .map((cell) => `<code>${escapeHtml(cell.techniqueId)}</code> (${cell.rules.map((r) => escapeHtml(r.title)).join(', ')})`)
          .join('; ')}</p>`;
  const legend = [1, 2, 3, 4, 5]
    .map((level) => [level, describeLevel(level, matrix.maxRules)] as const)
    .filter(([, label]) => label !== undefined)
    .map(([level, label]) => `<span class="heat-${level}">${label}</span>`)
    .join('');
  return `<section id="attack-section">
<h2>ATT&amp;CK coverage</h2>
<p class="muted">${escapeHtml(version)} · ${techniques.size} techniques named by the pack's tags · colour = number of rules covering the technique under that tactic</p>
<p class="legend">${matrix.maxRules === 0 ? '' : legend}</p>
<div class="matrix" id="attack-matrix">
${columns.join('\n')}
</div>
${unplaced}
</section>`;
}

function renderCell(cell: MatrixCell, maxRules: number): string {
  const count = cell.rules.length;
  const level = computeHeatLevel(count, maxRules);
  const rules = cell.rules.map((r) => `${r.title}${r.passed ? '' : ' (failing)'}`).join('\n');
  const name = cell.name ?? 'not in this ATT&CK version';
  const failing = cell.rules.filter((r) => !r.passed).length;
  // A technique some failing rule claims is marked on the map itself, not only in its tooltip: its
  // coverage is not what the count says until the rule passes.
  const mark = failing === 0 ? '' : `<div class="failing-mark">✘ ${failing} failing</div>`;
  return `<div class="cell heat-${level}${cell.unknown ? ' unknown' : ''}${failing > 0 ? ' failing' : ''}" data-technique="${escapeHtml(cell.techniqueId)}" data-count="${count}" data-failing="${failing}" data-level="${level}" title="${escapeHtml(`${cell.techniqueId} ${name}\n${rules}`)}"><span class="count">${count}</span><strong>${escapeHtml(cell.techniqueId)}</strong><br>${escapeHtml(name)}${mark}</div>`;
}

/** Maps a cell's rule count onto five colour steps, relative to the busiest cell of the pack. */
export function computeHeatLevel(count: number, maxRules: number): number {
  if (count <= 0 || maxRules <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((count / maxRules) * 5)));
}

// Labels a colour step with the rule counts it stands for; undefined when no count maps to it.
function describeLevel(level: number, maxRules: number): string | undefined {
  const counts: number[] = [];
  for (let n = 1; n <= maxRules; n += 1) if (computeHeatLevel(n, maxRules) === level) counts.push(n);
  if (counts.length === 0) return undefined;
  const lo = counts[0];
  const hi = counts[counts.length - 1];
  return lo === hi ? `${lo} rule${lo === 1 ? '' : 's'}` : `${lo}–${hi} rules`;
}

function renderFailuresSection(rules: readonly RuleReport[], errors: number): string {
  const items = rules.flatMap((rule) => rule.failures.map((f) => renderFailure(rule, f)));
  if (items.length === 0) {
    // Never "None" beside a FAIL badge: the run can fail on errors no rule owns (config, mappings, filters).
    const none = errors === 0 ? 'None.' : `No rule failed; the run fails on ${pluralize(errors, 'error')} in the diagnostics below.`;
    return `<section id="failures-section"><h2>Failures</h2><p>${none}</p></section>`;
  }
  return `<section id="failures-section">
<h2>Failures (${items.length})</h2>
${items.join('\n')}
</section>`;
}

function renderFailure(rule: RuleReport, failure: Failure): string {
  const where = `${failure.file}:${failure.line}:${failure.column}`;
  const details =
    failure.details === undefined || failure.details === ''
      ? ''
      : `<pre class="diff">${renderDiff(truncateText(failure.details, 20_000, 400))}</pre>`;
  return `<article class="failure" data-check="${escapeHtml(failure.check)}" data-rule-id="${escapeHtml(rule.id)}">
<h3>${escapeHtml(rule.title)} — ${escapeHtml(failure.check)}</h3>
<p><code class="location">${escapeHtml(where)}</code> ${escapeHtml(failure.message)}</p>
${details}
</article>`;
}

// The harness writes its diffs as `expected:` / `got:` lines; unified-diff `-` / `+` lines (from
// other checks) are coloured the same way: what should be in green, what was found in red.
function renderDiff(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const escaped = escapeHtml(line);
      if (/^expected:/i.test(line) || line.startsWith('+ ') || line === '+') return `<span class="expected">${escaped}</span>`;
      if (/^got:/i.test(line) || line.startsWith('- ') || line === '-') return `<span class="got">${escaped}</span>`;
      return escaped;
    })
    .join('\n');
}

function renderDiagnosticsSection(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  const rows = diagnostics.map(
    (d) =>
      `<tr><td class="sev-${d.severity}">${d.severity}</td><td><code>${escapeHtml(`${d.file}:${d.line}:${d.column}`)}</code></td><td><code>${escapeHtml(d.code)}</code></td><td>${escapeHtml(d.message)}</td></tr>`,
  );
  return `<section id="diagnostics-section">
<h2>Diagnostics (${diagnostics.length})</h2>
<table id="diagnostics"><thead><tr><th>Severity</th><th>Location</th><th>Code</th><th>Message</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}

function renderDetailsSection(rules: readonly RuleReport[]): string {
  const blocks = rules.map((rule, index) => {
    const c = rule.coverage;
    const uncovered =
      c === undefined ? [] : [...c.values.uncovered.map((v) => `value ${v}`), ...c.conditions.uncovered.map((v) => `condition ${v}`)];
    const coverage =
      c === undefined
        ? ''
        : `<p>Coverage ${formatPercent(c.percent)}%: values ${c.values.covered}/${c.values.total}, conditions ${c.conditions.covered}/${c.conditions.total}.${
            uncovered.length === 0 ? '' : ` Not exercised: ${uncovered.map((u) => `<code>${escapeHtml(u)}</code>`).join(', ')}`
          }</p>`;
    return `<details id="rule-${index}"${rule.passed ? '' : ' open'}>
<summary>${escapeHtml(rule.title)} <span class="muted">${escapeHtml(rule.id)} · ${escapeHtml(rule.file)}</span></summary>
<p>Tags: ${rule.tags.length === 0 ? '–' : rule.tags.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ')}</p>
${renderRuleNotes(rule)}
${coverage}
${renderInputs(rule.inputs)}
${renderCases(rule.cases)}
</details>`;
  });
  return `<section id="details-section">
<h2>Golden events per rule</h2>
${blocks.join('\n')}
</section>`;
}

/** How each golden event file was read: records read, recognised (by source), not recognised (by shape), skipped. */
function renderInputs(inputs: readonly InputAccount[]): string {
  if (inputs.length === 0) return '';
  const rows = inputs.map((account) => {
    const totals = totalAccounts([account]);
    const details = formatInputAccount(account).split('\n').slice(1).map((line) => `<div>${escapeHtml(line.trim())}</div>`).join('');
    return `<tr><td><code>${escapeHtml(account.file)}</code></td><td class="num">${totals.read}</td><td class="num">${totals.recognised}</td><td class="num">${totals.taxonomy}</td><td class="num">${totals.unrecognised}</td><td class="num">${totals.skipped}</td><td>${account.unreadable === undefined ? details : escapeHtml(`not read: ${account.unreadable}`)}</td></tr>`;
  });
  return `<p>Golden event files: ${escapeHtml(formatAccountTotals(totalAccounts(inputs)))}.</p>
<table class="inputs"><thead><tr><th>File</th><th>Read</th><th>Recognised</th><th>Taxonomy fields</th><th>Not recognised</th><th>Skipped</th><th>How</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

// Failing events are always listed; passing ones up to this many per rule, so a pack with thousands
// of golden events still gives a page a browser opens quickly.
const MAX_PASSING_CASES = 100;

function renderCases(cases: readonly CaseResult[]): string {
  if (cases.length === 0) return '<p class="muted">No golden events.</p>';
  let passingShown = 0;
  const shown = cases.filter((c) => !c.passed || (passingShown += 1) <= MAX_PASSING_CASES);
  const hidden = cases.length - shown.length;
  const rows = shown.map((c) => {
    const fields = Object.entries(c.decidingFields)
      .map(([k, v]) => `<div><code>${escapeHtml(k)}</code>: ${escapeHtml(v)}</div>`)
      .join('');
    const note = [c.falsepositive, c.blindSpot === undefined ? undefined : `expected quiet: ${c.blindSpot}`, c.provenance].filter((s): s is string => s !== undefined && s !== '');
    return `<tr class="${c.passed ? 'pass' : 'fail'}"><td class="status ${c.passed ? 'pass' : 'fail'}">${c.passed ? '✔' : '✘'}</td><td><code>${escapeHtml(`${c.file}#${c.event}`)}</code></td><td>${escapeHtml(c.source)}${c.rendering === undefined ? '' : `<div class="muted">rendered as ${escapeHtml(c.rendering)}</div>`}</td><td>${escapeHtml(c.expected)}</td><td>${escapeHtml(c.got)}</td><td>${fields}</td><td>${note.map(escapeHtml).join('<br>')}</td></tr>`;
  });
  return `<table class="cases"><thead><tr><th></th><th>Event</th><th>Source</th><th>Expected</th><th>Got</th><th>Deciding fields</th><th>Notes</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>${hidden === 0 ? '' : `\n<p class="muted">${pluralize(hidden, 'more passing event')} not listed.</p>`}`;
}
