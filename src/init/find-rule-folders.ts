import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRuleFileName } from '../load/rule-file-name.js';
import { compareCodeUnits, toRepoPath } from '../version/rule-version.js';

/** A top-level folder of a repository that holds Sigma rules, with the rule files found in it. */
export interface RuleFolder {
  /** Repository-relative, e.g. `rules`, `rules-emerging-threats`. */
  readonly folder: string;
  /** Repository-relative paths of the rule files, sorted. */
  readonly files: readonly string[];
}

/** Folders that never hold a team's rules: tools, dependencies, and where dac itself writes. */
const SKIPPED = new Set(['node_modules', 'tests', 'test', 'reports', 'dist', 'lib']);

/** A Sigma document starts its top level with `title:` and has a detection, correlation or filter (Sigma spec, "Rule structure"). */
export function looksLikeSigmaRule(text: string): boolean {
  return /^title\s*:/m.test(text) && /^(?:detection|correlation|filter)\s*:/m.test(text);
}

async function walk(repoRoot: string, folder: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await walk(repoRoot, path, found);
    else if (entry.isFile() && isRuleFileName(entry.name) && looksLikeSigmaRule(await readFile(path, 'utf8').catch(() => ''))) {
      found.push(toRepoPath(repoRoot, path));
    }
  }
}

/** The Sigma rule files under a folder (repository-relative), sorted; none when it does not exist. */
export async function listSigmaRules(repoRoot: string, folder: string): Promise<string[]> {
  const files: string[] = [];
  await walk(repoRoot, join(repoRoot, folder), files);
  return files.sort(compareCodeUnits);
}

/**
 * Finds the top-level folders of a repository that hold Sigma rules (SigmaHQ keeps `rules/`,
 * `rules-emerging-threats/`, `rules-threat-hunting/`, `deprecated/` ...), the one with most rules
 * first. Hidden folders, node_modules and test or output folders are not searched.
 */
export async function findRuleFolders(repoRoot: string): Promise<RuleFolder[]> {
  const top = await readdir(repoRoot, { withFileTypes: true }).catch(() => []);
  const folders: RuleFolder[] = [];
  for (const entry of top) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
    const files = await listSigmaRules(repoRoot, entry.name);
    if (files.length > 0) folders.push({ folder: entry.name, files });
  }
  return folders.sort((a, b) => b.files.length - a.files.length || compareCodeUnits(a.folder, b.folder));
}
