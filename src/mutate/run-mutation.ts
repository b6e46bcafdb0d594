/**
 * `dac mutate`: proves that each rule's tests would catch a broken rule. The chosen rules are tested
 * as `dac test` tests them (a mutant is judged against a rule that passes its own tests), then each
 * rule's mutants are judged on worker threads by the rule's golden replay and properties. Per rule:
 * the mutation score against the policy's threshold, every survivor with its diff and the event that
 * would kill it, and every equivalence mark checked. The result is the test report with a `mutation`
 * check and score on each rule, so every report format shows it.
 */
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadYamlFile } from '../load/yaml.js';
import type { SigmaRule } from '../model/rule.js';
import { parseRule } from '../parse/parse-rule.js';
import { loadConfig, type DacConfig, type RenderingChoice } from '../harness/config.js';
import { propertyCheck } from '../harness/properties.js';
import { runTests, type TestStep } from '../harness/run-tests.js';
import type { Failure, MutantResult, MutationResult, RuleReport, TestReport } from '../harness/test-report.js';
import { describeHintIdentities, describeSurvivor, formatKillingEvent } from './describe-survivor.js';
import { loadEquivalenceMarks, MUTANTS_FILE, type EquivalenceMarks } from './equivalence-marks.js';
import { describeRuleSource, MutantJudge, type MutantOutcome, type MutationSettings } from './evaluate-mutant.js';
import { generateMutants, type MutantSet } from './generate-mutants.js';
import { judgeHere, judgeInWorkers, type MutantJob } from './mutant-pool.js';
import { isOperatorId, OPERATOR_IDS, type OperatorId } from './operator-registry.js';

/** Trees searched for an event that kills a survivor, unless `--hint-runs` says otherwise. */
export const DEFAULT_HINT_RUNS = 10_000;

/**
 * Below this many mutants left for the properties, starting worker threads (about two seconds each to
 * load the sources) costs more than it saves; `--threads N` asks for them from two mutants on.
 */
const MIN_JOBS_FOR_WORKERS = 8;

