import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileRule, type CompiledRule } from '../compile/compile-rule.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findUnavailableFields } from '../mapping/find-unavailable-fields.js';
import { loadMappings } from '../mapping/load-mappings.js';
import type { Mapping, SourceBinding } from '../mapping/mapping.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import type { DetectionNode } from '../model/detection.js';
import type { SigmaRule } from '../model/rule.js';
import { validateFileSet } from '../validate/validate-files.js';
import { runVersionCheck } from '../version/check-versions.js';
import { readRepositoryLayout } from '../version/repository.js';
import { listRuleFiles } from '../version/rule-version.js';
import { loadConfig, type DacConfig, type RenderingChoice } from './config.js';
import { computeCoverage } from './coverage.js';
import { replayGolden, type ReplayedEvent } from './golden.js';
import { checkPolicy } from './policy.js';
import { loadRuleTestSpec, type RuleTestSpec } from './rule-test-spec.js';
import { describeLogSource, type CheckName, type Failure, type RuleReport, type TestReport } from './test-report.js';
import { updateSpecText, type SpecChange } from './update-spec.js';

/** How `dac test` runs. */
export interface TestOptions {
  readonly repoRoot: string;
  /** Overrides dac.config.yml's property seed and runs. */
  readonly seed?: number;
  readonly runs?: number;
  /** Overrides dac.config.yml's choice of renderings read back per generated event. */
  readonly renderings?: RenderingChoice;
  /** Rewrite failing golden expectations to what the engine says (only when asked). */
  readonly update?: boolean;
  /** Limit the work to these rule files (repository-relative), e.g. from `--changed-since`. */
  readonly onlyFiles?: ReadonlySet<string>;
  /** The git ref `--changed-since` named, so the version check limits itself the same way. */
  readonly changedSince?: string;
  /** Extra per-rule checks (properties, version bookkeeping) plugged in by the caller. */
  readonly extraChecks?: readonly RuleCheck[];
}

/** Everything a per-rule check may look at. */
export interface RuleContext {
  readonly rule: SigmaRule;
  readonly compiled: CompiledRule;
  readonly bindings: readonly SourceBinding[];
  readonly spec: RuleTestSpec | undefined;
  readonly events: readonly ReplayedEvent[];
  readonly config: DacConfig;
  readonly repoRoot: string;
  readonly seed: number;
  readonly runs: number;
  readonly renderings: RenderingChoice;
  /** The rule's test folder, whether or not it exists. */
  readonly testFolder: string;
}

/** A check `dac test` runs per rule beyond golden replay, policy and coverage. */
export interface RuleCheck {
  readonly name: CheckName;
  run(context: RuleContext): Promise<{ failures: Failure[]; skipped?: string; properties?: RuleReport['properties']; notes?: readonly Diagnostic[] }>;
}

/** What a `dac test` run produced. */
export interface TestRun {
  readonly report: TestReport;
  readonly changes: readonly SpecChange[];
}

const failureOf = (check: CheckName, diagnostic: Diagnostic): Failure => ({
  check,
  message: `${diagnostic.code}: ${diagnostic.message}`,
  file: diagnostic.file,
  line: diagnostic.line,
  column: diagnostic.column,
});

/** The warning that a rule reads a field one of its log sources cannot provide. */
function describeBlindSpots(rule: SigmaRule, compiledFields: readonly string[], bindings: readonly SourceBinding[]): Diagnostic[] {
  return findUnavailableFields(compiledFields, bindings).map((blind) =>
    createDiagnostic(rule.file, rule.source.locate(['detection']), 'logsource/unavailable-field', 'warning',
      `rule '${rule.title}' reads ${blind.field}, which ${blind.source} cannot provide: ${blind.reason}`),
  );
}

/** One note per reason a rendered golden event is expected not to fire (its source cannot show a field). */
function describeGoldenBlindSpots(rule: SigmaRule, events: readonly ReplayedEvent[]): Diagnostic[] {
  const counts = new Map<string, number>();
  for (const { result } of events) if (result.blindSpot !== undefined) counts.set(result.blindSpot, (counts.get(result.blindSpot) ?? 0) + 1);
  return [...counts].map(([reason, count]) =>
    createDiagnostic(rule.file, rule.source.locate(['detection']), 'golden/blind-spot', 'note',
      `${count} rendering${count === 1 ? '' : 's'} of golden events in taxonomy fields ${count === 1 ? 'is' : 'are'} expected not to match: ${reason}`));
}

