import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isRuleFileName } from '../load/rule-file-name.js';
import { resolveCommit, runGit, splitNul } from './git.js';
import { listRepositoryRuleFiles } from '../files/list-rule-files.js';
import { compareCodeUnits } from './rule-version.js';

/** The rule files a change touched, or why they could not be listed. */
export interface ChangedRules {
  /** Repository-relative rule files, sorted; deleted files are included so removals are checked. */
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

const under = (folder: string, path: string): boolean => path.startsWith(`${folder.replace(/\/+$/, '')}/`);

/**
 * Lists the rules changed since a git ref (`git diff --name-only REF`, plus untracked files): rule
 * files added, edited or deleted, and rules whose test folder (`<testsDir>/<rule name>/`) changed,
 * since their golden verdicts may have moved. A ref git cannot resolve becomes a diagnostic.
 */
export async function listChangedRules(
  ref: string,
  repoRoot: string,
  options: { readonly rulesDir?: string; readonly testsDir?: string } = {},
): Promise<ChangedRules> {
  const rulesDir = options.rulesDir ?? 'rules';
  const testsDir = options.testsDir ?? 'tests/rules';
  const at = { line: 1, column: 1 };
  const resolved = await resolveCommit(ref, repoRoot);
  if (resolved.commit === undefined) {
    return { files: [], diagnostics: [createDiagnostic('--changed-since', at, 'git/unknown-ref', 'error', resolved.error ?? `cannot resolve '${ref}'`)] };
  }
  // --no-renames lists a moved rule under both names, so the old path's lock entry is checked too.
  const diff = await runGit(['diff', '--name-only', '--no-renames', '-z', resolved.commit, '--'], repoRoot);
  const untracked = await runGit(['ls-files', '--others', '--exclude-standard', '-z', '--'], repoRoot);
  if (!diff.ok || !untracked.ok) {
    return { files: [], diagnostics: [createDiagnostic('--changed-since', at, 'git/failed', 'error', `git diff failed: ${diff.stderr || untracked.stderr}`)] };
  }
  const changed = [...splitNul(diff.stdout), ...splitNul(untracked.stdout)];
  const files = new Set(changed.filter((path) => under(rulesDir, path) && isRuleFileName(path)));
  const testNames = new Set(
    changed.filter((path) => under(testsDir, path)).map((path) => path.slice(testsDir.replace(/\/+$/, '').length + 1).split('/')[0] ?? ''),
  );
  if (testNames.size > 0) {
    for (const file of (await listRepositoryRuleFiles(repoRoot, rulesDir)).files) {
      const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.ya?ml$/i, '');
      if (testNames.has(name)) files.add(file);
    }
  }
  return { files: [...files].sort(compareCodeUnits), diagnostics: [] };
}
