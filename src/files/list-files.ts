/**
 * The one listing of files that dac reads from folders: rule files for validate, lock, test, diff, pack
 * and scan's `--rules`, event files for `dac scan`. One set of rules, so every command reads the same
 * files:
 *
 * - a path named on the command line is read whatever its name or kind (a link is followed);
 * - a folder is walked recursively in code-unit order of names, each file once;
 * - hidden entries (a name starting with `.`) and `node_modules` are skipped; a hidden file that
 *   would otherwise be read is a warning (`file/hidden`), so nothing is skipped silently;
 * - a symbolic link inside a walked folder is not followed: when it points at a file that would be
 *   read, or at a folder, it is an error (`file/symbolic-link`), because a link can reach out of the
 *   repository, and git keeps it as a path, not as the file;
 * - a file name holding control characters is an error where names are published (rule files:
 *   `file/control-character-name`), since it breaks terminals and line-based listings.
 *
 * `classifyListedPath` applies the same rules to a path listed by git at a revision (`dac diff`).
 */
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { hasControlCharacters } from '../text/control-characters.js';
import { resolveInsideRepository } from './inside-repository.js';

/** A file to read: where it is, and the name diagnostics and reports give it. */
export interface ListedFile {
  readonly absolutePath: string;
  /** Relative to the working directory, with forward slashes (the name users and CI see). */
  readonly displayName: string;
}

/** The files found under the given paths, and what was skipped or could not be walked. */
export interface FileListing {
  readonly files: readonly ListedFile[];
  readonly diagnostics: readonly Diagnostic[];
  /** Files in walked folders left out because their name is not one the listing reads. */
  readonly otherFiles: number;
}

/** What a listing collects. */
export interface ListOptions {
  /** Resolves relative paths and names diagnostics. */
  readonly cwd: string;
  /** True for the file names a walked folder contributes (`.yml`, or event file extensions). */
  readonly accept: (name: string) => boolean;
  /** What the files are, for messages: `rule file`, `event file`. */
  readonly kind: string;
  /** Refuse file names with control characters (names that end up in published listings). */
  readonly refuseControlCharacters?: boolean;
  /**
   * The repository, when the paths are the repository's own folders (not paths a user named): a path
   * that resolves outside it, through a link, is an error (`file/outside-repository`) and not read.
   */
  readonly root?: string;
}

const AT = { line: 1, column: 1 };

/** Names a path for diagnostics: relative to `cwd` when inside it, else absolute; forward slashes, whatever the platform. */
export function displayPath(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return (relative === '' ? '.' : outside ? absolutePath : relative).split(path.sep).join('/');
}

/** How a name inside a walked folder is treated (shared by the disk walk and git listings). */
export type EntryVerdict = 'read' | 'skip' | 'hidden' | 'other';

