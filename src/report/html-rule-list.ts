import type { CheckName, RuleReport } from '../harness/test-report.js';
import { escapeHtml } from './escape.js';
import { CHECK_ORDER } from './junit.js';
import { formatPercent, pluralize } from './markdown.js';

/** Where a rule stands, worst first: the list's static order and its status filter. */
export type Standing = 'not-loaded' | 'failed' | 'gaps' | 'passed';

const STANDING_RANK: Record<Standing, number> = { 'not-loaded': 0, failed: 1, gaps: 2, passed: 3 };

/** One check of a rule as the list shows it: once per check name, whatever the report repeats. */
export interface CheckView {
  readonly state: 'pass' | 'fail' | 'skipped';
  /** Failures of this check (a check can fail with none, when a report says so without details). */
  readonly failures: number;
  readonly skipped?: string;
}

/** A rule as the HTML report shows it: where it stands and each of its checks once. */
export interface RuleView {
  readonly rule: RuleReport;
  /** Its position in the report, which names its anchor (`#rule-N`) whatever the order shown. */
  readonly index: number;
  readonly standing: Standing;
  readonly checks: ReadonlyMap<CheckName, CheckView>;
}

/** Merges a rule's checks by name (an older report.json may list one twice) with the failures it carries. */
export function viewChecks(rule: RuleReport): Map<CheckName, CheckView> {
  const merged = new Map<CheckName, { passed: boolean; skipped?: string }>();
  for (const check of rule.checks) {
    const seen = merged.get(check.name);
    const passed = (seen?.passed ?? true) && check.passed;
    const skipped = passed ? (seen?.skipped ?? check.skipped) : undefined;
    merged.set(check.name, { passed, ...(skipped !== undefined ? { skipped } : {}) });
  }
  // A failure of a check the rule did not list still fails that check (as in JUnit).
  for (const failure of rule.failures) if (!merged.has(failure.check)) merged.set(failure.check, { passed: false });
  const views = new Map<CheckName, CheckView>();
  for (const name of sortChecks([...merged.keys()])) {
    const check = merged.get(name) ?? { passed: true };
    const failures = rule.failures.filter((f) => f.check === name).length;
    const state = failures > 0 || !check.passed ? 'fail' : check.skipped !== undefined ? 'skipped' : 'pass';
    views.set(name, { state, failures, ...(state === 'skipped' && check.skipped !== undefined ? { skipped: check.skipped } : {}) });
  }
  return views;
}

