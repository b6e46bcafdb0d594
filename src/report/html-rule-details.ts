import type { CaseResult, Failure, MutantResult, RuleReport } from '../harness/test-report.js';
import { formatAccountTotals, formatInputAccount, totalAccounts, type InputAccount } from '../events/input-account.js';
import { escapeHtml, truncateText } from './escape.js';
import { formatPercent, pluralize } from './markdown.js';
import type { RuleView } from './html-rule-list.js';

/**
 * The parts of a rule's opened row, in order. What a new check tells about a rule (its mutants, say)
 * is one more part here.
 */
export const RULE_BODY_PARTS: readonly ((view: RuleView) => string)[] = [renderNotes, renderFailures, renderFacts, renderMutants, renderInputs, renderCases];

/** The body of a rule's row: why it fails, its facts, how its golden files were read, its golden events. */
export function renderRuleBody(view: RuleView): string {
  return `<div class="rule-body">
${RULE_BODY_PARTS.map((part) => part(view)).filter((html) => html !== '').join('\n')}
</div>`;
}

/** Why the rule did not load, and the gaps in its tests. */
function renderNotes({ rule }: RuleView): string {
  const notes = [
    ...(rule.loadError === undefined ? [] : [`<p class="load-error fail-text">${escapeHtml(rule.loadError)}</p>`]),
    ...rule.gaps.map(
      (gap) =>
        `<p class="gap${gap.fails ? ' fail-text' : ''}" data-gap="${escapeHtml(gap.kind)}"><span class="tag gap${gap.fails ? ' fails' : ''}">gap</span> ${escapeHtml(gap.message)}${gap.fails ? ' (fails by policy)' : ' (allowed by policy)'}</p>`,
    ),
  ];
  return notes.join('\n');
}

// Failures shown with their details per rule; beyond this each further failure is one line (its place
// and message), so a rule whose every golden event fails still gives a page a browser opens quickly.
const MAX_DETAILED_FAILURES = 50;

function renderFailures({ rule }: RuleView): string {
  if (rule.failures.length === 0) return '';
  const detailed = rule.failures.slice(0, MAX_DETAILED_FAILURES).map((failure) => renderFailure(rule, failure));
  const rest = rule.failures.slice(MAX_DETAILED_FAILURES);
  const more =
    rest.length === 0
      ? ''
      : `<details><summary>${pluralize(rest.length, 'more failure')} (details in junit.xml and report.json)</summary>
<ul>${rest.map((f) => `<li data-check="${escapeHtml(f.check)}"><code>${escapeHtml(`${f.file}:${f.line}:${f.column}`)}</code> ${escapeHtml(f.check)}: ${escapeHtml(f.message)}</li>`).join('')}</ul>
</details>`;
  return `<h3>Failures (${rule.failures.length})</h3>
${detailed.join('\n')}${more === '' ? '' : `\n${more}`}`;
}

