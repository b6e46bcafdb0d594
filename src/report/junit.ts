import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CheckName, Failure, RuleReport, TestReport } from '../harness/test-report.js';
import { formatInputAccount, totalAccounts } from '../events/input-account.js';
import { escapeXmlAttribute, escapeXmlText } from './escape.js';

/** What a JUnit report needs beyond the test report: when and where the run happened. */
export interface JunitOptions {
  /** Start of the run; written without time zone (UTC), as the Ant schema's timestamp requires. */
  readonly timestamp: Date;
  readonly hostname: string;
}

/** The order checks are listed in, whatever order the harness reported them. */
export const CHECK_ORDER: readonly CheckName[] = ['validate', 'golden', 'policy', 'coverage', 'properties', 'sql', 'version', 'mutation'];

/** One JUnit testcase: a check of a rule, or the diagnostics of one file. */
export interface JunitTestCase {
  readonly name: string;
  readonly failure?: { readonly type: string; readonly message: string; readonly body: string };
  readonly skipped?: string;
}

/**
 * Renders the run as JUnit XML: a testsuite per rule and a testcase per check, valid against both
 * the Jenkins (xunit junit-10) and the Apache Ant JUnit schemas.
 */
export function renderJunit(report: TestReport, options: JunitOptions): string {
  // The Ant schema wants `YYYY-MM-DDTHH:MM:SS` with no zone or fraction.
  const timestamp = options.timestamp.toISOString().slice(0, 19);
  const hostname = options.hostname.trim() === '' ? 'localhost' : options.hostname.trim();
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  report.rules.forEach((rule, index) => {
    const cases = collectRuleCases(rule);
    tests += cases.length;
    failures += cases.filter((c) => c.failure !== undefined).length;
    suites.push(renderSuite(index, suiteName(rule), formatClassName(rule.file), cases, ruleProperties(rule), { timestamp, hostname }, describeRuleOutput(rule)));
  });
  if (report.diagnostics.length > 0) {
    const cases = collectDiagnosticCases(report.diagnostics);
    tests += cases.length;
    failures += cases.filter((c) => c.failure !== undefined).length;
    const out = report.diagnostics.map(formatDiagnostic).join('\n');
    suites.push(renderSuite(report.rules.length, 'diagnostics', 'diagnostics', cases, [], { timestamp, hostname }, out));
  }
  // The Ant schema allows no attributes on <testsuites>; CI tools sum the suites themselves, and
  // the totals stay readable in a comment.
  const name = `${report.pack.name} ${report.pack.version}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${escapeXmlComment(name)}: ${tests} tests, ${failures} failures -->`,
    '<testsuites>',
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** A rule's system-out: why it did not load, its gaps, and how its golden event files were read. */
function describeRuleOutput(rule: RuleReport): string {
  return [
    ...(rule.loadError === undefined ? [] : [rule.loadError]),
    ...rule.gaps.map((gap) => `gap: ${gap.message}${gap.fails ? ' (fails by policy)' : ' (allowed by policy)'}`),
    ...rule.inputs.map(formatInputAccount),
  ].join('\n');
}

/**
 * Lists a rule's testcases: one per check, in a fixed order, each carrying its failures; then one
 * skipped testcase per gap the policy allows (a gap it forbids fails the policy testcase).
 */
export function collectRuleCases(rule: RuleReport): JunitTestCase[] {
  return [...collectCheckCases(rule), ...rule.gaps.filter((gap) => !gap.fails).map((gap) => ({ name: `gap: ${gap.kind}`, skipped: gap.message }))];
}

function collectCheckCases(rule: RuleReport): JunitTestCase[] {
  const names = new Set<CheckName>(rule.checks.map((c) => c.name));
  // A failure for a check the harness did not list still has to show up somewhere.
  for (const f of rule.failures) names.add(f.check);
  const ordered = [...names].sort((a, b) => CHECK_ORDER.indexOf(a) - CHECK_ORDER.indexOf(b));
  return ordered.map((name) => {
    const check = rule.checks.find((c) => c.name === name);
    const failed = rule.failures.filter((f) => f.check === name);
    if (failed.length > 0) return { name, failure: mergeFailures(name, failed) };
    if (check !== undefined && !check.passed && check.skipped === undefined) {
      return { name, failure: { type: `dac.${name}`, message: `${name} check failed`, body: `${rule.file}: ${name} failed without details` } };
    }
    if (check?.skipped !== undefined) return { name, skipped: check.skipped };
    return { name };
  });
}

// The Ant schema allows one <failure> per testcase, so several failures of one check become one
// element whose body lists them all.
function mergeFailures(check: CheckName, failures: readonly Failure[]): NonNullable<JunitTestCase['failure']> {
  const first = failures[0];
  if (first === undefined) throw new Error('mergeFailures needs at least one failure');
  const message = failures.length === 1 ? oneLine(first.message) : `${failures.length} failures; first: ${oneLine(first.message)}`;
  const body = failures
    .map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}${f.details === undefined ? '' : `\n${f.details}`}`)
    .join('\n\n');
  return { type: `dac.${check}`, message, body };
}

function collectDiagnosticCases(diagnostics: readonly Diagnostic[]): JunitTestCase[] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = byFile.get(d.file);
    if (list === undefined) byFile.set(d.file, [d]);
    else list.push(d);
  }
  return [...byFile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, list]) => {
      const errors = list.filter((d) => d.severity === 'error');
      const first = errors[0];
      if (first === undefined) return { name: file };
      const message = errors.length === 1 ? oneLine(first.message) : `${errors.length} errors; first: ${oneLine(first.message)}`;
      return { name: file, failure: { type: first.code, message, body: list.map(formatDiagnostic).join('\n') } };
    });
}

function renderSuite(
  id: number,
  name: string,
  pkg: string,
  cases: readonly JunitTestCase[],
  properties: readonly (readonly [string, string])[],
  run: { timestamp: string; hostname: string },
  systemOut = '',
): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const lines = [
    `  <testsuite name="${escapeXmlAttribute(name)}" package="${escapeXmlAttribute(pkg)}" id="${id}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0" timestamp="${run.timestamp}" hostname="${escapeXmlAttribute(run.hostname)}">`,
    '    <properties>',
    ...properties.map(([n, v]) => `      <property name="${escapeXmlAttribute(n)}" value="${escapeXmlAttribute(v)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    const open = `    <testcase name="${escapeXmlAttribute(c.name)}" classname="${escapeXmlAttribute(pkg)}" time="0"`;
    if (c.failure !== undefined) {
      lines.push(
        `${open}>`,
        `      <failure type="${escapeXmlAttribute(c.failure.type)}" message="${escapeXmlAttribute(c.failure.message)}">${escapeXmlText(c.failure.body)}</failure>`,
        '    </testcase>',
      );
    } else if (c.skipped !== undefined) {
      lines.push(`${open}>`, `      <skipped message="${escapeXmlAttribute(oneLine(c.skipped))}"/>`, '    </testcase>');
    } else {
      lines.push(`${open}/>`);
    }
  }
  lines.push(`    <system-out>${escapeXmlText(systemOut)}</system-out>`, '    <system-err></system-err>', '  </testsuite>');
  return lines.join('\n');
}

