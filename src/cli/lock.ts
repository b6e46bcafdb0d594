import { parseArgs } from 'node:util';
import { runVersionCheck } from '../version/check-versions.js';
import { createLock, LOCK_FILE, readLock, writeLock } from '../version/lock-file.js';
import { formatFailure, printDiagnostics, readRepositoryLayout } from '../version/repository.js';
import { diagnoseMissingId, locateId, readRuleVersions } from '../version/rule-version.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { escapeJsonControlCharacters } from '../text/control-characters.js';
import { printText, type CliIo } from './io.js';

const usage = `usage: dac lock [--check [--changed-since REF] [--format text|json]]

  dac lock           record each rule's id, file, title, detection-logic hash and modified date in
                     ${LOCK_FILE} (run at release, after \`changeset version\`)
  dac lock --check   check the version bookkeeping against ${LOCK_FILE} and the pending changesets
`;

/** `dac lock`: writes rules.lock.json, or with `--check` verifies every rule's version bookkeeping. */
export async function runLock(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        check: { type: 'boolean', default: false },
        'changed-since': { type: 'string' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    printText(io.stderr, `dac lock: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    printText(io.stderr, `dac lock: --format must be text or json\n\n${usage}`);
    return 2;
  }
  if (!values.check && values['changed-since'] !== undefined) {
    printText(io.stderr, `dac lock: --changed-since only limits --check\n\n${usage}`);
    return 2;
  }
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
