import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { compileRule, type CompiledRule } from '../compile/compile-rule.js';
import { createDiagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { FileWriteError, writeFileAtomic } from '../files/write-file-atomic.js';
import { findUnavailableFields } from '../mapping/find-unavailable-fields.js';
import { loadMappings } from '../mapping/load-mappings.js';
import type { Mapping, SourceBinding } from '../mapping/mapping.js';
import { createSourceRecogniser, type SourceRecogniser } from '../mapping/recognise-source.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import type { SigmaRule } from '../model/rule.js';
import { readHeadLeniently, type RuleHead } from '../load/lenient-head.js';
import type { LintDocument } from '../validate/lint.js';
import { validateFileSet } from '../validate/validate-files.js';
import { runVersionCheck } from '../version/check-versions.js';
import { readRepositoryLayout } from '../version/repository.js';
import { listRepositoryRuleFiles } from '../files/list-rule-files.js';
import { loadConfig, type DacConfig, type RenderingChoice } from './config.js';
import { computeCoverage } from './coverage.js';
import { replayGolden, type ReplayedEvent } from './golden.js';
import { checkPolicy } from './policy.js';
import { loadRuleTestSpec, SPEC_FILE, type RuleTestSpec } from './rule-test-spec.js';
import { SCENARIO_FILE } from './scenario-spec.js';
import { describeLogSource, recordCheck, type CheckName, type CheckResult, type Failure, type Gap, type RuleReport, type TestReport } from './test-report.js';
import { updateSpecText, type SpecChange } from './update-spec.js';
import { detectionFields } from '../model/rule-fields.js';

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
  /** Told which rule and check run, and how far, for a progress display (`dac test` on a terminal). */
  readonly onProgress?: (step: TestStep) => void;
}

/** Where a `dac test` run is: the rule (0-based, of `rules`), the check running, how far into the rule. */
export interface TestStep {
  readonly rule: number;
  readonly rules: number;
  readonly file: string;
  readonly check: CheckName;
  /** What the check is doing, e.g. the property running. */
  readonly detail?: string;
  /** How much of this rule's work is done, 0 to 1 (the property runs are most of it). */
  readonly fraction: number;
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
  /** Tells the progress display what the check is doing and how much of it is done (0 to 1). */
  readonly reportProgress?: (detail: string, fraction: number) => void;
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
  /** rule-test.yml files `--update` could not write (each left as it was). */
  readonly writeErrors: readonly FileWriteError[];
}

const failureOf = (check: CheckName, diagnostic: Diagnostic): Failure => ({
  check,
  message: `${diagnostic.code}: ${diagnostic.message}`,
  file: diagnostic.file,
  line: diagnostic.line,
  column: diagnostic.column,
});

/** The SHA-256 of a rule file's bytes, as the report records it (none when it cannot be read). */
async function hashRuleFile(repoRoot: string, file: string): Promise<{ sha256?: string }> {
  try {
    return { sha256: createHash('sha256').update(await readFile(join(repoRoot, file))).digest('hex') };
  } catch {
    return {};
  }
}

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


/** What every rule's test shares: the run's options, config, mappings and the version check's findings. */
interface RunContext {
  readonly options: TestOptions;
  readonly config: DacConfig;
  readonly mapping: Mapping;
  readonly recogniser: SourceRecogniser;
  readonly versionFailures: readonly Failure[];
  /** Rule files the version check could not read (broken YAML): their version check is skipped, not failed. */
  readonly unreadableFiles: ReadonlySet<string>;
  readonly changes: SpecChange[];
  /** rule-test.yml files `--update` could not write (each left as it was). */
  readonly writeErrors: FileWriteError[];
  readonly diagnostics: Diagnostic[];
}

/** The gaps in a rule's tests, each failing when the policy requires what is missing. */
function findGaps(testFolder: string, config: DacConfig, hasSpec: boolean): Gap[] {
  const gaps: Gap[] = [];
  const folder = join(config.tests, basename(testFolder));
  if (!hasSpec) {
    gaps.push({
      kind: 'no-golden-events',
      message: `no golden events: ${folder}/${SPEC_FILE} does not exist`,
      fails: config.policy.requireTests,
    });
  }
  if (!existsSync(join(testFolder, SCENARIO_FILE))) {
    gaps.push({
      kind: 'no-scenario-spec',
      message: `no scenario spec: ${folder}/${SCENARIO_FILE} does not exist, so no property is checked`,
      fails: config.policy.requireScenarios,
    });
  }
  return gaps;
}

/** Tells the progress display which check of the rule runs and how far the rule is (0 to 1). */
type RuleProgress = (check: CheckName, fraction: number, detail?: string) => void;

