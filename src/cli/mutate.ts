import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { loadConfig, type RenderingChoice } from '../harness/config.js';
import type { RuleReport } from '../harness/test-report.js';
import { isOperatorId, OPERATOR_IDS, type OperatorId } from '../mutate/operator-registry.js';
import { DEFAULT_HINT_RUNS, runMutation, type RuleMutation } from '../mutate/run-mutation.js';
import { writeReports } from '../report/write-reports.js';
import { listRepositoryRuleFiles } from '../files/list-rule-files.js';
import { toRepoPath } from '../version/rule-version.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

const usage = `usage: dac mutate [RULE|FOLDER...] [--changed-since REF] [--report-dir DIR] [--seed N] [--runs N]
                  [--renderings rotate|all] [--hint-runs N] [--threads N] [--operators ID,ID...]

Proves that each rule's tests would catch a broken rule. Every chosen rule (default: all) is first
tested as dac test tests it; then each mutant of it (the rule with one plausible mistake) is replayed
over the rule's golden events and run through its properties, in memory, on every core. A mutant is
killed when a test fails for it. Each survivor is printed as a diff of the rule, with the event that
would kill it (searched in trees generated from the rule's scenarios.yml, shrunk), ready to add to
rule-test.yml with its verdict. A mutant no event can tell from the rule is marked, with the reason,
in the rule's test folder (mutants.yml). The score per rule (killed over mutants not marked
equivalent) must reach policy.minimum-mutation-score of dac.config.yml.

  RULE|FOLDER         rule files, or folders of them, to mutate (default: every rule)
  --changed-since REF only the rules changed since the git ref (their file or test folder), as on a pull request
  --report-dir DIR    write junit.xml, results.sarif, summary.md, report.html, navigator-layer.json and
                      report.json there, each with the mutation check and score of every rule
  --seed N, --runs N, --renderings rotate|all
                      the property runs, as for dac test (default: dac.config.yml)
  --hint-runs N       generated trees searched for an event that kills a survivor (default ${DEFAULT_HINT_RUNS})
  --threads N         worker threads for the mutants the golden replay leaves (default: the cores
                      available, from 8 such mutants on; 1 judges every mutant here)
  --operators IDS     only these operators: ${OPERATOR_IDS.join(', ')}
  -h, --help          show this help

exit status: 0 every rule reaches its score, 1 a rule does not (or fails its own tests, or a mark in
mutants.yml is wrong), 2 usage error
`;

/** Parses a whole non-negative number option, or says why not. */
function readCount(name: string, value: string | undefined, minimum: number): number | undefined | Error {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) return new Error(`--${name} takes a whole number, not '${value}'`);
  if (Number(value) < minimum) return new Error(`--${name} must be at least ${minimum}`);
  return Number(value);
}

/** One console line per rule: its mutation score, how its mutants died, and what was left out. */
export function formatMutationLine(rule: RuleReport, mutation: RuleMutation | undefined): string {
  const verdict = rule.passed ? 'PASS' : 'FAIL';
  const result = mutation?.result;
  if (result === undefined) return `${verdict}  ${rule.file}  mutation -  (${mutation?.skipped ?? 'not run'})`;
  const { leftOut } = result;
  const left = leftOut.sameLogic + leftOut.duplicates + leftOut.unwritable + leftOut.invalid;
  return [
    verdict,
    rule.file,
    `mutation score ${result.score}% (threshold ${result.threshold}%)`,
    `mutants ${result.mutants}: killed ${result.killed} (golden ${result.killedBy.golden}, properties ${result.killedBy.properties}), survived ${result.survived}, equivalent ${result.equivalent}`,
    `left out ${left} (same logic as the rule ${leftOut.sameLogic}, duplicates ${leftOut.duplicates}, unwritable ${leftOut.unwritable}, invalid ${leftOut.invalid})`,
  ].join('  ');
}

