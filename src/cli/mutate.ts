import { resolve } from 'node:path';
import { condenseDiagnostics, formatHidden } from '../diagnostics/condense-diagnostics.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { FileWriteError } from '../files/write-file-atomic.js';
import { listRepositoryRuleFiles } from '../files/list-rule-files.js';
import { loadConfig } from '../harness/config.js';
import type { RuleReport } from '../harness/test-report.js';
import { isOperatorId, OPERATOR_IDS, type OperatorId } from '../mutate/operator-registry.js';
import { DEFAULT_HINT_RUNS, runMutation, type JudgingStages, type RuleMutation } from '../mutate/run-mutation.js';
import { writeReports } from '../report/write-reports.js';
import { escapeControlCharacters } from '../text/control-characters.js';
import { toRepoPath } from '../version/rule-version.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { describeWriteError, EXIT_FAILURE, EXIT_IO, EXIT_OK, printText, writeWithBackPressure, type CliIo } from './io.js';
import { createMutationProgress } from './mutate-progress.js';

/** `dac mutate`'s options, read by the parser and printed by `--help`. */
export const mutateSpec = defineCommand({
  name: 'mutate',
  operands: '[RULE|FOLDER...]',
  description: `Proves that each rule's tests would catch a broken rule. Every chosen rule (default: every rule of
dac.config.yml's rules folder; or the rule files and folders named) is first tested as dac test tests
it; then each mutant of it (the rule with one plausible mistake) is replayed over the rule's golden
events and run through its properties, in memory, on every core. A mutant is killed when a test fails
for it. Each survivor is printed as a diff of the rule, with the event that would kill it (searched in
events generated from the rule's scenarios.yml, shrunk), ready to add to rule-test.yml with its
verdict. A mutant no event can tell from the rule is marked, with the reason, in the rule's test
folder (mutants.yml). The score per rule (killed over mutants not marked equivalent) must reach
policy.minimum-mutation-score of dac.config.yml. On a terminal, stderr shows how many mutants are judged.`,
  options: {
    'changed-since': { type: 'string', value: 'REF', help: 'only the rules changed since the git ref REF (their file or test folder), as on a pull request' },
    'report-dir': {
      type: 'string',
      value: 'DIR',
      help: 'write junit.xml, results.sarif, summary.md, report.html, navigator-layer.json and\nreport.json into DIR, each with the mutation check and score of every rule',
    },
    seed: { type: 'string', value: 'N', help: "the property checks' seed (default: dac.config.yml's)" },
    runs: { type: 'string', value: 'N', help: "generated cases per property (default: dac.config.yml's)" },
    renderings: {
      type: 'string',
      choices: ['rotate', 'all'],
      help: 'rotate: each generated event is read back in one of its renderings\nall: in every rendering',
    },
    'hint-runs': { type: 'string', value: 'N', help: `generated samples searched for an event that kills a survivor (default: ${DEFAULT_HINT_RUNS})` },
    threads: {
      type: 'string',
      value: 'N',
      help: 'worker threads for the mutants the golden replay leaves (default: the cores available,\nfrom 8 such mutants on; 1 judges every mutant in this thread)',
    },
    operators: { type: 'string', value: 'IDS', help: `only these operators, comma-separated:\n${OPERATOR_IDS.join(', ')}` },
  },
  exitStatus: '0 every rule reaches its score, 1 a rule does not (or fails its own tests, or a mark in mutants.yml is wrong), 2 usage error',
});

/** Parses a whole number option of at least `minimum`, or says why not. */
function readCount(name: string, value: string | undefined, minimum: number): number | undefined | Error {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) return new Error(`--${name} takes a whole number, not '${value}'`);
  if (Number(value) < minimum) return new Error(`--${name} must be at least ${minimum}`);
  return Number(value);
}

