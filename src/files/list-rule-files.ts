/**
 * The one listing of rule files: `dac validate`, `dac lock`, `dac test`, `dac diff`, `dac pack` and
 * `dac scan --rules` all list rules through here (see ./list-files.ts for the rules on hidden files,
 * links and names), so no command reads a rule another one skips.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isRuleFileName } from '../load/rule-file-name.js';
import { classifyListedPath, listFiles, type FileListing } from './list-files.js';

const RULE_LISTING = { accept: isRuleFileName, kind: 'rule file', refuseControlCharacters: true } as const;

/** Orders strings by UTF-16 code units, the same on every machine and locale. */
const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Expands files and folders (relative to `cwd`) into rule files (`.yml`/`.yaml`), in walk order. A
 * file named explicitly is taken whatever its extension; each file is listed once.
 */
export function collectRuleFiles(paths: readonly string[], cwd: string, options: { readonly root?: string } = {}): Promise<FileListing> {
  return listFiles(paths, { cwd, ...RULE_LISTING, ...options });
}

/**
 * Lists the rule files of a repository's rules folder as repository-relative paths (forward slashes),
 * sorted by code units, with what the listing reported. A missing rules folder holds no rules; a
 * rules folder that is a link out of the repository is an error.
 */
export async function listRepositoryRuleFiles(repoRoot: string, rulesDir: string): Promise<{ files: string[]; diagnostics: readonly Diagnostic[] }> {
  const listing = await listFiles([rulesDir], { cwd: repoRoot, root: repoRoot, ...RULE_LISTING });
  // A missing rules folder holds no rules; `dac validate` and the test run say so where it matters.
  const diagnostics = listing.diagnostics.filter((d) => !(d.code === 'file/not-found' && d.file === rulesDir.replace(/\/+$/, '')));
  return { files: listing.files.map((file) => file.displayName).sort(compareCodeUnits), diagnostics };
}

/**
 * Picks the rule files out of the paths git lists under `rulesDir` at a revision (`entries` as
 * `git ls-tree -r` gives them), by the same rules as the listing of the working tree.
 */
export function selectRuleFilesAtRevision(
  entries: readonly { readonly path: string; readonly mode: string }[],
  rulesDir: string,
  display: (path: string) => string,
): { files: string[]; diagnostics: Diagnostic[] } {
  const folder = rulesDir.replace(/\/+$/, '');
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const entry of entries) {
    if (!entry.path.startsWith(`${folder}/`)) continue;
    const verdict = classifyListedPath(entry.path.slice(folder.length + 1), entry.mode, { ...RULE_LISTING, display: display(entry.path) });
    if (verdict.diagnostic) diagnostics.push(verdict.diagnostic);
    if (verdict.read) files.push(entry.path);
  }
  return { files: files.sort(compareCodeUnits), diagnostics };
}