function collectFields(rule: SigmaRule): string[] {
  const fields = new Set<string>();
  const visit = (node: DetectionNode): void => {
    if (node.kind === 'item') {
      if (node.field !== undefined) fields.add(node.field);
    } else node.items.forEach(visit);
  };
  for (const identifier of rule.detection.identifiers.values()) visit(identifier.body);
  return [...fields];
}

async function testRule(
  rule: SigmaRule,
  versionFailures: readonly Failure[],
  validation: readonly Diagnostic[],
  mapping: Mapping,
  config: DacConfig,
  options: TestOptions,
  changes: SpecChange[],
  diagnostics: Diagnostic[],
): Promise<RuleReport> {
  const failures: Failure[] = [];
  const checks: { name: CheckName; passed: boolean; skipped?: string }[] = [];
  const record = (name: CheckName, found: readonly Failure[], skipped?: string): void => {
    failures.push(...found);
    checks.push({ name, passed: found.length === 0, ...(skipped ? { skipped } : {}) });
  };
  const errors = validation.filter((d) => d.file === rule.file && d.severity === 'error');
  record('validate', errors.map((d) => failureOf('validate', d)));

  const bindings = resolveLogSource(mapping, rule.logsource);
  const { compiled, diagnostics: compileDiagnostics } = compileRule(rule, { bindings });
  diagnostics.push(...describeBlindSpots(rule, collectFields(rule), bindings));
  const base = { id: rule.id ?? '', title: rule.title, file: rule.file, level: rule.level, status: rule.status, logsource: describeLogSource(rule.logsource), tags: rule.tags };
  if (!compiled) {
    record('golden', compileDiagnostics.map((d) => failureOf('golden', d)));
    return { ...base, passed: false, checks, counts: { truePositives: 0, trueNegatives: 0, falsePositives: 0 }, cases: [], failures };
  }

  const testFolder = join(options.repoRoot, config.tests, basename(rule.file).replace(/\.ya?ml$/, ''));
  let spec: RuleTestSpec | undefined;
  if (existsSync(join(testFolder, 'rule-test.yml'))) {
    const loaded = await loadRuleTestSpec(testFolder, options.repoRoot);
    spec = loaded.spec;
    record('golden', loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => failureOf('golden', d)));
    if (spec && spec.ruleId !== rule.id) {
      record('golden', [{ check: 'golden', message: `${spec.file} tests rule ${spec.ruleId}, but the rule's id is ${rule.id ?? '(none)'}`, file: spec.file, line: spec.ruleIdAt.line, column: spec.ruleIdAt.column }]);
    }
  }

  let events: readonly ReplayedEvent[] = [];
  if (spec) {
    const replay = await replayGolden(compiled, spec, bindings);
    events = replay.events;
    record('golden', replay.failures);
    diagnostics.push(...describeGoldenBlindSpots(rule, events));
    if (options.update && replay.failures.length) {
      const updated = updateSpecText(spec, events);
      changes.push(...updated.changes);
      if (updated.text !== spec.text) {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(spec.path, updated.text);
      }
    }
  } else {
    checks.push({ name: 'golden', passed: true, skipped: 'no rule-test.yml' });
  }

  record('policy', checkPolicy({ rule, spec, events, bindings, policy: config.policy }));

  const coverage = spec ? computeCoverage(rule.detection, events) : undefined;
  if (coverage) {
    const below = coverage.percent < config.policy.minimumCoverage;
    const detail = [...coverage.values.uncovered.map((v) => `value not hit by a true positive: ${v}`), ...coverage.conditions.uncovered.map((c) => `not shown to matter (no MC/DC pair): ${c}`)].join('\n');
    const at = rule.source.locate(['detection']);
    record('coverage', below ? [{ check: 'coverage', message: `coverage ${coverage.percent}% is below the required ${config.policy.minimumCoverage}%`, details: detail, file: rule.file, line: at.line, column: at.column }] : []);
  } else {
    checks.push({ name: 'coverage', passed: true, skipped: 'no golden events' });
  }

  const seed = options.seed ?? config.properties.seed;
  const runs = options.runs ?? config.properties.runs;
  const renderings = options.renderings ?? config.properties.renderings;
  let properties: RuleReport['properties'];
  for (const check of options.extraChecks ?? []) {
    const outcome = await check.run({ rule, compiled, bindings, spec, events, config, repoRoot: options.repoRoot, seed, runs, renderings, testFolder });
    record(check.name, outcome.failures, outcome.skipped);
    // Notes (blind spots of a log source, say) inform the report without failing the check.
    diagnostics.push(...(outcome.notes ?? []));
    properties ??= outcome.properties;
  }

  record('version', versionFailures.filter((failure) => failure.file === rule.file));

  const results = events.map((event) => event.result);
  return {
    ...base,
    passed: failures.length === 0,
    checks,
    counts: {
      truePositives: results.filter((r) => r.expected === 'match').length,
      trueNegatives: results.filter((r) => r.expected === 'no-match').length,
      falsePositives: results.filter((r) => r.expected === 'false-positive').length,
    },
    cases: results,
    ...(coverage ? { coverage } : {}),
    ...(properties ? { properties } : {}),
    failures,
  };
}