/** One console line per rule: its mutation score, how its mutants died, and what was left out. */
export function formatMutationLine(rule: RuleReport, mutation: RuleMutation | undefined): string {
  const verdict = rule.passed ? 'PASS' : 'FAIL';
  const file = escapeControlCharacters(rule.file);
  const result = mutation?.result;
  if (result === undefined) return `${verdict}  ${file}  mutation -  (${escapeControlCharacters(mutation?.skipped ?? 'not run')})`;
  const { leftOut } = result;
  const left = leftOut.sameLogic + leftOut.duplicates + leftOut.unwritable + leftOut.invalid;
  return [
    verdict,
    file,
    `mutation score ${result.score}% (threshold ${result.threshold}%)`,
    `mutants ${result.mutants}: killed ${result.killed} (golden ${result.killedBy.golden}, properties ${result.killedBy.properties}), survived ${result.survived}, equivalent ${result.equivalent}`,
    `left out ${left} (same logic as the rule ${leftOut.sameLogic}, duplicates ${leftOut.duplicates}, unwritable ${leftOut.unwritable}, invalid ${leftOut.invalid})`,
  ].join('  ');
}

/** A failure or survivor as console lines: its place and message, then its details indented, control characters escaped. */
function formatEntry(head: string, details: readonly string[]): string[] {
  return [escapeControlCharacters(head), ...details.map((line) => `    ${escapeControlCharacters(line)}`)];
}