function ruleProperties(rule: RuleReport): [string, string][] {
  const props: [string, string][] = [
    ['rule.id', rule.id],
    ['rule.file', rule.file],
  ];
  if (rule.level !== undefined) props.push(['rule.level', rule.level]);
  if (rule.status !== undefined) props.push(['rule.status', rule.status]);
  if (rule.tags.length > 0) props.push(['rule.tags', rule.tags.join(' ')]);
  props.push(
    ['golden.true-positives', String(rule.counts.truePositives)],
    ['golden.true-negatives', String(rule.counts.trueNegatives)],
    ['golden.false-positives', String(rule.counts.falsePositives)],
  );
  if (rule.coverage !== undefined) props.push(['coverage.percent', String(rule.coverage.percent)]);
  if (rule.properties !== undefined) {
    props.push(['properties.runs', String(rule.properties.runs)], ['properties.seed', String(rule.properties.seed)]);
  }
  if (rule.mutation !== undefined) {
    const m = rule.mutation;
    props.push(
      ['mutation.score', String(m.score)],
      ['mutation.threshold', String(m.threshold)],
      ['mutation.mutants', String(m.mutants)],
      ['mutation.killed', String(m.killed)],
      ['mutation.survived', String(m.survived)],
      ['mutation.equivalent', String(m.equivalent)],
    );
  }
  if (rule.loadError !== undefined) props.push(['rule.load-error', rule.loadError]);
  for (const gap of rule.gaps) props.push([`gap.${gap.kind}`, gap.fails ? 'fails' : 'allowed']);
  if (rule.inputs.length > 0) {
    const totals = totalAccounts(rule.inputs);
    props.push(
      ['golden.records-read', String(totals.read)],
      ['golden.records-recognised', String(totals.recognised)],
      ['golden.records-taxonomy', String(totals.taxonomy)],
      ['golden.records-not-recognised', String(totals.unrecognised)],
      ['golden.records-skipped', String(totals.skipped)],
    );
  }
  return props;
}

// The Ant schema types suite names as non-empty tokens: a blank title falls back to the id.
function suiteName(rule: RuleReport): string {
  const title = oneLine(rule.title);
  if (title !== '') return title;
  return rule.id.trim() !== '' ? rule.id.trim() : rule.file;
}

/** Names a rule file as a dotted class name, so CI tools group rules by folder. */
export function formatClassName(file: string): string {
  const dotted = file
    .replace(/\.ya?ml$/i, '')
    .replace(/\./g, '_')
    .split('/')
    .filter((s) => s !== '')
    .join('.')
    .replace(/\s+/g, '_');
  return dotted === '' ? 'rule' : dotted;
}

// XML 1.0 §2.5: a comment may not contain `--` nor end with `-`.
function escapeXmlComment(text: string): string {
  return escapeXmlText(text).replace(/-(?=-)/g, '- ').replace(/-$/, '- ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