/** Check names in the order every report lists them; names it does not know yet go last, by name. */
export function sortChecks(names: readonly CheckName[]): CheckName[] {
  const rank = (name: CheckName): number => (CHECK_ORDER.includes(name) ? CHECK_ORDER.indexOf(name) : CHECK_ORDER.length);
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function standingOf(rule: RuleReport): Standing {
  if (rule.loadError !== undefined) return 'not-loaded';
  if (!rule.passed) return 'failed';
  return rule.gaps.length > 0 ? 'gaps' : 'passed';
}

/**
 * The rules in the order the page lists them without script: rules that did not load, then failing
 * rules, then passing rules with gaps in their tests, then the rest; by file within each group.
 */
export function orderRules(rules: readonly RuleReport[]): RuleView[] {
  return rules
    .map((rule, index) => ({ rule, index, standing: standingOf(rule), checks: viewChecks(rule) }))
    .sort((a, b) => STANDING_RANK[a.standing] - STANDING_RANK[b.standing] || compareText(a.rule.file, b.rule.file) || compareText(a.rule.title, b.rule.title) || a.index - b.index);
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One cell of a rule's row: its markup, and the value the column sorts by when not its text. */
export interface RuleCell {
  readonly html: string;
  readonly value?: string | number;
  readonly className?: string;
  /** Further attributes of the cell, already escaped. */
  readonly attributes?: string;
}

/**
 * One column of the rule list. A per-rule figure a new check brings (a mutation score, say) is one
 * more entry here: the header, the sorting and the row follow from it.
 */
export interface RuleColumn {
  /** Names the column's cells (`data-col`) and its sort key. */
  readonly key: string;
  readonly label: string;
  /** The longer name, for the header's tooltip. */
  readonly title?: string;
  /** The column's track in the list's CSS grid. */
  readonly width: string;
  /** How the column sorts; its first click sorts ascending, and values are chosen so problems come first. */
  readonly kind: 'number' | 'text';
  /** Header written bottom to top, for narrow columns of marks. */
  readonly vertical?: boolean;
  readonly cell: (view: RuleView) => RuleCell;
}

const LEVEL_RANK: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3, informational: 4 };

/** Sigma's levels, most severe first (the level filter's order). */
export const LEVELS = Object.keys(LEVEL_RANK);

/** The level a rule is filtered by: its own, or `(none)`. */
export const levelOf = (rule: RuleReport): string => rule.level ?? '(none)';

/** The log source a rule is filtered by: its own, or `(unknown)` for a rule that did not load. */
export const sourceOf = (rule: RuleReport): string => rule.logsource ?? '(unknown)';

const count = (key: string, label: string, title: string, pick: (rule: RuleReport) => number): RuleColumn => ({
  key,
  label,
  title,
  width: '2.9rem',
  kind: 'number',
  cell: ({ rule }) => {
    const n = pick(rule);
    return { html: String(n), className: n === 0 ? 'num zero' : 'num' };
  },
});

/** The columns every report has, before one column per check. */
export const BASE_COLUMNS: readonly RuleColumn[] = [
  {
    key: 'status',
    label: 'Status',
    width: '5.8rem',
    kind: 'number',
    cell: ({ standing }) => {
      const failed = standing === 'not-loaded' || standing === 'failed';
      return {
        html: `${failed ? '✘ fail' : '✔ pass'}${standing === 'not-loaded' ? '<span class="note">did not load</span>' : ''}`,
        value: STANDING_RANK[standing],
        className: `status ${failed ? 'fail' : 'pass'}`,
      };
    },
  },
  {
    key: 'rule',
    label: 'Rule',
    title: 'title and file; why it fails',
    width: 'minmax(14rem, 1fr)',
    kind: 'text',
    cell: (view) => ({ html: renderRuleCell(view), value: view.rule.title }),
  },
  {
    key: 'level',
    label: 'Level',
    width: '6.4rem',
    kind: 'number',
    cell: ({ rule }) => ({ html: escapeHtml(rule.level ?? '–'), value: LEVEL_RANK[rule.level ?? ''] ?? LEVELS.length }),
  },
  {
    key: 'logsource',
    label: 'Log source',
    width: '10rem',
    kind: 'text',
    // A break after each slash keeps a long product/category in its column.
    cell: ({ rule }) => ({ html: rule.logsource === undefined ? '–' : escapeHtml(rule.logsource).replaceAll('/', '/<wbr>'), className: 'muted' }),
  },
  count('tp', 'TP', 'golden true positives', (rule) => rule.counts.truePositives),
  count('tn', 'TN', 'golden true negatives', (rule) => rule.counts.trueNegatives),
  count('fp', 'FP', 'documented false positives among the golden events', (rule) => rule.counts.falsePositives),
  {
    key: 'coverage',
    label: 'Coverage',
    title: 'logic coverage by the golden events: the lower of values and conditions',
    width: '7.6rem',
    kind: 'number',
    cell: ({ rule }) => ({ html: renderCoverageBar(rule), value: rule.coverage?.percent ?? -1 }),
  },
];

const MARKS = { pass: '✔', fail: '✘', skipped: '–' } as const;

/** The column of one check: a mark per rule, failed first when sorted. */
export function checkColumn(name: CheckName): RuleColumn {
  return {
    key: `check-${name}`,
    label: name,
    title: `the ${name} check: ✔ passed, ✘ failed, – skipped`,
    width: '2.2rem',
    kind: 'number',
    vertical: true,
    cell: ({ checks }) => {
      const check = checks.get(name);
      if (check === undefined) return { html: '·', value: 3, className: 'mark absent', attributes: `role="img" title="${escapeHtml(name)}: not run"` };
      const said = check.state === 'fail' ? `failed${check.failures > 0 ? ` (${pluralize(check.failures, 'failure')})` : ''}` : check.state === 'skipped' ? `skipped: ${check.skipped ?? ''}` : 'passed';
      // The mark is an image to assistive technology, named by its title (which is also its tooltip).
      return {
        html: MARKS[check.state],
        value: check.state === 'fail' ? 0 : check.state === 'skipped' ? 1 : 2,
        className: `mark ${check.state}`,
        attributes: `data-check="${escapeHtml(name)}" role="img" title="${escapeHtml(`${name}: ${said}`)}"`,
      };
    },
  };
}

/**
 * The mutation score of each rule (`dac mutate`): a bar against the policy's threshold; a rule below it
 * sorts first, a rule that was not mutated last.
 */
export const MUTATION_COLUMN: RuleColumn = {
  key: 'mutation',
  label: 'Mutation',
  title: 'mutation score: mutants killed over those not marked equivalent (dac mutate)',
  width: '7.6rem',
  kind: 'number',
  cell: ({ rule }) => {
    const m = rule.mutation;
    if (m === undefined) return { html: '<span class="muted">–</span>', value: 1000 };
    const percent = formatPercent(m.score);
    const below = m.score < m.threshold;
    const tone = !below ? '' : m.score === 0 ? ' none' : ' low';
    const title = `${pluralize(m.mutants, 'mutant')}: ${m.killed} killed, ${m.survived} survived, ${m.equivalent} equivalent; threshold ${formatPercent(m.threshold)}%`;
    return {
      html: `<div class="bar" role="img" aria-label="mutation score ${percent}%" title="${escapeHtml(title)}"><div class="fill${tone}" style="width: ${percent}%"></div></div> <span class="percent${below ? ' fail-text' : ''}">${percent}%</span>`,
      value: m.score - m.threshold,
    };
  },
};

/**
 * The list's columns for these rules: the base ones, the mutation score when some rule was mutated,
 * then one per check any rule ran, in check order.
 */
export function listColumns(views: readonly RuleView[]): RuleColumn[] {
  const names = sortChecks(views.flatMap((view) => [...view.checks.keys()]));
  const mutated = views.some((view) => view.rule.mutation !== undefined);
  return [...BASE_COLUMNS, ...(mutated ? [MUTATION_COLUMN] : []), ...names.map(checkColumn)];
}

function renderRuleCell({ rule }: RuleView): string {
  const first = rule.failures[0];
  const why =
    rule.loadError !== undefined
      ? rule.loadError
      : first !== undefined
        ? `${first.check}: ${first.message.split('\n')[0] ?? ''}${rule.failures.length > 1 ? ` (+${rule.failures.length - 1} more)` : ''}`
        : undefined;
  const gaps = rule.gaps.map((gap) => `<span class="tag gap${gap.fails ? ' fails' : ''}" data-gap="${escapeHtml(gap.kind)}">${escapeHtml(gap.kind.replaceAll('-', ' '))}</span>`).join('');
  return `<span class="title">${escapeHtml(rule.title)}</span>${gaps === '' ? '' : ` ${gaps}`}<span class="file">${escapeHtml(rule.file)}</span>${why === undefined ? '' : `<span class="why" title="${escapeHtml(why)}">${escapeHtml(why)}</span>`}`;
}

/** A coverage bar whose fill is the percent, with the percent beside it; a dash without golden events. */
export function renderCoverageBar(rule: RuleReport): string {
  if (rule.coverage === undefined) return '<span class="muted" title="no golden events">–</span>';
  const percent = formatPercent(rule.coverage.percent);
  const value = Number(percent);
  const tone = value === 0 ? ' none' : value < 80 ? ' low' : '';
  const c = rule.coverage;
  const title = `values ${c.values.covered}/${c.values.total}, conditions ${c.conditions.covered}/${c.conditions.total}`;
  return `<span class="bar" role="img" aria-label="coverage ${percent}%" title="${escapeHtml(title)}"><span class="fill${tone}" style="width: ${percent}%"></span></span> <span class="percent">${percent}%</span>`;
}

// A pack with this many failing rules or fewer opens them, so their failures show without a click;
// more stay closed, so a pack of hundreds keeps a page one scrolls in seconds.
const OPEN_FAILING_LIMIT = 5;

/** Renders the rule list: the filter bar (shown by the script), the header and one row per rule. */
export function renderRuleList(views: readonly RuleView[], renderBody: (view: RuleView) => string): string {
  const columns = listColumns(views);
  const failing = views.filter((view) => view.standing === 'failed' || view.standing === 'not-loaded').length;
  const head = columns
    .map((column) => {
      const label = column.vertical ? `<span class="vertical">${escapeHtml(column.label)}</span>` : escapeHtml(column.label);
      return `<span data-sort="${column.key}" data-kind="${column.kind}" data-label="${escapeHtml(column.label)}"${column.title === undefined ? '' : ` title="${escapeHtml(column.title)}"`}${column.kind === 'number' && !column.vertical ? ' class="num"' : ''}>${label}</span>`;
    })
    .join('');
  const rows = views.map((view) => {
    const { rule, standing } = view;
    const failed = sortChecks([...view.checks].filter(([, check]) => check.state === 'fail').map(([name]) => name));
    const states = [standing === 'not-loaded' || standing === 'failed' ? 'fail' : 'pass', ...(standing === 'not-loaded' ? ['not-loaded'] : []), ...(rule.gaps.length > 0 ? ['gaps'] : [])];
    const cells = columns.map((column) => {
      const cell = column.cell(view);
      return `<span data-col="${column.key}"${cell.value === undefined ? '' : ` data-value="${escapeHtml(String(cell.value))}"`}${cell.className === undefined ? '' : ` class="${cell.className}"`}${cell.attributes === undefined ? '' : ` ${cell.attributes}`}>${cell.html}</span>`;
    });
    const open = (standing === 'failed' || standing === 'not-loaded') && failing <= OPEN_FAILING_LIMIT;
    return `<details class="rule${states[0] === 'fail' ? ' failed' : ''}" id="rule-${view.index}"${open ? ' open' : ''} data-rule-id="${escapeHtml(rule.id)}" data-states="${states.join(' ')}" data-source="${escapeHtml(sourceOf(rule))}" data-level="${escapeHtml(levelOf(rule))}"${failed.length === 0 ? '' : ` data-failed="${failed.join(' ')}"`} data-search="${escapeHtml([rule.id, ...rule.tags].join(' '))}">
<summary>${cells.join('')}</summary>
${renderBody(view)}
</details>`;
  });
  const template = columns.map((column) => column.width).join(' ');
  return `<section id="rules-section">
<h2>Rules (${views.length})</h2>
<p class="muted">Failing rules first, then passing rules with gaps in their tests, then the rest. A row opens the rule's failures, facts${columns.includes(MUTATION_COLUMN) ? ', mutants' : ''} and golden events.</p>
<div class="rule-list" id="rule-list" style="--columns: ${template}">
<div class="list-top">
${renderFilters(views, columns)}
<div class="rule-head">${head}</div>
</div>
<div id="rule-rows">
${rows.join('\n')}
</div>
<p id="no-match" class="muted" hidden>No rule matches these filters.</p>
</div>
</section>`;
}

/** The filter bar: hidden in the page as written, shown by the script that makes it work. */
function renderFilters(views: readonly RuleView[], columns: readonly RuleColumn[]): string {
  const option = (value: string, label: string): string => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
  const tally = (values: readonly string[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const standings = tally(views.map((view) => view.standing));
  const failingCount = (standings.get('failed') ?? 0) + (standings.get('not-loaded') ?? 0);
  const gapCount = views.filter((view) => view.rule.gaps.length > 0).length;
  const statuses = [
    option('', `every status (${views.length})`),
    option('fail', `failing (${failingCount})`),
    option('pass', `passing (${views.length - failingCount})`),
    option('gaps', `with gaps (${gapCount})`),
    option('not-loaded', `did not load (${standings.get('not-loaded') ?? 0})`),
  ];
  const sources = [...tally(views.map((view) => sourceOf(view.rule)))].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  const levels = tally(views.map((view) => levelOf(view.rule)));
  const levelNames = [...LEVELS.filter((level) => levels.has(level)), ...[...levels.keys()].filter((level) => !LEVELS.includes(level)).sort()];
  const checkNames = columns.filter((column) => column.key.startsWith('check-')).map((column) => column.label as CheckName);
  const failedBy = (name: CheckName): number => views.filter((view) => view.checks.get(name)?.state === 'fail').length;
  // Each control is named by a label screen readers read; the visible text is its first option, so the bar is one line.
  return `<form id="rule-filters" class="filters" role="search" aria-label="Filter the rules" hidden>
<label class="sr" for="filter-text">Search the rules</label><input type="search" id="filter-text" placeholder="Search rules" title="Words to find in the title, file, id, tags, log source or failure" autocomplete="off">
<label class="sr" for="filter-status">Status</label><select id="filter-status">${statuses.join('')}</select>
<label class="sr" for="filter-source">Log source</label><select id="filter-source">${option('', 'every log source')}${sources.map(([source, n]) => option(source, `${source} (${n})`)).join('')}</select>
<label class="sr" for="filter-level">Level</label><select id="filter-level">${option('', 'every level')}${levelNames.map((level) => option(level, `${level} (${levels.get(level) ?? 0})`)).join('')}</select>
<label class="sr" for="filter-check">Failing check</label><select id="filter-check">${option('', 'any check')}${checkNames.map((name) => option(name, `${name} failed (${failedBy(name)})`)).join('')}</select>
<button type="reset">Clear</button>
<button type="button" id="open-shown">Open shown</button>
<button type="button" id="close-all">Close all</button>
<output id="filter-count" aria-live="polite">${pluralize(views.length, 'rule')}</output>
</form>`;
}
