import { createHash } from 'node:crypto';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Failure, RuleReport, TestReport } from '../harness/test-report.js';
import { describeCode } from '../validate/describe-code.js';
import { CHECK_HELP, GAP_HELP } from './check-help.js';
import { chooseCodeFence, sanitizeXmlChars, truncateText } from './escape.js';
import { toSarif, type RuleDescription, type SarifLog, type SarifResult } from './sarif.js';

/** A result for a failed check: the generic result plus what ties it to its rule. */
export interface SarifFailureResult extends SarifResult {
  readonly message: { readonly text: string; readonly markdown?: string };
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly properties: { readonly check: string; readonly ruleId: string; readonly ruleTitle: string; readonly ruleFile: string };
}

type SarifRun = SarifLog['runs'][number];

/** The SARIF log of a test run: toSarif's run, plus its automation id and the run's verdict. */
export interface SarifTestLog extends SarifLog {
  readonly runs: readonly (SarifRun & {
    readonly automationDetails: { readonly id: string };
    readonly results: readonly (SarifResult | SarifFailureResult)[];
    readonly properties: {
      readonly pack: { readonly name: string; readonly version: string };
      readonly passed: boolean;
      readonly rules: number;
      /** `dac mutate`: each mutated rule's score. */
      readonly mutation?: readonly MutationScore[];
    };
  })[];
}

/** A rule's mutation score as the SARIF run's properties carry it. */
export interface MutationScore {
  readonly ruleId: string;
  readonly ruleFile: string;
  readonly score: number;
  readonly threshold: number;
  readonly mutants: number;
  readonly killed: number;
  readonly survived: number;
  readonly equivalent: number;
}

/** Inputs of the SARIF report besides the test report. */
export interface SarifReportOptions {
  /** Absolute repository root; published as SRCROOT so viewers outside CI can open the rule files. */
  readonly repoRoot?: string;
  /** The run's automation id, which GitHub code scanning takes as the category (default `dac-test/`; `dac mutate` writes `dac-mutate/`). */
  readonly automationId?: string;
}

// Viewers list messages; very long counterexamples belong in report.html.
const MAX_DETAIL_CHARS = 8000;
const MAX_DETAIL_LINES = 200;

const CHECK_BY_ID: ReadonlyMap<string, RuleDescription> = new Map(
  Object.values(CHECK_HELP).map((c) => [c.id, { summary: c.summary, help: c.help }]),
);
const GAP_BY_ID: ReadonlyMap<string, RuleDescription> = new Map(
  Object.values(GAP_HELP).map((c) => [c.id, { summary: c.summary, help: c.help }]),
);

/**
 * Renders the run as SARIF 2.1.0: one error result per failed check, located on its rule file line,
 * then the run's diagnostics, with rule metadata and help text for every check and diagnostic code.
 */
export function renderSarifReport(report: TestReport, options: SarifReportOptions = {}): SarifTestLog {
  const failures = report.rules.flatMap((rule) => rule.failures.map((failure) => ({ rule, failure })));
  // Failures go through the same conversion as diagnostics, so locations and rule metadata are written one way.
  const asDiagnostics: Diagnostic[] = failures.map(({ rule, failure }) =>
    createDiagnostic(failure.file, failure, CHECK_HELP[failure.check].id, 'error', composeText(rule, failure)),
  );
  // Gaps the policy allows are notes on the rule file, so code scanning shows them too; a gap the policy
  // forbids is already a failure of the policy check.
  const gaps: Diagnostic[] = report.rules.flatMap((rule) =>
    rule.gaps.filter((gap) => !gap.fails).map((gap) =>
      createDiagnostic(rule.file, { line: 1, column: 1 }, GAP_HELP[gap.kind].id, 'note', `${sanitizeXmlChars(rule.title)}: ${gap.message}`)),
  );
  const log = toSarif([...asDiagnostics, ...report.diagnostics, ...gaps], {
    toolVersion: report.pack.version,
    describeRule: (code) => CHECK_BY_ID.get(code) ?? GAP_BY_ID.get(code) ?? describeCode(code),
    ...(options.repoRoot === undefined ? {} : { sourceRoot: options.repoRoot }),
  });
  const run = log.runs[0];
  if (run === undefined) throw new Error('toSarif returned no run');
  const results = run.results.map((result, i) => {
    const entry = failures[i];
    return entry === undefined ? result : enrichFailure(result, entry.rule, entry.failure);
  });
  return {
    ...log,
    runs: [
      {
        ...run,
        // GitHub code scanning takes the automation id as the category: these results stay apart from `dac validate`'s.
        automationDetails: { id: options.automationId ?? 'dac-test/' },
        results,
        properties: { pack: { name: report.pack.name, version: report.pack.version }, passed: report.passed, rules: report.rules.length, ...collectMutationScores(report) },
      },
    ],
  };
}

function collectMutationScores(report: TestReport): { mutation?: MutationScore[] } {
  const scores = report.rules.flatMap((rule) => {
    const m = rule.mutation;
    if (m === undefined) return [];
    return [{ ruleId: rule.id, ruleFile: rule.file, score: m.score, threshold: m.threshold, mutants: m.mutants, killed: m.killed, survived: m.survived, equivalent: m.equivalent }];
  });
  return scores.length === 0 ? {} : { mutation: scores };
}

function composeText(rule: RuleReport, failure: Failure): string {
  const head = `${sanitizeXmlChars(rule.title)}: ${sanitizeXmlChars(failure.message)}`;
  const details = readDetails(failure);
  return details === undefined ? head : `${head}\n\n${details}`;
}

function readDetails(failure: Failure): string | undefined {
  if (failure.details === undefined || failure.details === '') return undefined;
  return sanitizeXmlChars(truncateText(failure.details, MAX_DETAIL_CHARS, MAX_DETAIL_LINES));
}

function enrichFailure(result: SarifResult, rule: RuleReport, failure: Failure): SarifFailureResult {
  const details = readDetails(failure);
  const head = `${sanitizeXmlChars(rule.title)}: ${sanitizeXmlChars(failure.message)}`;
  // A stable identity for the alert across runs, independent of the line it moves to.
  const fingerprint = createHash('sha256').update(`${rule.id}\0${failure.check}\0${failure.file}\0${failure.message}`).digest('hex');
  return {
    ...result,
    message: {
      text: result.message.text,
      ...(details === undefined ? {} : { markdown: `${escapeMarkdown(head)}\n\n${fence(details)}` }),
    },
    partialFingerprints: { 'dacTestFailure/v1': fingerprint },
    properties: { check: failure.check, ruleId: rule.id, ruleTitle: rule.title, ruleFile: rule.file },
  };
}

// CommonMark §2.4: backslash-escape the punctuation that would start markup.
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`);
}

function fence(text: string): string {
  const marks = chooseCodeFence(text);
  return `${marks}text\n${text}\n${marks}`;
}

/** Serialises the SARIF log with two-space indentation and a final newline. */
export function formatSarif(log: SarifTestLog): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}
