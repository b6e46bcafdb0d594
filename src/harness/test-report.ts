import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { InputAccount } from '../events/input-account.js';

export type { InputAccount } from '../events/input-account.js';

/** What a golden event is expected to do: fire, not fire, or fire as a documented false positive. */
export type Verdict = 'match' | 'no-match' | 'false-positive';

/** The checks `dac test` runs for each rule; each becomes a JUnit testcase. */
export type CheckName = 'validate' | 'golden' | 'policy' | 'coverage' | 'properties' | 'sql' | 'version' | 'mutation';

/** One golden event's replay. */
export interface CaseResult {
  /** Event file, relative to the repository root, forward slashes. */
  readonly file: string;
  /** 0-based position of the event in its file. */
  readonly event: number;
  readonly expected: Verdict;
  /** What the engine said: `match` or `no-match` (a false positive is a match). */
  readonly got: 'match' | 'no-match';
  readonly passed: boolean;
  /** The log source the event came from, e.g. `sysmon` or `security-4688`, or `flat`. */
  readonly source: string;
  /** Fields that decided the verdict, with their values, for the diff. */
  readonly decidingFields: Readonly<Record<string, string>>;
  /** The falsepositives entry the event documents, for false positives. */
  readonly falsepositive?: string;
  readonly provenance?: string;
  /** For a golden event written in taxonomy fields: the format this case is its rendering in. */
  readonly rendering?: string;
  /**
   * Set when the rendering's log source cannot provide a field the rule needs for this event (the
   * mapping's `unavailable` list): the rule is expected not to fire there, and this says why.
   */
  readonly blindSpot?: string;
}

