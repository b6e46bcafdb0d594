import type { RuleReport, TestReport } from '../harness/test-report.js';
import { readAttackTags } from '../attack/tags.js';
import type { RuleVersion } from '../version/rule-version.js';

/** What `dac test` said about a rule, as the manifest records it. */
export interface ManifestTestSummary {
  readonly passed: boolean;
  /** Each check's outcome: passed, failed, or skipped (with why). */
  readonly checks: Readonly<Record<string, 'passed' | 'failed' | `skipped: ${string}`>>;
  readonly truePositives: number;
  readonly trueNegatives: number;
  readonly falsePositives: number;
  readonly coveragePercent?: number;
  readonly properties?: { readonly runs: number; readonly seed: number; readonly failed: number };
}

/** One rule of the pack, as its manifest lists it. */
export interface ManifestRule {
  readonly id: string;
  readonly title: string;
  /** The rule as YAML, relative to the package root. */
  readonly file: string;
  /** The same rule as JSON. */
  readonly json: string;
  readonly status?: string;
  readonly level?: string;
  readonly modified?: string;
  /** The rule's `attack.*` tags, and the technique ids and tactics they name. */
  readonly attack: { readonly tags: readonly string[]; readonly techniques: readonly string[]; readonly tactics: readonly string[] };
  readonly logicHash: string;
  /** Present when the pack was built with `--report` and the report tested exactly the packed rule. */
  readonly tests?: ManifestTestSummary;
  /** SHA-256 of the packed rule file's bytes: what test evidence must have been computed for. */
  readonly sha256?: string;
  /** Why a rule the report names is packed as untested (the report tested other contents). */
  readonly untested?: string;
  /** The rule's query per `target/profile`, as a path in the package. */
  readonly queries?: Readonly<Record<string, string>>;
  /** Why a target profile has no query for the rule. */
  readonly unconverted?: Readonly<Record<string, string>>;
}

/** manifest.json: what the pack is, what built it, and what each rule is and how it tested. */
export interface PackManifest {
  readonly name: string;
  readonly version: string;
  /** The harness that built it: package version and git commit (`dirty` when the rules had uncommitted changes). */
  readonly harness: { readonly name: string; readonly version: string; readonly commit?: string; readonly dirty?: boolean };
  /** The test run the summaries come from, when `--report` was given. */
  readonly testReport?: { readonly pack: { readonly name: string; readonly version: string }; readonly passed: boolean };
  readonly rules: readonly ManifestRule[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Summarises a rule's test report for the manifest. */
export function summarizeRuleReport(report: RuleReport): ManifestTestSummary {
  const checks: Record<string, ManifestTestSummary['checks'][string]> = {};
  for (const check of report.checks) checks[check.name] = check.skipped !== undefined ? `skipped: ${check.skipped}` : check.passed ? 'passed' : 'failed';
  return {
    passed: report.passed,
    checks,
    truePositives: report.counts.truePositives,
    trueNegatives: report.counts.trueNegatives,
    falsePositives: report.counts.falsePositives,
    ...(report.coverage ? { coveragePercent: report.coverage.percent } : {}),
    ...(report.properties ? { properties: { runs: report.properties.runs, seed: report.properties.seed, failed: report.properties.failed } } : {}),
  };
}

/** Describes one rule for the manifest; `jsonFile` is where its JSON form sits in the pack. */
export function describeManifestRule(rule: RuleVersion & { readonly id: string }, jsonFile: string, report?: RuleReport, sha256?: string, untested?: string): ManifestRule {
  const tags = Array.isArray(rule.raw.tags) ? rule.raw.tags.filter((tag): tag is string => typeof tag === 'string') : [];
  const attackTags = tags.filter((tag) => tag.toLowerCase().startsWith('attack.'));
  const { techniques, tactics } = readAttackTags(attackTags);
  const status = text(rule.raw.status);
  const level = text(rule.raw.level);
  return {
    id: rule.id,
    title: rule.title,
    file: rule.file,
    json: jsonFile,
    ...(status !== undefined ? { status } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(rule.modified !== undefined ? { modified: rule.modified } : {}),
    attack: { tags: attackTags, techniques, tactics },
    logicHash: rule.logicHash,
    ...(sha256 !== undefined ? { sha256 } : {}),
    ...(report ? { tests: summarizeRuleReport(report) } : {}),
    ...(untested !== undefined ? { untested } : {}),
  };
}

/** Picks a rule's report out of a test run, by id. */
export function findRuleReport(report: TestReport | undefined, id: string): RuleReport | undefined {
  return report?.rules.find((rule) => rule.id === id);
}