function formatFailures(rules: readonly RuleReport[]): string {
  const lines = rules.flatMap((rule) =>
    rule.failures.flatMap((failure) => formatEntry(`${failure.file}:${failure.line}:${failure.column} ${failure.check}: ${failure.message}`, failure.details?.split('\n') ?? [])),
  );
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/** Survivors a rule is allowed (its score reaches the threshold) are not failures, but they are still shown. */
function formatToleratedSurvivors(rules: readonly RuleReport[], mutations: readonly RuleMutation[]): string {
  const lines: string[] = [];
  for (const mutation of mutations) {
    const rule = rules.find((candidate) => candidate.file === mutation.file);
    if (rule === undefined || rule.failures.some((failure) => failure.message.startsWith('surviving mutant'))) continue;
    for (const survivor of mutation.survivors) {
      lines.push(...formatEntry(`${mutation.file}:${survivor.line}:${survivor.column} mutation: surviving mutant (within the threshold) ${survivor.id}`, survivor.lines));
    }
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/** The last line: rules passed and failed, mutants judged, where and how long. */
function formatRunLine(rules: readonly RuleReport[], mutations: readonly RuleMutation[], stages: JudgingStages, seconds: number): string {
  const judged = mutations.reduce((sum, mutation) => sum + (mutation.result?.mutants ?? 0), 0);
  const failed = rules.filter((rule) => !rule.passed).length;
  const where = `${stages.byGoldenHere} by golden replay alone, ${stages.further} through the properties${stages.workers > 0 ? ` on ${stages.workers} worker threads` : ''}`;
  return `${rules.length - failed} passed, ${failed} failed; ${judged} mutants judged in ${seconds.toFixed(1)} s (${where})`;
}

/** Resolves the rule arguments to repository-relative rule files, or names the one that is none. */
async function resolveRules(args: readonly string[], repoRoot: string, cwd: string, rulesDir: string): Promise<Set<string> | Error> {
  const { files } = await listRepositoryRuleFiles(repoRoot, rulesDir);
  const chosen = new Set<string>();
  for (const arg of args) {
    const path = toRepoPath(repoRoot, resolve(cwd, arg)).replace(/\/+$/, '');
    const matches = files.filter((file) => file === path || path === '' || file.startsWith(`${path}/`));
    if (matches.length === 0) return new Error(`'${arg}' is not a rule file of the pack (${rulesDir}/) nor a folder holding one`);
    for (const file of matches) chosen.add(file);
  }
  return chosen;
}

/** Reads `--operators`: the ids in registry order, or why they are not operators. */
function readOperators(value: string | undefined): OperatorId[] | undefined | Error {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((id) => id.trim()).filter((id) => id !== '');
  const unknown = ids.filter((id) => !isOperatorId(id));
  if (ids.length === 0 || unknown.length > 0) {
    return new Error(`unknown operator${unknown.length === 1 ? '' : 's'} ${unknown.map((id) => `'${id}'`).join(', ') || "''"}; choose from ${OPERATOR_IDS.join(', ')}`);
  }
  return OPERATOR_IDS.filter((id) => ids.includes(id));
}

/** `dac mutate`: the chosen rules' mutants judged by the rules' tests; exit 1 when a rule misses its score. */
export async function runMutate(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(mutateSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, operands } = parsed;
  const seed = readCount('seed', values.seed, 0);
  const runs = readCount('runs', values.runs, 1);
  const hintRuns = readCount('hint-runs', values['hint-runs'], 0);
  const threads = readCount('threads', values.threads, 1);
  const operators = readOperators(values.operators);
  for (const value of [seed, runs, hintRuns, threads, operators]) {
    if (value instanceof Error) return reportUsageError(mutateSpec, value.message, io);
  }

  const repoRoot = resolve(io.cwd);
  const { config } = await loadConfig(repoRoot);
  let onlyFiles: ReadonlySet<string> | undefined;
  if (operands.length > 0) {
    const chosen = await resolveRules(operands, repoRoot, io.cwd, config.rules);
    if (chosen instanceof Error) return reportUsageError(mutateSpec, chosen.message, io);
    onlyFiles = chosen;
  }
  const changedSince = values['changed-since'];
  if (changedSince !== undefined) {
    const { selectChangedRules } = await import('./changed-since.js');
    const changed = await selectChangedRules(changedSince, repoRoot);
    // An unknown ref would otherwise select no rule, and a run of nothing would pass.
    if ('problem' in changed) return reportUsageError(mutateSpec, `--changed-since ${changedSince}: ${changed.problem}`, io);
    const files = [...changed.files].filter((file) => onlyFiles === undefined || onlyFiles.has(file));
    onlyFiles = new Set(files);
    printText(io.stderr, `rules changed since ${escapeControlCharacters(changedSince)}: ${files.length === 0 ? 'none' : escapeControlCharacters(files.join(', '))}\n`);
  }

  const progress = createMutationProgress(io);
  const started = performance.now();
  const { report, mutations, stages } = await runMutation({
    repoRoot,
    ...(onlyFiles === undefined ? {} : { onlyFiles }),
    ...(changedSince === undefined ? {} : { changedSince }),
    ...(typeof seed === 'number' ? { seed } : {}),
    ...(typeof runs === 'number' ? { runs } : {}),
    ...(values.renderings === undefined ? {} : { renderings: values.renderings }),
    ...(typeof hintRuns === 'number' ? { hintRuns } : {}),
    ...(typeof threads === 'number' ? { threads } : {}),
    ...(Array.isArray(operators) ? { operators } : {}),
    ...(progress === undefined ? {} : { onTestProgress: progress.onTestProgress, onProgress: progress.onMutantProgress }),
  }).finally(() => progress?.stop());
  const seconds = (performance.now() - started) / 1000;

  const out = (text: string): Promise<void> => writeWithBackPressure(io.stdout, text);
  for (const rule of report.rules) await out(`${formatMutationLine(rule, mutations.find((mutation) => mutation.file === rule.file))}\n`);
  await out(formatFailures(report.rules));
  await out(formatToleratedSurvivors(report.rules, mutations));
  // Every diagnostic is in the reports; on the console, past ten warnings of one code the rest are counted.
  const { shown, hidden } = condenseDiagnostics(report.diagnostics);
  for (const line of [...shown.map(formatDiagnostic), ...hidden.map(formatHidden)]) io.stderr.write(`${line}\n`);
  const ioErrors: string[] = [];
  if (values['report-dir'] !== undefined) {
    try {
      // Its own SARIF category, so code scanning keeps surviving mutants apart from `dac test`'s results.
      const written = await writeReports(report, resolve(repoRoot, values['report-dir']), { repoRoot, sarifAutomationId: 'dac-mutate/' });
      printText(io.stderr, `reports: ${escapeControlCharacters(written.join(', '))}\n`);
    } catch (error) {
      if (!(error instanceof FileWriteError)) throw error;
      ioErrors.push(describeWriteError('mutate', error));
    }
  }
  await out(`\n${formatRunLine(report.rules, mutations, stages, seconds)}\n`);
  // A report that could not be written is said last, where it is seen, and decides the status.
  for (const line of ioErrors) io.stderr.write(line);
  if (ioErrors.length > 0) return EXIT_IO;
  return report.passed ? EXIT_OK : EXIT_FAILURE;
}
