import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isRuleFileName } from '../load/rule-file-name.js';

/** A rule file to validate: where it is, and the name diagnostics give it. */
export interface RuleFile {
  readonly absolutePath: string;
  /** Relative to the working directory, with forward slashes (the name users and CI see). */
  readonly displayName: string;
}

/** The files found under the given paths, and the paths that could not be walked. */
export interface CollectedFiles {
  readonly files: readonly RuleFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Names a path for diagnostics: relative to `cwd`, forward slashes, whatever the platform. */
export function displayPath(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

/**
 * Expands files and folders into the rule files to validate, in a stable order. Folders are walked
 * recursively for `.yml`/`.yaml` files, skipping hidden entries (`.git`) and `node_modules`; a file named
 * explicitly is taken whatever its extension. Each file is listed once even if named twice or reached through
 * symbolic links (loops included). A path that does not exist or cannot be read becomes a diagnostic.
 */
export async function collectRuleFiles(paths: readonly string[], cwd: string): Promise<CollectedFiles> {
  const files: RuleFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();
  const at = { line: 1, column: 1 };

  // `knownReal` is the real path when the caller knows it (a plain entry of a folder whose real path is
  // known), which spares a realpath call per file in large packs.
  const addFile = async (absolutePath: string, knownReal?: string) => {
    const real = knownReal ?? (await realpath(absolutePath).catch(() => absolutePath));
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({ absolutePath, displayName: displayPath(absolutePath, cwd) });
  };

  const walk = async (folder: string): Promise<void> => {
    const real = await realpath(folder).catch(() => folder);
    if (seenFolders.has(real)) return;
    seenFolders.add(real);
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      diagnostics.push(createDiagnostic(displayPath(folder, cwd), at, 'file/unreadable', 'error', `cannot read the folder: ${describeError(error)}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = path.join(folder, entry.name);
      let isFolder = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(child).catch(() => undefined);
        if (!target && isRuleFileName(entry.name)) {
          // A dangling link where a rule should be: the rule is missing, which must not pass silently.
          diagnostics.push(createDiagnostic(displayPath(child, cwd), at, 'file/unreadable', 'error', 'cannot read the file: it is a symbolic link to nothing'));
          continue;
        }
        isFolder = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isFolder) await walk(child);
      else if (isFile && isRuleFileName(entry.name)) await addFile(child, entry.isSymbolicLink() ? undefined : path.join(real, entry.name));
    }
  };

  for (const given of paths) {
    const absolutePath = path.resolve(cwd, given);
    let info;
    try {
      info = await stat(absolutePath);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      diagnostics.push(createDiagnostic(displayPath(absolutePath, cwd), at, missing ? 'file/not-found' : 'file/unreadable', 'error',
        missing ? 'no such file or folder' : `cannot read: ${describeError(error)}`));
      continue;
    }
    if (info.isDirectory()) await walk(absolutePath);
    else await addFile(absolutePath);
  }
  return { files, diagnostics };
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code} (${message})` : message;
}
