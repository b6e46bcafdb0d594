import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { FileWriteError } from '../files/write-file-atomic.js';
import { writeNewFile } from '../files/write-new-file.js';
import { CONFIG_FILE, loadConfig } from '../harness/config.js';
import { findRuleFolders, listSigmaRules } from '../init/find-rule-folders.js';
import { INIT_TESTS_DIR, planSetup, type SetupFile } from '../init/plan-setup.js';
import { createLock, formatLock, LOCK_FILE } from '../version/lock-file.js';
import { readRuleVersions } from '../version/rule-version.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './io.js';

/** `dac init`'s options, read by the parser and printed by `--help`. */
export const initSpec = defineCommand({
  name: 'init',
  description: `Sets dac up in a repository of Sigma rules, after \`npm install --save-dev\` of the harness: finds the
rules (the rules/ folder, else the folder with most rules) and writes dac.config.yml, the editor's schema
association (.vscode/settings.json and extensions.json, schemas resolved into node_modules), the GitHub
workflow (.github/workflows/dac.yml), ${INIT_TESTS_DIR}/ with a test folder per rule, and rules.lock.json (the
rules as they are, the baseline of version bookkeeping). A file that exists is never overwritten: it is
kept, and listed as kept.`,
  options: {
    rules: { type: 'string', value: 'DIR', help: 'the rules folder, when it is not the one dac init would pick' },
    'dry-run': { type: 'boolean', help: 'list what would be written, and write nothing' },
  },
  exitStatus: '0 set up (or nothing left to write), 1 a file could not be written, 2 usage error or no rules found',
});

const plural = (count: number, word: string): string => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

/** The lock of the rules as they are, or why it cannot be written (rules without an id, repeated ids). */
async function lockRules(repoRoot: string, rulesDir: string): Promise<{ text?: string; problem?: string }> {
  const read = await readRuleVersions(repoRoot, rulesDir);
  const errors = read.diagnostics.filter((d) => d.severity === 'error');
  const ids = read.rules.map((rule) => rule.id);
  const missing = ids.filter((id) => id === undefined).length;
  const repeated = ids.length - missing - new Set(ids.filter((id) => id !== undefined)).size;
  if (errors.length > 0 || missing > 0 || repeated > 0) {
    const reasons = [
      errors.length > 0 ? `${plural(errors.length, 'rule file')} cannot be read (first: ${formatDiagnostic(errors[0] as (typeof errors)[number])})` : '',
      missing > 0 ? `${plural(missing, 'rule')} without an id` : '',
      repeated > 0 ? `${plural(repeated, 'repeated id')}` : '',
    ].filter(Boolean);
    return { problem: `${reasons.join('; ')}; fix them, then run 'npx dac lock'` };
  }
  return { text: formatLock(createLock(read.rules)) };
}

/** `dac init`: sets dac up in a repository of Sigma rules, never overwriting a file. */
export async function runInit(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(initSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const repoRoot = io.cwd;
  const say = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };

  // The rules folder: as asked, else the one dac.config.yml already names, else the one found.
  const hasConfig = existsSync(join(repoRoot, CONFIG_FILE));
  const found = await findRuleFolders(repoRoot);
  let rulesDir = values.rules ?? (hasConfig ? (await loadConfig(repoRoot)).config.rules : undefined);
  rulesDir ??= found.find((folder) => folder.folder === 'rules')?.folder ?? found[0]?.folder;
  if (rulesDir === undefined) {
    return reportUsageError(initSpec, 'no Sigma rules found in the folders of this repository; name their folder with --rules DIR', io);
  }
  rulesDir = rulesDir.replace(/\/+$/, '');
  const ruleFiles = await listSigmaRules(repoRoot, rulesDir);
  if (ruleFiles.length === 0) return reportUsageError(initSpec, `no Sigma rules in ${rulesDir}/`, io);
  say(`dac init: ${plural(ruleFiles.length, 'rule file')} in ${rulesDir}/`);
  const others = found.filter((folder) => folder.folder !== rulesDir && !rulesDir?.startsWith(`${folder.folder}/`));
  if (others.length > 0) {
    say(`  also found, and not tested (dac.config.yml names one rules folder): ${others.map((folder) => `${folder.folder}/ (${plural(folder.files.length, 'rule file')})`).join(', ')}`);
  }

  const lock = existsSync(join(repoRoot, LOCK_FILE)) ? {} : await lockRules(repoRoot, rulesDir);
  const files = planSetup({ repoRoot, rulesDir, ruleFiles, ...(lock.text !== undefined ? { lockText: lock.text } : {}) });
  const isTestFolder = (file: SetupFile): boolean => file.path.startsWith(`${INIT_TESTS_DIR}/`) && file.path.endsWith('/.gitkeep');
  const dryRun = values['dry-run'];
  const verb = dryRun ? 'would write' : 'wrote';
  let foldersWritten = 0;
  let foldersKept = 0;
  try {
    for (const file of files) {
      const target = join(repoRoot, file.path);
      const folderKept = isTestFolder(file) && existsSync(dirname(target));
      let created: boolean;
      if (dryRun) created = !existsSync(target) && !folderKept;
      else if (folderKept) created = false;
      else {
        await mkdir(dirname(target), { recursive: true });
        created = await writeNewFile(target, file.text);
      }
      if (isTestFolder(file)) {
        if (created) foldersWritten += 1;
        else foldersKept += 1;
        continue;
      }
      say(`  ${created ? verb.padEnd(11) : 'kept'.padEnd(11)} ${file.path.padEnd(26)} ${created ? file.what : '(it exists; not changed)'}`);
      // Editor settings a team already has: say what to merge, since they are not rewritten.
      if (!created && file.path === '.vscode/settings.json') {
        const schemas = (JSON.parse(file.text) as Record<string, unknown>)['yaml.schemas'];
        say(`              merge into it: "yaml.schemas": ${JSON.stringify(schemas, null, 2).split('\n').join('\n              ')}`);
      }
    }
  } catch (error) {
    if (error instanceof FileWriteError) {
      io.stderr.write(`dac init: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  say(`  ${verb.padEnd(11)} ${plural(foldersWritten, 'rule test folder')} under ${INIT_TESTS_DIR}/${foldersKept > 0 ? ` (kept ${foldersKept.toLocaleString('en-US')} that exist)` : ''}`);
  if (lock.problem !== undefined) say(`  not written ${LOCK_FILE}: ${lock.problem}`);
  say(`next: npx dac validate ${rulesDir}, then npx dac test --report-dir reports (and add reports/ to .gitignore)`);
  if (dryRun) say('(dry run: nothing was written)');
  return EXIT_OK;
}