async function testRule(rule: SigmaRule, errors: readonly Diagnostic[], run: RunContext, progress: RuleProgress = () => undefined): Promise<RuleReport> {
  const { options, config, mapping, changes, writeErrors, diagnostics } = run;
  const failures: Failure[] = [];
  const checks: CheckResult[] = [];
  // A check recorded again (golden: the spec's errors, the id it names, the replay) joins its entry.
  const record = (name: CheckName, found: readonly Failure[], skipped?: string): void => {
    failures.push(...found);
    recordCheck(checks, { name, passed: found.length === 0, ...(skipped ? { skipped } : {}) });
  };
  record('validate', errors.map((d) => failureOf('validate', d)));

  const bindings = resolveLogSource(mapping, rule.logsource);
  const { compiled, diagnostics: compileDiagnostics } = compileRule(rule, { bindings });
  diagnostics.push(...describeBlindSpots(rule, detectionFields(rule), bindings));
  const base = { id: rule.id ?? '', title: rule.title, file: rule.file, level: rule.level, status: rule.status, logsource: describeLogSource(rule.logsource), tags: rule.tags, ...(await hashRuleFile(options.repoRoot, rule.file)) };
  const testFolder = join(options.repoRoot, config.tests, basename(rule.file).replace(/\.ya?ml$/, ''));
  if (!compiled) {
    record('golden', compileDiagnostics.map((d) => failureOf('golden', d)));
    const first = compileDiagnostics[0];
    return {
      ...base,
      passed: false,
      checks,
      counts: { truePositives: 0, trueNegatives: 0, falsePositives: 0 },
      cases: [],
      failures,
      gaps: [],
      inputs: [],
      loadError: first ? `the rule does not compile: ${first.code} ${first.message} (line ${first.line})` : 'the rule does not compile',
    };
  }

  let spec: RuleTestSpec | undefined;
  const hasSpec = existsSync(join(testFolder, SPEC_FILE));
  if (hasSpec) {
    const loaded = await loadRuleTestSpec(testFolder, options.repoRoot);
    spec = loaded.spec;
    record('golden', loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => failureOf('golden', d)));
    if (spec && spec.ruleId !== rule.id) {
      record('golden', [{ check: 'golden', message: `${spec.file} tests rule ${spec.ruleId}, but the rule's id is ${rule.id ?? '(none)'}`, file: spec.file, line: spec.ruleIdAt.line, column: spec.ruleIdAt.column }]);
    }
  }
  const gaps = findGaps(testFolder, config, hasSpec);

  let events: readonly ReplayedEvent[] = [];
  progress('golden', 0);
  let inputs: RuleReport['inputs'] = [];
  if (spec) {
    const replay = await replayGolden(compiled, spec, bindings, run.recogniser.recognise);
    events = replay.events;
    inputs = replay.inputs;
    record('golden', replay.failures);
    diagnostics.push(...describeGoldenBlindSpots(rule, events));
    if (options.update && replay.failures.length) {
      const updated = updateSpecText(spec, events);
      // Whole or not at all: a run killed while writing leaves the spec as it was or as updated.
      const failed = updated.text === spec.text ? undefined : await writeFileAtomic(spec.path, updated.text).then(() => undefined, (error: unknown) => {
        if (!(error instanceof FileWriteError)) throw error;
        writeErrors.push(error);
        return error;
      });
      changes.push(...(failed ? updated.changes.map((change) => (change.applied ? { ...change, applied: false, note: `${spec.file} could not be written: ${failed.reason}` } : change)) : updated.changes));
    }
  } else {
    record('golden', [], hasSpec ? `${SPEC_FILE} could not be read` : `no ${SPEC_FILE}`);
  }

  record('policy', checkPolicy({ rule, spec, events, bindings, policy: config.policy, gaps }));

  const coverage = spec ? computeCoverage(rule.detection, events) : undefined;
  if (coverage) {
    const below = coverage.percent < config.policy.minimumCoverage;
    const detail = [...coverage.values.uncovered.map((v) => `value not hit by a true positive: ${v}`), ...coverage.conditions.uncovered.map((c) => `not shown to matter (no MC/DC pair): ${c}`)].join('\n');
    const at = rule.source.locate(['detection']);
    record('coverage', below ? [{ check: 'coverage', message: `coverage ${coverage.percent}% is below the required ${config.policy.minimumCoverage}%`, details: detail, file: rule.file, line: at.line, column: at.column }] : []);
  } else {
    record('coverage', [], 'no golden events');
  }

  const seed = options.seed ?? config.properties.seed;
  const runs = options.runs ?? config.properties.runs;
  const renderings = options.renderings ?? config.properties.renderings;
  let properties: RuleReport['properties'];
  for (const check of options.extraChecks ?? []) {
    progress(check.name, 0.05);
    const reportProgress = (detail: string, fraction: number): void => progress(check.name, 0.05 + 0.95 * fraction, detail);
    const outcome = await check.run({ rule, compiled, bindings, spec, events, config, repoRoot: options.repoRoot, seed, runs, renderings, testFolder, reportProgress });
    record(check.name, outcome.failures, outcome.skipped);
    // Notes (blind spots of a log source, say) inform the report without failing the check.
    diagnostics.push(...(outcome.notes ?? []));
    properties ??= outcome.properties;
  }

  recordVersion(rule.file, run, record);

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
    gaps,
    inputs,
  };
}