function renderFailure(rule: RuleReport, failure: Failure): string {
  const where = `${failure.file}:${failure.line}:${failure.column}`;
  const details =
    failure.details === undefined || failure.details === ''
      ? ''
      : `<pre class="diff">${renderDiff(truncateText(failure.details, 20_000, 400))}</pre>`;
  return `<article class="failure" data-check="${escapeHtml(failure.check)}" data-rule-id="${escapeHtml(rule.id)}">
<h4>${escapeHtml(failure.check)}: ${escapeHtml(failure.message)}</h4>
<p><code class="location">${escapeHtml(where)}</code></p>
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

/** What the rule is and what its checks did: id, file, tags, property runs, coverage, skipped checks. */
function renderFacts(view: RuleView): string {
  const { rule } = view;
  const facts: [string, string][] = [
    ['id', `<code>${escapeHtml(rule.id || '(none)')}</code>`],
    ['file', `<code>${escapeHtml(rule.file)}</code>`],
    ['level · status', escapeHtml(`${rule.level ?? '–'} · ${rule.status ?? '–'}`)],
    ['log source', escapeHtml(rule.logsource ?? '–')],
    ['tags', rule.tags.length === 0 ? '–' : rule.tags.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ')],
  ];
  const p = rule.properties;
  if (p !== undefined) {
    facts.push(['property runs', `${p.runs} runs × ${p.properties} ${p.properties === 1 ? 'property' : 'properties'}, seed ${p.seed}${p.failed > 0 ? ` <span class="fail-text">(${p.failed} failed)</span>` : ''}`]);
  }
  const c = rule.coverage;
  if (c !== undefined) {
    const uncovered = [...c.values.uncovered.map((v) => `value ${v}`), ...c.conditions.uncovered.map((v) => `condition ${v}`)];
    facts.push([
      'coverage',
      `${formatPercent(c.percent)}%: values ${c.values.covered}/${c.values.total}, conditions ${c.conditions.covered}/${c.conditions.total}${
        uncovered.length === 0 ? '' : `. Not exercised: ${uncovered.map((u) => `<code>${escapeHtml(u)}</code>`).join(', ')}`
      }`,
    ]);
  }
  const skipped = [...view.checks].filter(([, check]) => check.state === 'skipped');
  if (skipped.length > 0) {
    facts.push(['skipped checks', skipped.map(([name, check]) => `<div><strong>${escapeHtml(name)}</strong>: ${escapeHtml(check.skipped ?? '')}</div>`).join('')]);
  }
  return `<dl class="facts">${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

// Survivors and equivalent mutants are always listed (each is a finding or a claim to check); killed ones
// up to this many per rule, so a rule of thousands of values still gives a page a browser opens quickly.
const MAX_KILLED_MUTANTS = 50;
const MUTANT_RANK: Readonly<Record<MutantResult['status'], number>> = { survived: 0, equivalent: 1, killed: 2 };

/** The rule's mutants (`dac mutate`): its score, survivors with the event that would kill them, equivalents with their reasons. */
function renderMutants({ rule }: RuleView): string {
  const m = rule.mutation;
  if (m === undefined) return '';
  const ordered = [...m.results].sort((a, b) => MUTANT_RANK[a.status] - MUTANT_RANK[b.status] || a.line - b.line);
  const killed = ordered.filter((result) => result.status === 'killed');
  const shown = [...ordered.filter((result) => result.status !== 'killed'), ...killed.slice(0, MAX_KILLED_MUTANTS)];
  const mark = { killed: 'pass', survived: 'fail', equivalent: 'skipped' } as const;
  const rows = shown.map(
    (result) =>
      `<tr class="${result.status}"><td class="status ${mark[result.status]}">${result.status}</td><td class="num">${result.line}</td><td><code>${escapeHtml(result.id)}</code></td><td>${escapeHtml(result.detail ?? '')}</td></tr>`,
  );
  const below = m.score < m.threshold;
  const left = m.leftOut;
  const more = killed.length > MAX_KILLED_MUTANTS ? `\n<p class="muted">${pluralize(killed.length - MAX_KILLED_MUTANTS, 'more killed mutant')} not listed; report.json lists every one.</p>` : '';
  return `<h3>Mutants</h3>
<p><span class="${below ? 'fail-text' : ''}">mutation score ${formatPercent(m.score)}% (threshold ${formatPercent(m.threshold)}%)</span> · ${pluralize(m.mutants, 'mutant')}: ${m.killed} killed (golden ${m.killedBy.golden}, properties ${m.killedBy.properties}), <span class="${m.survived > 0 ? 'fail-text' : ''}">${m.survived} survived</span>, ${m.equivalent} marked equivalent · left out: same logic as the rule ${left.sameLogic}, duplicates ${left.duplicates}, unwritable ${left.unwritable}, invalid ${left.invalid}</p>
<div class="table-box"><table class="mutants"><colgroup><col class="w-count"><col class="w-line"><col class="w-mutant"><col></colgroup><thead><tr><th>Status</th><th class="num">Line</th><th>Mutant</th><th>Killed by, the event that would kill it, or why it is equivalent</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>${more}`;
}

/** How each golden event file was read: records read, recognised (by source), not recognised (by shape), skipped. */
function renderInputs({ rule }: RuleView): string {
  const inputs: readonly InputAccount[] = rule.inputs;
  if (inputs.length === 0) return '';
  const rows = inputs.map((account) => {
    const totals = totalAccounts([account]);
    const details = formatInputAccount(account).split('\n').slice(1).map((line) => `<div>${escapeHtml(line.trim())}</div>`).join('');
    const cell = (n: number, bad = false): string => `<td class="num${n === 0 ? ' zero' : bad ? ' bad' : ''}">${n}</td>`;
    return `<tr><td><code>${escapeHtml(account.file)}</code></td>${cell(totals.read)}${cell(totals.recognised)}${cell(totals.taxonomy)}${cell(totals.unrecognised, true)}${cell(totals.skipped, true)}<td>${account.unreadable === undefined ? details : escapeHtml(`not read: ${account.unreadable}`)}</td></tr>`;
  });
  return `<h3>Golden event files</h3>
<p>${escapeHtml(formatAccountTotals(totalAccounts(inputs)))}.</p>
<div class="table-box"><table class="inputs"><colgroup><col><col class="w-count"><col class="w-count"><col class="w-count"><col class="w-count"><col class="w-count"><col class="w-how"></colgroup><thead><tr><th>File</th><th class="num">Read</th><th class="num">Recognised</th><th class="num" title="read as Sigma field names as they stand (no channel or event id)">Taxonomy fields</th><th class="num">Not recognised</th><th class="num">Skipped</th><th>How</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

// Per rule, every failing golden event is listed up to the first, and passing ones up to the second:
// a pack of hundreds of rules with hundreds of events each still gives a page of a few megabytes.
// report.json keeps every event.
const MAX_FAILING_CASES = 200;
const MAX_PASSING_CASES = 10;

/**
 * The folder most of these files are in (by how many name it), so a table can name them from there:
 * a rule's golden events mostly live in its own test folder, with a few shared files elsewhere.
 */
export function findMainFolder(files: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const file of files) {
    const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  let best = '';
  let most = 0;
  for (const [folder, n] of counts) if (n > most) [best, most] = [folder, n];
  return best;
}

function renderCases({ rule }: RuleView): string {
  const cases: readonly CaseResult[] = rule.cases;
  if (cases.length === 0) return rule.loadError === undefined ? '<p class="muted">No golden events.</p>' : '';
  const failing = cases.filter((c) => !c.passed);
  const passing = cases.filter((c) => c.passed);
  const shown = [...failing.slice(0, MAX_FAILING_CASES), ...passing.slice(0, MAX_PASSING_CASES)];
  const folder = findMainFolder(cases.map((c) => c.file));
  // Said once above the table when every event shown shares it (the usual case: one provenance per file set).
  const provenances = new Set(shown.map((c) => c.provenance ?? ''));
  const provenance = provenances.size === 1 && !provenances.has('') ? shown[0]?.provenance : undefined;
  const bySource = new Map<string, number>();
  for (const c of cases) bySource.set(c.source, (bySource.get(c.source) ?? 0) + 1);
  const rows = shown.map((c) => {
    const fields = Object.entries(c.decidingFields)
      .map(([k, v]) => `<div><code>${escapeHtml(k)}</code>: ${escapeHtml(v)}</div>`)
      .join('');
    const note = [c.falsepositive, c.blindSpot === undefined ? undefined : `expected quiet: ${c.blindSpot}`, provenance === undefined ? c.provenance : undefined].filter((s): s is string => s !== undefined && s !== '');
    const file = folder !== '' && c.file.startsWith(`${folder}/`) ? c.file.slice(folder.length + 1) : c.file;
    return { passed: c.passed, cells: [`<td class="status ${c.passed ? 'pass' : 'fail'}">${c.passed ? '✔' : '✘'}</td><td><code>${escapeHtml(`${file}#${c.event}`)}</code></td><td>${escapeHtml(c.source)}${c.rendering === undefined ? '' : `<div class="muted">as ${escapeHtml(c.rendering)}</div>`}</td><td>${escapeHtml(c.expected)}</td><td>${escapeHtml(c.got)}</td><td>${fields}</td>`], note: note.map(escapeHtml).join('<br>') };
  });
  // The notes column only when some event shown has a note; the table's columns have set widths, so it fits its box.
  const withNotes = rows.some((row) => row.note !== '');
  const body = rows.map((row) => `<tr class="${row.passed ? 'pass' : 'fail'}">${row.cells.join('')}${withNotes ? `<td>${row.note}</td>` : ''}</tr>`);
  const left = [
    failing.length > MAX_FAILING_CASES ? pluralize(failing.length - MAX_FAILING_CASES, 'more failing event') : '',
    passing.length > MAX_PASSING_CASES ? pluralize(passing.length - MAX_PASSING_CASES, 'more passing event') : '',
  ].filter((s) => s !== '');
  const sources = [...bySource].sort((a, b) => b[1] - a[1]).map(([source, n]) => `${escapeHtml(source)} ${n}`).join(', ');
  return `<h3>Golden events</h3>
<p>${pluralize(cases.length, 'golden event')}: ${passing.length} passed, <span class="${failing.length > 0 ? 'fail-text' : ''}">${failing.length} failed</span> · by source: ${sources}${folder === '' ? '' : ` · files under <code>${escapeHtml(folder)}/</code> unless named in full`}${provenance === undefined ? '' : ` · provenance: ${escapeHtml(provenance)}`}</p>
<div class="table-box"><table class="cases"><colgroup><col class="w-mark"><col class="w-event"><col class="w-source"><col class="w-verdict"><col class="w-verdict"><col>${withNotes ? '<col class="w-notes">' : ''}</colgroup><thead><tr><th><span class="sr">passed</span></th><th>Event</th><th>Source</th><th>Expected</th><th>Got</th><th>Deciding fields</th>${withNotes ? '<th>Notes</th>' : ''}</tr></thead>
<tbody>
${body.join('\n')}
</tbody></table></div>${left.length === 0 ? '' : `\n<p class="muted">${left.join(' and ')} not listed; report.json lists every one.</p>`}`;
}
