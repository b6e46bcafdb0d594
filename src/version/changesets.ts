import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseYaml } from '../load/yaml.js';
import { compareCodeUnits } from './rule-version.js';

/** A semver bump, as changesets names them; `none` for a changeset that releases nothing. */
export type Bump = 'none' | 'patch' | 'minor' | 'major';

/** The kinds of rule change a changeset can name (see .changeset/README.md). */
export type ChangeKind = 'added' | 'detection-changed' | 'tuned' | 'deprecated' | 'removed';

/** One `<kind>: <rule id or file name> <title>` line of a changeset body. */
export interface ChangesetEntry {
  readonly kind: ChangeKind;
  /** A rule id, or a rule file's name or repository path. */
  readonly ref: string;
  readonly title: string;
  /** 1-based line in the changeset file. */
  readonly line: number;
}

/** A problem with a changeset file that breaks the body convention or changesets' format. */
export interface ChangesetProblem {
  readonly line: number;
  readonly message: string;
}

/** A pending changeset: a .changeset/*.md file that `changeset version` has not consumed yet. */
export interface Changeset {
  /** Repository-relative path, e.g. `.changeset/web-shell-rule.md`. */
  readonly file: string;
  /** The bump it asks for, per package name. */
  readonly releases: Readonly<Record<string, Bump>>;
  readonly entries: readonly ChangesetEntry[];
  /** Free text after the entry lines. */
  readonly notes: string;
  readonly problems: readonly ChangesetProblem[];
}

interface ChangelogModule {
  readonly ENTRY_KINDS: readonly { kind: ChangeKind; heading: string; minimumBump: Bump }[];
  parseChangesetSummary(summary: string): {
    entries: { kind: ChangeKind; ref: string; title: string; line: number }[];
    problems: ChangesetProblem[];
    notes: string;
  };
}

// The convention is defined once, in the CommonJS changelog module that changesets itself runs.
const changelog = createRequire(import.meta.url)('../../.changeset/changelog.cjs') as ChangelogModule;

/** The folder changesets keeps pending changesets in. */
export const CHANGESET_DIR = '.changeset';

/** The least bump each kind of rule change needs (the semver policy of .changeset/README.md). */
export const MINIMUM_BUMP: Readonly<Record<ChangeKind, Bump>> = Object.fromEntries(
  changelog.ENTRY_KINDS.map((entry) => [entry.kind, entry.minimumBump]),
) as Record<ChangeKind, Bump>;

const BUMP_ORDER: readonly Bump[] = ['none', 'patch', 'minor', 'major'];

/** Orders bumps: none < patch < minor < major. */
export function compareBumps(a: Bump, b: Bump): number {
  return BUMP_ORDER.indexOf(a) - BUMP_ORDER.indexOf(b);
}

/** The larger of bumps; `none` for an empty list. */
export function maxBump(bumps: Iterable<Bump>): Bump {
  let result: Bump = 'none';
  for (const bump of bumps) if (compareBumps(bump, result) > 0) result = bump;
  return result;
}

const isBump = (value: unknown): value is Bump =>
  typeof value === 'string' && (BUMP_ORDER as readonly string[]).includes(value);

/**
 * Parses a changeset file: YAML front matter between `---` lines naming package bumps, then a body
 * whose first lines name the rule changes. Problems are collected, never thrown.
 */
export function parseChangeset(text: string, file: string): Changeset {
  const problems: ChangesetProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const releases: Record<string, Bump> = {};
  let bodyStart = 0;
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
    if (close < 0) {
      problems.push({ line: 1, message: 'the front matter is not closed by a `---` line' });
      return { file, releases, entries: [], notes: '', problems };
    }
    const parsed = parseYaml(lines.slice(1, close).join('\n'), file);
    for (const diagnostic of parsed.diagnostics) problems.push({ line: diagnostic.line + 1, message: diagnostic.message });
    const value = parsed.documents[0]?.value;
    if (value !== undefined && value !== null) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push({ line: 2, message: 'the front matter must map package names to bumps (major, minor, patch or none)' });
      } else {
        for (const [name, bump] of Object.entries(value)) {
          const line = (parsed.documents[0]?.locateKey([name]).line ?? 1) + 1;
          if (isBump(bump)) releases[name] = bump;
          else problems.push({ line, message: `'${name}' must be bumped by major, minor, patch or none, not ${JSON.stringify(bump)}` });
        }
      }
    }
    bodyStart = close + 1;
  } else {
    problems.push({ line: 1, message: 'a changeset starts with front matter: `---`, `"<package>": <bump>`, `---`' });
  }
  // changesets trims the body; count the lines dropped in front so entry lines point into the file.
  while (bodyStart < lines.length && (lines[bodyStart] ?? '').trim() === '') bodyStart += 1;
  const summary = lines.slice(bodyStart).join('\n').trim();
  const parsed = changelog.parseChangesetSummary(summary);
  return {
    file,
    releases,
    entries: parsed.entries.map((entry) => ({ ...entry, line: entry.line + bodyStart })),
    notes: parsed.notes,
    problems: [...problems, ...parsed.problems.map((problem) => ({ ...problem, line: problem.line + bodyStart }))],
  };
}

/** True for the files in .changeset/ that are changesets (Markdown other than the README). */
export function isChangesetFileName(name: string): boolean {
  return name.endsWith('.md') && name.toLowerCase() !== 'readme.md';
}

/** Reads every pending changeset of the repository, sorted by file name. */
export async function readChangesets(repoRoot: string): Promise<Changeset[]> {
  let names: string[];
  try {
    names = (await readdir(join(repoRoot, CHANGESET_DIR))).filter(isChangesetFileName).sort(compareCodeUnits);
  } catch {
    return [];
  }
  const changesets: Changeset[] = [];
  for (const name of names) {
    const file = `${CHANGESET_DIR}/${name}`;
    try {
      changesets.push(parseChangeset(await readFile(join(repoRoot, file), 'utf8'), file));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      changesets.push({ file, releases: {}, entries: [], notes: '', problems: [{ line: 1, message: `cannot read the changeset: ${reason}` }] });
    }
  }
  return changesets;
}

/** The bump the changesets ask for one package: the largest among them. */
export function declaredBump(changesets: readonly Changeset[], packageName: string): Bump {
  return maxBump(changesets.flatMap((changeset) => {
    const bump = changeset.releases[packageName];
    return bump === undefined ? [] : [bump];
  }));
}

/** True when a changeset entry names a rule: by id, file name or repository path. */
export function namesRule(entry: ChangesetEntry, rule: { readonly id?: string; readonly file: string }): boolean {
  if (rule.id !== undefined && entry.ref.toLowerCase() === rule.id.toLowerCase()) return true;
  if (entry.ref === rule.file) return true;
  const base = rule.file.slice(rule.file.lastIndexOf('/') + 1);
  return entry.ref === base;
}