/** The version check of one rule file: its failures, or skipped when the check could not read the file. */
function recordVersion(file: string, run: RunContext, record: (name: CheckName, found: readonly Failure[], skipped?: string) => void): void {
  if (run.unreadableFiles.has(file)) {
    record('version', [], 'the file could not be read, so its version bookkeeping could not be checked');
    return;
  }
  record('version', run.versionFailures.filter((failure) => failure.file === file));
}

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;


function readHeadFromDocument(raw: Readonly<Record<string, unknown>>): RuleHead {
  const tags = Array.isArray(raw.tags) ? raw.tags.flatMap((tag) => (textOf(tag) === undefined ? [] : [textOf(tag) as string])) : [];
  const id = textOf(raw.id);
  const title = textOf(raw.title);
  const level = textOf(raw.level);
  const status = textOf(raw.status);
  return { tags, ...(id ? { id } : {}), ...(title ? { title } : {}), ...(level ? { level } : {}), ...(status ? { status } : {}) };
}

/** The report of a rule that could not be loaded, parsed or validated into a rule that runs: a failed rule. */
function reportLoadFailure(file: string, head: RuleHead, errors: readonly Diagnostic[], run: RunContext, what: string): RuleReport {
  const failures: Failure[] = errors.map((d) => failureOf('validate', d));
  const checks: CheckResult[] = [{ name: 'validate', passed: false }];
  const skipped = `the rule ${what}`;
  for (const name of ['golden', 'policy', 'coverage', 'properties'] as const) recordCheck(checks, { name, passed: true, skipped });
  recordVersion(file, run, (name, found, skip) => {
    failures.push(...found);
    recordCheck(checks, { name, passed: found.length === 0, ...(skip ? { skipped: skip } : {}) });
  });
  const first = errors[0];
  if (failures.length === 0) {
    // Never a failed rule without a reason: an error the loader did not name still fails it, at line 1.
    failures.push({ check: 'validate', message: `the rule ${what}`, file, line: 1, column: 1 });
  }
  return {
    id: head.id ?? '',
    title: head.title ?? basename(file),
    file,
    ...(head.level ? { level: head.level } : {}),
    ...(head.status ? { status: head.status } : {}),
    tags: head.tags,
    passed: false,
    checks,
    counts: { truePositives: 0, trueNegatives: 0, falsePositives: 0 },
    cases: [],
    failures,
    gaps: [],
    inputs: [],
    loadError: first ? `the rule ${what}: ${first.code} ${first.message} (line ${first.line})` : `the rule ${what}`,
  };
}

/** The report of a correlation rule or filter kept in the rules folder: validated and versioned, not replayed. */
function reportNonDetection(document: LintDocument, errors: readonly Diagnostic[], run: RunContext): RuleReport {
  const failures: Failure[] = errors.map((d) => failureOf('validate', d));
  const checks: CheckResult[] = [{ name: 'validate', passed: errors.length === 0 }];
  const skipped = `a ${document.kind} rule is not replayed event by event`;
  for (const name of ['golden', 'policy', 'coverage', 'properties'] as const) recordCheck(checks, { name, passed: true, skipped });
  recordVersion(document.file, run, (name, found, skip) => {
    failures.push(...found);
    recordCheck(checks, { name, passed: found.length === 0, ...(skip ? { skipped: skip } : {}) });
  });
  const head = readHeadFromDocument(document.raw);
  return {
    id: head.id ?? '',
    title: head.title ?? basename(document.file),
    file: document.file,
    ...(head.level ? { level: head.level } : {}),
    ...(head.status ? { status: head.status } : {}),
    tags: head.tags,
    passed: failures.length === 0,
    checks,
    counts: { truePositives: 0, trueNegatives: 0, falsePositives: 0 },
    cases: [],
    failures,
    gaps: [],
    inputs: [],
  };
}

/** Splits a file's errors among its documents: each error goes to the last document starting at or before it. */
function assignErrors(documents: readonly LintDocument[], errors: readonly Diagnostic[]): Map<LintDocument, Diagnostic[]> {
  const assigned = new Map<LintDocument, Diagnostic[]>(documents.map((document) => [document, []]));
  const starts = documents.map((document) => ({ document, line: document.source.locate([]).line }));
  for (const error of errors) {
    let owner = starts[0]?.document;
    for (const start of starts) if (start.line <= error.line) owner = start.document;
    if (owner) assigned.get(owner)?.push(error);
  }
  return assigned;
}