/** How `dac mutate` runs. */
export interface MutationOptions {
  readonly repoRoot: string;
  /** The rule files to mutate (repository-relative); every rule when absent. */
  readonly onlyFiles?: ReadonlySet<string>;
  /** The git ref `--changed-since` named, for the version check of the rules' tests. */
  readonly changedSince?: string;
  readonly seed?: number;
  readonly runs?: number;
  readonly renderings?: RenderingChoice;
  readonly hintRuns?: number;
  /**
   * Worker threads for the mutants the golden replay leaves (default: the cores available, once there
   * are enough of them to pay for the workers' start); 1 judges every mutant in this thread.
   */
  readonly threads?: number;
  readonly operators?: readonly OperatorId[];
  /** Told as the rules' own tests run, as `dac test` tells its progress. */
  readonly onTestProgress?: (step: TestStep) => void;
  /** Told after each mutant is judged. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A surviving mutant as the console shows it. */
export interface SurvivorReport {
  readonly id: string;
  readonly line: number;
  readonly column: number;
  readonly lines: readonly string[];
}

/** What mutating one rule found. */
export interface RuleMutation {
  readonly file: string;
  readonly result?: MutationResult;
  readonly survivors: readonly SurvivorReport[];
  /** Why the rule's mutants were not judged (its own tests fail, it cannot be read). */
  readonly skipped?: string;
}

/**
 * Where the mutants were judged and how long it took: by golden replay alone in this thread, or
 * further (properties, hints) on `workers` threads (0: here); the rules' own tests before them.
 */
export interface JudgingStages {
  readonly byGoldenHere: number;
  readonly further: number;
  readonly workers: number;
  readonly seconds: { readonly tests: number; readonly golden: number; readonly further: number };
}

/** The run: the test report with the mutation check on each rule, each rule's mutation, and where the work ran. */
export interface MutationRun {
  readonly report: TestReport;
  readonly mutations: readonly RuleMutation[];
  readonly stages: JudgingStages;
}

interface RulePlan {
  readonly report: RuleReport;
  readonly rule?: SigmaRule;
  readonly set?: MutantSet;
  readonly marks?: EquivalenceMarks;
  readonly testFolder: string;
  /** Failures found before any mutant is judged: the rule's own tests, its mutants.yml. */
  readonly failures: Failure[];
  /** Warnings about its mutants.yml (a mark written twice). */
  readonly notes: readonly Diagnostic[];
  readonly skipped?: string;
  /** Index of the rule's first job. */
  readonly firstJob: number;
}

const at = (rule: SigmaRule): { line: number; column: number } => rule.source.locate(['detection']);

async function loadRule(repoRoot: string, report: RuleReport): Promise<SigmaRule | undefined> {
  const loaded = await loadYamlFile(join(repoRoot, report.file), report.file);
  const rules = loaded.documents.flatMap((document) => {
    const { rule } = parseRule(document, report.file);
    return rule === undefined ? [] : [rule];
  });
  return rules.find((rule) => (rule.id ?? '') === report.id) ?? rules[0];
}

function checkPassed(report: RuleReport, name: 'golden' | 'properties'): boolean {
  return report.checks.filter((check) => check.name === name).every((check) => check.passed);
}

async function planRule(report: RuleReport, config: DacConfig, options: MutationOptions, firstJob: number): Promise<RulePlan> {
  const testFolder = join(options.repoRoot, config.tests, basename(report.file).replace(/\.ya?ml$/i, ''));
  const failures: Failure[] = [];
  const failing = (['golden', 'properties'] as const).filter((name) => !checkPassed(report, name));
  const rule = report.loadError === undefined ? await loadRule(options.repoRoot, report) : undefined;
  if (rule === undefined || failing.length > 0) {
    // Said in every report as the mutation check's reason; the rule already fails (or, for a
    // correlation rule, passes) by its other checks, so this is no second failure.
    const skipped = report.loadError !== undefined
      ? 'the rule could not be loaded'
      : rule === undefined
        ? report.checks.find((check) => check.name === 'golden')?.skipped ?? 'the rule cannot be read as a detection rule'
        : `the rule fails its own ${failing.join(' and ')} check${failing.length > 1 ? 's' : ''}, and a mutant can only be judged against a rule that passes its tests`;
    return { report, testFolder, failures, notes: [], skipped, firstJob };
  }
  const set = generateMutants(rule, options.operators);
  const loaded = await loadEquivalenceMarks(testFolder, options.repoRoot);
  for (const diagnostic of loaded.diagnostics.filter((d) => d.severity === 'error')) {
    failures.push({ check: 'mutation', message: `${diagnostic.code}: ${diagnostic.message}`, file: diagnostic.file, line: diagnostic.line, column: diagnostic.column });
  }
  const marks = loaded.marks;
  if (marks !== undefined && marks.ruleId !== rule.id) {
    failures.push({ check: 'mutation', message: `${marks.file} marks mutants of rule ${marks.ruleId}, but the rule's id is ${rule.id ?? '(none)'}`, file: marks.file, line: marks.ruleIdAt.line, column: marks.ruleIdAt.column });
  }
  const notes = loaded.diagnostics.filter((d) => d.severity !== 'error');
  return { report, rule, set, ...(marks === undefined ? {} : { marks }), testFolder, failures, notes, firstJob };
}

// Rounded down, so a rule with one survivor among thousands never shows (or passes as) 100%.
const round = (percent: number): number => Math.floor(percent * 10) / 10;

/** Judges the plan's outcomes: the mutation result, the failures, the survivors, the notes. */
function concludeRule(
  plan: RulePlan,
  outcomes: readonly MutantOutcome[],
  threshold: number,
  repoRoot: string,
  operators: readonly OperatorId[],
): { mutation: RuleMutation; failures: Failure[]; notes: Diagnostic[] } {
  const { rule, set, report } = plan;
  const failures = [...plan.failures];
  if (rule === undefined || set === undefined) return { mutation: { file: report.file, survivors: [], ...(plan.skipped ? { skipped: plan.skipped } : {}) }, failures, notes: [] };
  const relativeFolder = plan.testFolder.slice(repoRoot.length).replace(/^[\\/]+/, '').split('\\').join('/');
  const marksFile = plan.marks?.file ?? `${relativeFolder}/${MUTANTS_FILE}`;
  // Marks of operators this run leaves out are neither used nor checked.
  const chosen = new Set<string>(operators);
  const marks = new Map((plan.marks?.marks ?? []).filter((mark) => !isOperatorId(mark.mutant.split(' ')[0] ?? '') || chosen.has(mark.mutant.split(' ')[0] ?? '')).map((mark) => [mark.mutant, mark]));
  const notes: Diagnostic[] = [...plan.notes];
  const results: MutantResult[] = [];
  const survivors: SurvivorReport[] = [];
  const killedBy = { golden: 0, properties: 0 };
  let invalid = 0;
  set.mutants.forEach((mutant, index) => {
    const outcome = outcomes[index] as MutantOutcome;
    const mark = marks.get(mutant.id);
    marks.delete(mutant.id);
    const base = { id: mutant.id, operator: mutant.operator, line: mutant.line };
    if (outcome.status === 'invalid') {
      invalid += 1;
      notes.push(createDiagnostic(rule.file, mutant, 'mutation/invalid-mutant', 'warning', `mutant '${mutant.id}' read back but could not be judged: ${outcome.problem}`));
      return;
    }
    if (outcome.status === 'killed') {
      killedBy[outcome.by] += 1;
      results.push({ ...base, status: 'killed', detail: `${outcome.by}: ${outcome.test}` });
      if (mark !== undefined) {
        failures.push({ check: 'mutation', message: `'${mutant.id}' is marked equivalent, but the rule's ${outcome.by} kill it (${outcome.test}): it is not equivalent; remove the mark`, file: marksFile, line: mark.at.line, column: mark.at.column });
      }
      return;
    }
    if (mark !== undefined && outcome.hint === undefined) {
      results.push({ ...base, status: 'equivalent', detail: mark.reason });
      return;
    }
    const lines = describeSurvivor(mutant, outcome, relativeFolder, marksFile);
    const detail = outcome.hint !== undefined
      ? `the event that kills it: ${describeHintIdentities(outcome.hint)}, verdict ${outcome.hint.verdict}`
      : `no hint: ${outcome.noHint ?? `no event of ${outcome.searched} generated samples tells it from the rule`}`;
    results.push({ ...base, status: 'survived', detail });
    if (mark !== undefined && outcome.hint !== undefined) {
      failures.push({
        check: 'mutation',
        message: `'${mutant.id}' is marked equivalent, but a generated event tells it from the rule: ${describeHintIdentities(outcome.hint)}; add it as a golden event and remove the mark`,
        details: formatKillingEvent(outcome.hint, mutant, relativeFolder).join('\n'),
        file: marksFile,
        line: mark.at.line,
        column: mark.at.column,
      });
    }
    survivors.push({ id: mutant.id, line: mutant.line, column: mutant.column, lines });
  });
  // Marks left over name no mutant: the rule changed under them, or they were never right.
  const dropped = new Map(set.dropped.map((entry) => [entry.id, entry]));
  for (const mark of marks.values()) {
    const entry = dropped.get(mark.mutant);
    const why = entry === undefined ? 'no mutant of the rule has this name (the rule changed, or the name is misspelt)' : `it is no longer a mutant: ${entry.detail}`;
    failures.push({ check: 'mutation', message: `mutants.yml marks '${mark.mutant}' equivalent, but ${why}; remove the mark`, file: marksFile, line: mark.at.line, column: mark.at.column });
  }
  for (const entry of set.dropped.filter((d) => d.reason === 'unwritable' || d.reason === 'invalid')) {
    notes.push(createDiagnostic(rule.file, at(rule), `mutation/${entry.reason}-mutant`, 'note', `no mutant '${entry.id}': ${entry.detail}`));
  }
  const killed = killedBy.golden + killedBy.properties;
  const equivalent = results.filter((result) => result.status === 'equivalent').length;
  const judged = results.length;
  const score = judged - equivalent === 0 ? 100 : round((killed / (judged - equivalent)) * 100);
  const count = (reason: string): number => set.dropped.filter((entry) => entry.reason === reason).length;
  const result: MutationResult = {
    mutants: judged,
    killed,
    killedBy,
    survived: survivors.length,
    equivalent,
    score,
    threshold,
    leftOut: { sameLogic: count('same-logic'), duplicates: count('duplicate'), unwritable: count('unwritable'), invalid: count('invalid') + invalid },
    results,
  };
  if (score < threshold) {
    failures.push({
      check: 'mutation',
      message: `mutation score ${score}% is below the required ${threshold}%: ${survivors.length} of ${judged - equivalent} mutants survive the rule's tests`,
      file: rule.file,
      ...at(rule),
    });
    for (const survivor of survivors) {
      failures.push({ check: 'mutation', message: `surviving mutant ${survivor.id}`, details: survivor.lines.join('\n'), file: rule.file, line: survivor.line, column: survivor.column });
    }
  }
  return { mutation: { file: report.file, result, survivors }, failures, notes };
}

/**
 * Judges every mutant in two stages. The golden replay takes milliseconds and kills most mutants: it
 * runs here. The mutants it leaves take seconds each (the rule's properties, a hint search for a
 * survivor): they go to worker threads, one per core, when there are enough of them to pay for the
 * workers' start; a broken worker costs time, never a verdict.
 */
async function judgeJobs(settings: MutationSettings, jobs: readonly MutantJob[], options: MutationOptions, diagnostics: Diagnostic[]): Promise<{ outcomes: MutantOutcome[]; stages: JudgingStages }> {
  const judge = new MutantJudge(settings);
  const started = performance.now();
  const outcomes: (MutantOutcome | undefined)[] = [];
  let done = 0;
  const progress = (): void => options.onProgress?.((done += 1), jobs.length);
  for (const job of jobs) {
    const outcome = await judge.judgeByGolden(job.rule, job.edits);
    outcomes.push(outcome);
    if (outcome !== undefined) progress();
  }
  const left = jobs.flatMap((job, index) => (outcomes[index] === undefined ? [{ job, index }] : []));
  const goldenDone = performance.now();
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), left.length));
  let judged: MutantOutcome[] | undefined;
  let workers = 0;
  const before = done;
  if (threads > 1 && left.length >= (options.threads === undefined ? MIN_JOBS_FOR_WORKERS : 2)) {
    try {
      judged = await judgeInWorkers(settings, left.map(({ job }) => job), threads, progress);
      workers = threads;
    } catch (error) {
      done = before;
      diagnostics.push(createDiagnostic('dac mutate', { line: 1, column: 1 }, 'mutation/workers-failed', 'warning',
        `worker threads could not judge the mutants (${error instanceof Error ? error.message : String(error)}); they were judged in this thread instead`));
    }
  }
  judged ??= await judgeHere(settings, left.map(({ job }) => job), progress, judge);
  left.forEach(({ index }, position) => (outcomes[index] = judged[position]));
  const seconds = { tests: 0, golden: (goldenDone - started) / 1000, further: (performance.now() - goldenDone) / 1000 };
  return { outcomes: outcomes as MutantOutcome[], stages: { byGoldenHere: jobs.length - left.length, further: left.length, workers, seconds } };
}