/**
 * Runs `dac test`: validates every rule, replays its golden events through the real readers, mapping
 * and engine, holds it to the policy and coverage of dac.config.yml, and runs the extra checks.
 */
export async function runTests(options: TestOptions): Promise<TestRun> {
  const { config, diagnostics: configDiagnostics } = await loadConfig(options.repoRoot);
  const diagnostics: Diagnostic[] = [...configDiagnostics];
  const allFiles = await listRuleFiles(options.repoRoot, config.rules);
  const files = options.onlyFiles ? allFiles.filter((file) => options.onlyFiles?.has(file)) : allFiles;
  // Filters are validated with the rules: a broken filter would silently stop tuning its rule.
  const sigmaFolders = [config.rules, config.filters].filter((folder) => existsSync(join(options.repoRoot, folder)));
  const validation = await validateFileSet(sigmaFolders, { cwd: options.repoRoot });
  const { mappings, diagnostics: mappingDiagnostics } = await loadMappings(join(options.repoRoot, config.mappings));
  diagnostics.push(...mappingDiagnostics);
  // Validation has loaded and parsed every rule already; test those under the rules folder, in file order.
  const order = new Map(files.map((file, index) => [file, index]));
  const rules = validation.rules
    .filter((rule) => order.has(rule.file))
    .sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  const tested = new Set(rules.map((rule) => rule.file));
  // Errors of tested rules become their `validate` failures; everything else is reported as it is.
  diagnostics.push(...validation.diagnostics.filter((d) => d.severity !== 'error' || !tested.has(d.file)));

  const version = await runVersionCheck(options.repoRoot, {
    rulesDir: config.rules,
    testsDir: config.tests,
    ...(options.changedSince !== undefined ? { changedSince: options.changedSince } : {}),
  });
  diagnostics.push(...version.diagnostics);
  // Version failures not about a tested rule (a removed rule, a malformed changeset) fail the run as diagnostics.
  for (const failure of version.failures.filter((f) => !tested.has(f.file))) {
    diagnostics.push(createDiagnostic(failure.file, failure, 'version/bookkeeping', 'error', failure.message));
  }

  const changes: SpecChange[] = [];
  const reports: RuleReport[] = [];
  for (const rule of rules) {
    reports.push(await testRule(rule, version.failures, validation.diagnostics, mappings, config, options, changes, diagnostics));
  }
  // A rule file that failed to load, a broken mapping or config: errors with no rule report fail the run.
  const passed = reports.every((report) => report.passed) && !diagnostics.some((d) => d.severity === 'error');
    const layout = await readRepositoryLayout(options.repoRoot);
  const pack = { name: layout.packageName || basename(options.repoRoot), version: layout.packageVersion || '0.0.0' };
  return { report: { pack, rules: reports, diagnostics, passed }, changes };
}