function formatFailures(rules: readonly RuleReport[]): string {
  const lines: string[] = [];
  for (const rule of rules) {
    for (const failure of rule.failures) {
      lines.push(`${failure.file}:${failure.line}:${failure.column} ${failure.check}: ${failure.message}`);
      if (failure.details) lines.push(...failure.details.split('\n').map((line) => `    ${line}`));
    }
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/** Survivors a rule is allowed (its score reaches the threshold) are not failures, but they are still shown. */
function formatToleratedSurvivors(rules: readonly RuleReport[], mutations: readonly RuleMutation[]): string {
  const lines: string[] = [];
  for (const mutation of mutations) {
    const rule = rules.find((candidate) => candidate.file === mutation.file);
    if (rule === undefined || rule.failures.some((failure) => failure.message.startsWith('surviving mutant'))) continue;
    for (const survivor of mutation.survivors) {
      lines.push(`${mutation.file}:${survivor.line}:${survivor.column} mutation: surviving mutant (within the threshold) ${survivor.id}`, ...survivor.lines.map((line) => `    ${line}`));
    }
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/** Resolves the rule arguments to repository-relative rule files, or names the one that is none. */
async function resolveRules(args: readonly string[], repoRoot: string, cwd: string, rulesDir: string): Promise<Set<string> | Error> {
  const { files: all } = await listRepositoryRuleFiles(repoRoot, rulesDir);
  const chosen = new Set<string>();
  for (const arg of args) {
    const path = toRepoPath(repoRoot, resolve(cwd, arg)).replace(/\/+$/, '');
    const matches = all.filter((file) => file === path || path === '' || file.startsWith(`${path}/`));
    if (matches.length === 0) return new Error(`'${arg}' is not a rule file of the pack (${rulesDir}/) nor a folder holding one`);
    for (const file of matches) chosen.add(file);
  }
  return chosen;
}

/** `dac mutate`: the chosen rules' mutants judged by the rules' tests; exit 1 when a rule misses its score. */
export async function runMutate(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'changed-since': { type: 'string' },
        'report-dir': { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        renderings: { type: 'string' },
        'hint-runs': { type: 'string' },
        threads: { type: 'string' },
        operators: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`dac mutate: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(usage);
    return EXIT_OK;
  }
  const seed = readCount('seed', values.seed, 0);
  const runs = readCount('runs', values.runs, 1);
  const hintRuns = readCount('hint-runs', values['hint-runs'], 0);
  const threads = readCount('threads', values.threads, 1);
  for (const parsedCount of [seed, runs, hintRuns, threads]) {
    if (parsedCount instanceof Error) {
      io.stderr.write(`dac mutate: ${parsedCount.message}\n`);
      return EXIT_USAGE;
    }
  }
  const renderings = values.renderings;
  if (renderings !== undefined && renderings !== 'rotate' && renderings !== 'all') {
    io.stderr.write(`dac mutate: --renderings takes 'rotate' or 'all', not '${renderings}'\n`);
    return EXIT_USAGE;
  }
  let operators: OperatorId[] | undefined;
  if (values.operators !== undefined) {
    const ids = values.operators.split(',').map((id) => id.trim()).filter((id) => id !== '');
    const unknown = ids.filter((id) => !isOperatorId(id));
    if (ids.length === 0 || unknown.length > 0) {
      io.stderr.write(`dac mutate: unknown operator${unknown.length === 1 ? '' : 's'} ${unknown.map((id) => `'${id}'`).join(', ') || "''"}; choose from ${OPERATOR_IDS.join(', ')}\n`);
      return EXIT_USAGE;
    }
    operators = OPERATOR_IDS.filter((id) => ids.includes(id));
  }

  const repoRoot = resolve(io.cwd);
  const { config } = await loadConfig(repoRoot);
  let onlyFiles: Set<string> | undefined;
  if (positionals.length > 0) {
    const chosen = await resolveRules(positionals, repoRoot, io.cwd, config.rules);
    if (chosen instanceof Error) {
      io.stderr.write(`dac mutate: ${chosen.message}\n`);
      return EXIT_USAGE;
    }
    onlyFiles = chosen;
  }
  const changedSince = values['changed-since'];
  if (changedSince !== undefined) {
    const { listChangedRules } = await import('../version/changed-rules.js');
    const changed = await listChangedRules(changedSince, repoRoot, { rulesDir: config.rules, testsDir: config.tests });
    const problem = changed.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    if (problem !== undefined) {
      io.stderr.write(`dac mutate: --changed-since ${changedSince}: ${problem.message}\n`);
      return EXIT_USAGE;
    }
    const files = changed.files.filter((file) => onlyFiles === undefined || onlyFiles.has(file));
    onlyFiles = new Set(files);
    io.stderr.write(`rules changed since ${changedSince}: ${files.length === 0 ? 'none' : files.join(', ')}\n`);
  }

  let shown = -1;
  const onProgress = io.stderr.isTTY
    ? (done: number, total: number): void => {
        const percent = Math.floor((done / total) * 100);
        if (percent === shown && done !== total) return;
        shown = percent;
        io.stderr.write(`\rmutants judged: ${done}/${total} (${percent}%)${done === total ? '\n' : ''}`);
      }
    : undefined;
  const started = performance.now();
  const { report, mutations, stages } = await runMutation({
    repoRoot,
    ...(onlyFiles === undefined ? {} : { onlyFiles }),
    ...(changedSince === undefined ? {} : { changedSince }),
    ...(typeof seed === 'number' ? { seed } : {}),
    ...(typeof runs === 'number' ? { runs } : {}),
    ...(renderings === undefined ? {} : { renderings: renderings as RenderingChoice }),
    ...(typeof hintRuns === 'number' ? { hintRuns } : {}),
    ...(typeof threads === 'number' ? { threads } : {}),
    ...(operators === undefined ? {} : { operators }),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  const seconds = (performance.now() - started) / 1000;

  for (const rule of report.rules) io.stdout.write(`${formatMutationLine(rule, mutations.find((mutation) => mutation.file === rule.file))}\n`);
  io.stdout.write(formatFailures(report.rules));
  io.stdout.write(formatToleratedSurvivors(report.rules, mutations));
  for (const diagnostic of report.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (values['report-dir'] !== undefined) {
    const dir = resolve(repoRoot, values['report-dir']);
    try {
      await mkdir(dir, { recursive: true });
      // Its own SARIF category, so code scanning keeps surviving mutants apart from `dac test`'s results.
      const written = await writeReports(report, dir, { repoRoot, sarifAutomationId: 'dac-mutate/' });
      await writeFileAtomic(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      io.stderr.write(`reports: ${[...written, join(dir, 'report.json')].join(', ')}\n`);
    } catch (error) {
      io.stderr.write(`dac mutate: cannot write the reports: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_FAILURE;
    }
  }
  const judged = mutations.reduce((sum, mutation) => sum + (mutation.result?.mutants ?? 0), 0);
  const failed = report.rules.filter((rule) => !rule.passed).length;
  const where = `${stages.byGoldenHere} by golden replay alone, ${stages.further} through the properties${stages.workers > 0 ? ` on ${stages.workers} worker threads` : ''}`;
  io.stdout.write(`\n${report.rules.length - failed} passed, ${failed} failed; ${judged} mutants judged in ${seconds.toFixed(1)} s (${where})\n`);
  return report.passed ? EXIT_OK : EXIT_FAILURE;
}