/** Adds the mutation check, its failures and score to a rule's test report. */
function mergeIntoReport(report: RuleReport, mutation: RuleMutation, failures: readonly Failure[]): RuleReport {
  const passed = failures.length === 0;
  // One mutation check per rule, judged or skipped with its reason: every rule of the run is in it.
  const check = { name: 'mutation' as const, passed, ...(mutation.skipped === undefined ? {} : { skipped: mutation.skipped }) };
  return {
    ...report,
    passed: report.passed && passed,
    checks: [...report.checks.filter((existing) => existing.name !== 'mutation'), check],
    ...(mutation.result === undefined ? {} : { mutation: mutation.result }),
    failures: [...report.failures, ...failures],
  };
}

/** Runs `dac mutate` over the chosen rules (all by default). */
export async function runMutation(options: MutationOptions): Promise<MutationRun> {
  const started = performance.now();
  const { config } = await loadConfig(options.repoRoot);
  const { report } = await runTests({
    repoRoot: options.repoRoot,
    extraChecks: [propertyCheck],
    ...(options.onlyFiles === undefined ? {} : { onlyFiles: options.onlyFiles }),
    ...(options.changedSince === undefined ? {} : { changedSince: options.changedSince }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.renderings === undefined ? {} : { renderings: options.renderings }),
    ...(options.onTestProgress === undefined ? {} : { onProgress: options.onTestProgress }),
  });
  const tests = (performance.now() - started) / 1000;
  const settings: MutationSettings = {
    repoRoot: options.repoRoot,
    mappingsDir: resolve(options.repoRoot, config.mappings),
    filtersDir: config.filters,
    seed: options.seed ?? config.properties.seed,
    runs: options.runs ?? config.properties.runs,
    renderings: options.renderings ?? config.properties.renderings,
    hintRuns: options.hintRuns ?? DEFAULT_HINT_RUNS,
  };
  const plans: RulePlan[] = [];
  const jobs: MutantJob[] = [];
  for (const ruleReport of report.rules) {
    const plan = await planRule(ruleReport, config, options, jobs.length);
    plans.push(plan);
    if (plan.rule === undefined || plan.set === undefined) continue;
    const source = describeRuleSource(plan.rule, plan.testFolder);
    for (const mutant of plan.set.mutants) jobs.push({ rule: source, edits: mutant.edits });
  }

  const diagnostics: Diagnostic[] = [...report.diagnostics];
  const { outcomes, stages } = await judgeJobs(settings, jobs, options, diagnostics);

  const mutations: RuleMutation[] = [];
  const rules: RuleReport[] = [];
  for (const plan of plans) {
    const count = plan.set?.mutants.length ?? 0;
    const concluded = concludeRule(plan, outcomes.slice(plan.firstJob, plan.firstJob + count), config.policy.minimumMutationScore, options.repoRoot, options.operators ?? OPERATOR_IDS);
    mutations.push(concluded.mutation);
    diagnostics.push(...concluded.notes);
    rules.push(mergeIntoReport(plan.report, concluded.mutation, concluded.failures));
  }
  const passed = rules.every((rule) => rule.passed) && !diagnostics.some((d) => d.severity === 'error');
  return { report: { ...report, rules, diagnostics, passed }, mutations, stages: { ...stages, seconds: { ...stages.seconds, tests } } };
}