/** A failed check, written so a reviewer understands it without opening logs. */
export interface Failure {
  readonly check: CheckName;
  /** One line: what failed. */
  readonly message: string;
  /** Several lines: expected vs got, the fields that decided it, the counterexample. */
  readonly details?: string;
  /** Where to annotate: usually the rule file and the offending line. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** How much of a rule's logic the golden events exercised. */
export interface CoverageResult {
  /** Values of list-valued detection items that some true positive matched, over all such values. */
  readonly values: { readonly covered: number; readonly total: number; readonly uncovered: readonly string[] };
  /** Detection items and identifiers shown to matter by an MC/DC pair, over all of them. */
  readonly conditions: { readonly covered: number; readonly total: number; readonly uncovered: readonly string[] };
  /** The lower of the two, in percent (0 to 100). */
  readonly percent: number;
}

/** The outcome of a rule's property runs. */
export interface PropertyResult {
  readonly runs: number;
  readonly seed: number;
  readonly properties: number;
  readonly failed: number;
}

/** What one mutant of a rule became (`dac mutate`). */
export interface MutantResult {
  /** `<operator> <where>: <change>`, the name mutants.yml marks it by. */
  readonly id: string;
  readonly operator: string;
  /** The rule file line the mutant changes. */
  readonly line: number;
  readonly status: 'killed' | 'survived' | 'equivalent';
  /** The test that killed it, the event that would, or why it is marked equivalent. */
  readonly detail?: string;
}

/** How well a rule's tests pin its logic down (`dac mutate`): its mutants, and how many the tests killed. */
export interface MutationResult {
  readonly mutants: number;
  readonly killed: number;
  readonly killedBy: { readonly golden: number; readonly properties: number };
  readonly survived: number;
  /** Marked equivalent in mutants.yml, surviving, and told apart from the rule by no generated event. */
  readonly equivalent: number;
  /** Killed over the mutants not equivalent, in percent (100 when none is left). */
  readonly score: number;
  /** The policy's minimum score (dac.config.yml `minimum-mutation-score`). */
  readonly threshold: number;
  /** Proposals that are not mutants: the rule's own logic, another mutant's, not writable as text, not a valid rule. */
  readonly leftOut: { readonly sameLogic: number; readonly duplicates: number; readonly unwritable: number; readonly invalid: number };
  readonly results: readonly MutantResult[];
}

/** What a rule's tests lack: no golden events, or no scenario spec for the property checks. */
export type GapKind = 'no-golden-events' | 'no-scenario-spec';

/** A gap in a rule's tests: shown in every report, and failing the rule when dac.config.yml's policy says so. */
export interface Gap {
  readonly kind: GapKind;
  /** One line: what is missing and where it belongs. */
  readonly message: string;
  /** True when the policy (require-tests, require-scenarios) makes the gap a failure. */
  readonly fails: boolean;
}

/** One check of one rule: passed, failed, or skipped with the reason. */
export interface CheckResult {
  readonly name: CheckName;
  readonly passed: boolean;
  readonly skipped?: string;
}

/**
 * Records a check's outcome in a rule's list, one entry per check name: a check recorded again (golden
 * records the rule test file's errors, the id it names and the replay) is merged into its entry, so no
 * report lists it twice. Merged, it fails if any part failed (a failure says more than a skip, and the
 * failures carry the details); it is skipped, with the first reason, if every part passed and one was skipped.
 */
export function recordCheck(checks: CheckResult[], result: CheckResult): void {
  const at = checks.findIndex((check) => check.name === result.name);
  const found = checks[at];
  if (found === undefined) {
    checks.push(result);
    return;
  }
  const passed = found.passed && result.passed;
  const skipped = passed ? (found.skipped ?? result.skipped) : undefined;
  checks[at] = { name: result.name, passed, ...(skipped !== undefined ? { skipped } : {}) };
}

/** Everything `dac test` learned about one rule. */
export interface RuleReport {
  readonly id: string;
  readonly title: string;
  /** Rule file relative to the repository root, forward slashes. */
  readonly file: string;
  readonly level?: string;
  readonly status?: string;
  /** The rule's log source as Sigma writes it: product/category or product/service (`windows/process_creation`). */
  readonly logsource?: string;
  readonly tags: readonly string[];
  /** SHA-256 of the rule file's bytes as tested, so a pack can tell whether its rule is the one tested. */
  readonly sha256?: string;
  readonly passed: boolean;
  /** One entry per check name (see `recordCheck`), in the order the checks ran. */
  readonly checks: readonly CheckResult[];
  readonly counts: { readonly truePositives: number; readonly trueNegatives: number; readonly falsePositives: number };
  readonly cases: readonly CaseResult[];
  readonly coverage?: CoverageResult;
  readonly properties?: PropertyResult;
  /** Set by `dac mutate`. */
  readonly mutation?: MutationResult;
  readonly failures: readonly Failure[];
  /** What the rule's tests lack (empty when nothing is missing). */
  readonly gaps: readonly Gap[];
  /** Per golden event file: records read, recognised as a log source, not recognised, skipped. */
  readonly inputs: readonly InputAccount[];
  /**
   * Set when the rule file could not be loaded, parsed, compiled or validated into a rule that runs:
   * why, in one line. Such a rule is a failed rule in every report, never left out.
   */
  readonly loadError?: string;
}

/** A log source as reports name it: product/category, or product/service. */
export function describeLogSource(logsource: { readonly category?: string; readonly product?: string; readonly service?: string }): string {
  return [logsource.product, logsource.category ?? logsource.service].filter((part) => part !== undefined && part !== '').join('/') || '(none)';
}

/** The log sources of a run's rules, with how many rules each has, most rules first. */
export function countLogSources(rules: readonly Pick<RuleReport, 'logsource'>[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const rule of rules) if (rule.logsource !== undefined) counts.set(rule.logsource, (counts.get(rule.logsource) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The whole run: every rule, and the diagnostics not tied to a single rule's checks. */
export interface TestReport {
  /** The rule pack's name and version (package.json). */
  readonly pack: { readonly name: string; readonly version: string };
  readonly rules: readonly RuleReport[];
  readonly diagnostics: readonly Diagnostic[];
  readonly passed: boolean;
}