/** Decides what a walked folder does with an entry of that name: skip hidden and node_modules, read accepted names. */
export function classifyEntryName(name: string, isFolder: boolean, accept: (name: string) => boolean): EntryVerdict {
  if (name === 'node_modules') return 'skip';
  if (name.startsWith('.')) return !isFolder && accept(name) ? 'hidden' : 'skip';
  if (isFolder) return 'read';
  return accept(name) ? 'read' : 'other';
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code} (${message})` : message;
}

const hiddenDiagnostic = (display: string, kind: string): Diagnostic =>
  createDiagnostic(display, AT, 'file/hidden', 'warning',
    `hidden ${kind} not read: no dac command reads hidden files in a folder it walks; rename it if it is meant to be read`);

const linkDiagnostic = (display: string, kind: string, target: string): Diagnostic =>
  createDiagnostic(display, AT, 'file/symbolic-link', 'error',
    `symbolic link (to ${target}) not followed: links inside a walked folder are not read, so every command reads the same ${kind}s and none from outside the folder; replace the link with the ${kind} itself`);

/** The diagnostic for a file name holding control characters. */
export function controlNameDiagnostic(display: string, kind: string): Diagnostic {
  return createDiagnostic(display, AT, 'file/control-character-name', 'error',
    `the ${kind} name holds control characters; rename the file (they break terminals and line-based listings such as SHA256SUMS)`);
}

/** Lists the files under `paths` (files and folders) by the rules above, in a stable order. */
export async function listFiles(paths: readonly string[], options: ListOptions): Promise<FileListing> {
  const { cwd, accept, kind } = options;
  const files: ListedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  let otherFiles = 0;

  const add = async (absolutePath: string): Promise<void> => {
    const real = await realpath(absolutePath).catch(() => absolutePath);
    if (seen.has(real)) return;
    seen.add(real);
    const displayName = displayPath(absolutePath, cwd);
    if (options.refuseControlCharacters && hasControlCharacters(displayName)) {
      diagnostics.push(controlNameDiagnostic(displayName, kind));
      return;
    }
    files.push({ absolutePath, displayName });
  };

  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      diagnostics.push(createDiagnostic(displayPath(folder, cwd), AT, 'file/unreadable', 'error', `cannot read the folder: ${describeError(error)}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = path.join(folder, entry.name);
      const display = displayPath(child, cwd);
      if (entry.isSymbolicLink()) {
        const target = await stat(child).catch(() => undefined);
        const verdict = classifyEntryName(entry.name, target?.isDirectory() ?? false, accept);
        if (verdict === 'hidden') diagnostics.push(hiddenDiagnostic(display, kind));
        else if (verdict === 'read') diagnostics.push(linkDiagnostic(display, kind, await readlink(child).catch(() => '?')));
        continue;
      }
      const verdict = classifyEntryName(entry.name, entry.isDirectory(), accept);
      if (verdict === 'skip') continue;
      if (verdict === 'hidden') {
        diagnostics.push(hiddenDiagnostic(display, kind));
      } else if (verdict === 'other') {
        otherFiles += 1;
      } else if (entry.isDirectory()) {
        await walk(child);
      } else if (entry.isFile()) {
        await add(child);
      } else {
        // A FIFO, socket or device inside a folder is not a file of the folder's content.
        diagnostics.push(createDiagnostic(display, AT, 'file/not-regular', 'warning', `not a regular file; a walked folder contributes regular ${kind}s only (name it on its own to read it)`));
      }
    }
  };

  for (const given of paths) {
    const absolutePath = path.resolve(cwd, given);
    if (options.root !== undefined) {
      const place = await resolveInsideRepository(options.root, cwd, given);
      if (!place.inside) {
        diagnostics.push(createDiagnostic(displayPath(absolutePath, cwd), AT, 'file/outside-repository', 'error',
          `resolves to ${place.realPath}, outside the repository (through a symbolic link); nothing in it is read`));
        continue;
      }
    }
    let info;
    try {
      info = await stat(absolutePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const dangling = code === 'ENOENT' && (await lstat(absolutePath).catch(() => undefined))?.isSymbolicLink();
      diagnostics.push(createDiagnostic(displayPath(absolutePath, cwd), AT, code === 'ENOENT' && !dangling ? 'file/not-found' : 'file/unreadable', 'error',
        code === 'ENOENT' ? (dangling ? 'cannot read: it is a symbolic link to nothing' : 'no such file or folder') : `cannot read: ${describeError(error)}`));
      continue;
    }
    if (info.isDirectory()) {
      const real = await realpath(absolutePath).catch(() => absolutePath);
      if (seen.has(`${real}${path.sep}`)) continue;
      seen.add(`${real}${path.sep}`);
      await walk(absolutePath);
    } else {
      await add(absolutePath);
    }
  }
  return { files, diagnostics, otherFiles };
}

/**
 * Applies the listing's rules to a path git lists under `folder` at a revision (`mode` as `git ls-tree`
 * gives it: 120000 is a symbolic link, 160000 a submodule): the path to read, or a diagnostic, or
 * nothing. `display` names the path in diagnostics.
 */
export function classifyListedPath(
  relativePath: string,
  mode: string,
  options: { readonly accept: (name: string) => boolean; readonly kind: string; readonly display: string; readonly refuseControlCharacters?: boolean },
): { readonly read: boolean; readonly diagnostic?: Diagnostic } {
  const segments = relativePath.split('/');
  const name = segments[segments.length - 1] as string;
  for (const folder of segments.slice(0, -1)) {
    if (classifyEntryName(folder, true, options.accept) === 'skip') return { read: false };
  }
  if (mode === '160000') return { read: false };
  const verdict = classifyEntryName(name, false, options.accept);
  if (verdict === 'hidden') return { read: false, diagnostic: hiddenDiagnostic(options.display, options.kind) };
  if (verdict !== 'read') return { read: false };
  if (mode === '120000') return { read: false, diagnostic: linkDiagnostic(options.display, options.kind, 'a path kept by git') };
  if (options.refuseControlCharacters && hasControlCharacters(relativePath)) return { read: false, diagnostic: controlNameDiagnostic(options.display, options.kind) };
  return { read: true };
}
