import { runVersionCheck } from '../version/check-versions.js';
import { createLock, LOCK_FILE, readLock, writeLock } from '../version/lock-file.js';
import { formatFailure, printDiagnostics, readRepositoryLayout } from '../version/repository.js';
import { diagnoseMissingId, locateId, readRuleVersions } from '../version/rule-version.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { escapeJsonControlCharacters } from '../text/control-characters.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { printText, type CliIo } from './io.js';

/** `dac lock`'s options, read by the parser and printed by `--help`. */
export const lockSpec = defineCommand({
  name: 'lock',
  description: `dac lock           records each rule's id, file, title, detection-logic hash and modified date in
                   ${LOCK_FILE} (run at release, after \`changeset version\`)
dac lock --check   checks the version bookkeeping against ${LOCK_FILE} and the pending changesets`,
  options: {
    check: { type: 'boolean', help: `check the version bookkeeping instead of writing ${LOCK_FILE}` },
    'changed-since': { type: 'string', value: 'REF', help: 'with --check: check only the rules changed since the git ref REF' },
    format: { type: 'string', choices: ['text', 'json'], default: 'text', help: 'with --check: text for people, json for scripts' },
  },
  exitStatus: '0 written or in order, 1 problems found, 2 usage error or unreadable repository',
});

/** `dac lock`: writes rules.lock.json, or with `--check` verifies every rule's version bookkeeping. */
export async function runLock(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(lockSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  if (!values.check && values['changed-since'] !== undefined) return reportUsageError(lockSpec, '--changed-since only limits --check', io);
  const layout = await readRepositoryLayout(io.cwd);
  if (printDiagnostics(layout.diagnostics, io.stderr)) return 2;

  if (values.check) {
    const result = await runVersionCheck(io.cwd, {
      rulesDir: layout.rulesDir,
      testsDir: layout.testsDir,
      ...(values['changed-since'] !== undefined ? { changedSince: values['changed-since'] } : {}),
    });
    if (values.format === 'json') {
      io.stdout.write(`${escapeJsonControlCharacters(JSON.stringify({ checked: result.checked, failures: result.failures, diagnostics: result.diagnostics }, null, 2))}\n`);
    } else {
      printDiagnostics(result.diagnostics, io.stderr);
      for (const failure of result.failures) printText(io.stdout, `${formatFailure(failure)}\n`);
      printText(io.stdout, result.failures.length === 0
        ? `${LOCK_FILE}: ${result.checked} rule(s) checked, version bookkeeping in order\n`
        : `${LOCK_FILE}: ${result.failures.length} version problem(s) in ${result.checked} rule(s) checked\n`);
    }
    if (result.diagnostics.some((d) => d.code.startsWith('git/'))) return 2;
    return result.failures.length > 0 || result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  }

  const read = await readRuleVersions(io.cwd, layout.rulesDir);
  const problems: Diagnostic[] = [...read.diagnostics];
  const files = new Map<string, string>();
  for (const rule of read.rules) {
    if (rule.id === undefined) {
      problems.push(diagnoseMissingId(rule));
      continue;
    }
    const other = files.get(rule.id);
    if (other !== undefined) {
      problems.push(createDiagnostic(rule.file, locateId(rule), 'version/duplicate-id', 'error', `the id ${rule.id} is also used by ${other}: each rule needs its own id`));
    } else {
      files.set(rule.id, rule.file);
    }
  }
  // A lock that silently skipped a broken rule would hide it from the next release's check.
  if (printDiagnostics(problems, io.stderr)) {
    printText(io.stderr, `dac lock: ${LOCK_FILE} not written; fix the problems above first\n`);
    return 1;
  }
  const changed = await writeLock(io.cwd, createLock(read.rules, (await readLock(io.cwd)).lock));
  printText(io.stdout, `${LOCK_FILE}: ${files.size} rule(s) ${changed ? 'written' : 'unchanged'}\n`);
  return 0;
}