/** Drops diagnostics already reported at the same place with the same code (the loaders of two checks read one file). */
function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.code}\u0000${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * Runs `dac test`: validates every rule, replays its golden events through the real readers, mapping
 * and engine, holds it to the policy and coverage of dac.config.yml, and runs the extra checks. Every
 * rule file of the rules folder is in the report: one that does not load, parse, compile or validate is
 * a failed rule with its errors, never left out.
 */
export async function runTests(options: TestOptions): Promise<TestRun> {
  const { config, diagnostics: configDiagnostics } = await loadConfig(options.repoRoot);
  const diagnostics: Diagnostic[] = [...configDiagnostics];
  // The same listing validation walks below; its diagnostics come with validation's.
  const allFiles = (await listRepositoryRuleFiles(options.repoRoot, config.rules)).files;
  const files = options.onlyFiles ? allFiles.filter((file) => options.onlyFiles?.has(file)) : allFiles;
  const { mappings, diagnostics: mappingDiagnostics } = await loadMappings(resolve(options.repoRoot, config.mappings));
  diagnostics.push(...mappingDiagnostics);
  // Filters are validated with the rules: a broken filter would silently stop tuning its rule.
  const sigmaFolders = [config.rules, config.filters].filter((folder) => existsSync(join(options.repoRoot, folder)));
  const validation = await validateFileSet(sigmaFolders, { cwd: options.repoRoot, root: options.repoRoot, mapping: mappings });
  const tested = new Set(files);
  // Errors of the rules under test become failures of their reports; everything else is reported as it is.
  diagnostics.push(...validation.diagnostics.filter((d) => d.severity !== 'error' || !tested.has(d.file)));

  const version = await runVersionCheck(options.repoRoot, {
    rulesDir: config.rules,
    testsDir: config.tests,
    ...(options.changedSince !== undefined ? { changedSince: options.changedSince } : {}),
  });
  // The version check reads the rule files again, listed as validation listed them: what validation has
  // said about a rule file (its errors are in the rule's report) is not said twice.
  const said = new Set(diagnostics.map(formatDiagnostic));
  diagnostics.push(...version.diagnostics.filter((d) => (!tested.has(d.file) || d.severity !== 'error') && !said.has(formatDiagnostic(d))));
  // Version failures not about a tested rule (a removed rule, a malformed changeset) fail the run as diagnostics.
  for (const failure of version.failures.filter((f) => !tested.has(f.file))) {
    diagnostics.push(createDiagnostic(failure.file, failure, 'version/bookkeeping', 'error', failure.message));
  }

  const run: RunContext = {
    options,
    config,
    mapping: mappings,
    recogniser: createSourceRecogniser(mappings),
    versionFailures: version.failures,
    unreadableFiles: new Set(version.unreadableFiles),
    changes: [],
    writeErrors: [],
    diagnostics,
  };
  const reports: RuleReport[] = [];
  for (const [index, file] of files.entries()) {
    const progress: RuleProgress | undefined = options.onProgress
      ? (check, fraction, detail) =>
          options.onProgress?.({ rule: index, rules: files.length, file, check, fraction, ...(detail !== undefined ? { detail } : {}) })
      : undefined;
    const documents = validation.sigmaDocuments.filter((document) => document.file === file);
    const errors = validation.diagnostics.filter((d) => d.file === file && d.severity === 'error');
    if (documents.length === 0) {
      // The file did not load as YAML (or holds nothing): read what the report can say from its text.
      const text = await readFile(join(options.repoRoot, file), 'utf8').catch(() => '');
      reports.push(reportLoadFailure(file, readHeadLeniently(text), errors, run, 'could not be loaded'));
      continue;
    }
    const byDocument = assignErrors(documents, errors);
    for (const document of documents) {
      const own = byDocument.get(document) ?? [];
      if (document.kind !== 'detection') reports.push(reportNonDetection(document, own, run));
      else if (document.rule) reports.push(await testRule(document.rule, own, run, progress));
      else reports.push(reportLoadFailure(file, readHeadFromDocument(document.raw), own, run, 'could not be parsed'));
    }
  }
  const remaining = dedupeDiagnostics(diagnostics);
  // A broken mapping, config or filter: errors with no rule report fail the run.
  const passed = reports.every((report) => report.passed) && !remaining.some((d) => d.severity === 'error');
  const layout = await readRepositoryLayout(options.repoRoot);
  const pack = { name: layout.packageName || basename(options.repoRoot), version: layout.packageVersion || '0.0.0' };
  return { report: { pack, rules: reports, diagnostics: remaining, passed }, changes: run.changes, writeErrors: run.writeErrors };
}
