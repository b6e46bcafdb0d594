import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.js';
import type { Failure } from '../harness/test-report.js';
import { listChangedRules } from './changed-rules.js';
import {
  compareBumps,
  MINIMUM_BUMP,
  namesRule,
  readChangesets,
  type Changeset,
  type ChangesetEntry,
  type ChangeKind,
} from './changesets.js';
import { LOCK_FILE, readLock, type LockEntry, type RulesLock } from './lock-file.js';
import { readHeadLeniently } from '../load/lenient-head.js';
import { locateId, locateModified, readRuleVersions, type RuleVersion } from './rule-version.js';

/** What limits and informs the version check. */
export interface CheckVersionsOptions {
  /** Repository-relative rule files to check (`--changed-since`); every rule when absent. */
  readonly only?: ReadonlySet<string>;
  /** The rule pack's package name: a changeset that names rule changes must bump it. */
  readonly packageName?: string;
  /** The lock's path as failures show it. */
  readonly lockFile?: string;
  /**
   * Rule files that exist but could not be read as YAML, with the id their text names (read line by
   * line, when it can be): a released rule locked to one of them is not gone, and a changeset naming it
   * names a rule; its file is broken, which the rule's own report says, and no version failure is made
   * up for it.
   */
  readonly unreadable?: ReadonlyMap<string, string | undefined>;
}

/** Normalises a Sigma date (`YYYY-MM-DD`, or the older `YYYY/MM/DD`) so dates compare as strings. */
export function normalizeSigmaDate(value: string | null | undefined): string | undefined {
  const match = value == null ? null : /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

const CHANGED_KINDS: readonly ChangeKind[] = ['detection-changed', 'tuned', 'deprecated'];

/**
 * Checks each rule's version bookkeeping against the lock (the logic last released) and the
 * pending changesets, as the pull-request gate asks:
 * - a rule whose detection-logic hash differs from the lock needs `modified` moved past the locked
 *   date and a pending changeset naming it (`detection-changed`, `tuned` or `deprecated`);
 * - a new rule needs an `added` changeset; a rule gone from the tree needs a `removed` one;
 * - an id that changed in the same file, an id used twice and a missing id fail outright;
 * - changesets must follow the body convention and bump the pack at least as much as their kinds need.
 */
export function checkVersions(
  rules: readonly RuleVersion[],
  lock: RulesLock,
  changesets: readonly Changeset[],
  options: CheckVersionsOptions = {},
): Failure[] {
  const failures: Failure[] = [];
  const lockFile = options.lockFile ?? LOCK_FILE;
  const inScope = (file: string): boolean => options.only === undefined || options.only.has(file);
  const fail = (file: string, at: Position, message: string, details?: string): void => {
    failures.push({ check: 'version', message, ...(details !== undefined ? { details } : {}), file, line: at.line, column: at.column });
  };
  const entries = changesets.flatMap((changeset) => changeset.entries.map((entry) => ({ changeset, entry })));
  const changesetNaming = (rule: { id?: string; file: string }, kinds: readonly ChangeKind[]) =>
    entries.find(({ entry }) => kinds.includes(entry.kind) && namesRule(entry, rule));

  const byId = new Map<string, RuleVersion[]>();
  for (const rule of rules) {
    if (rule.id === undefined) {
      if (inScope(rule.file)) fail(rule.file, locateId(rule), 'the rule has no id, so its versions cannot be tracked: give it a UUID `id:`');
      continue;
    }
    byId.set(rule.id, [...(byId.get(rule.id) ?? []), rule]);
  }

  for (const [id, sharing] of byId) {
    if (sharing.length > 1) {
      for (const rule of sharing) {
        if (!inScope(rule.file)) continue;
        const others = sharing.filter((other) => other !== rule).map((other) => `${other.file}${other.document > 0 ? ` (document ${other.document + 1})` : ''}`);
        fail(rule.file, locateId(rule), `the id ${id} is also used by ${others.join(', ')}: each rule needs its own id`);
      }
    }
  }

  const lockIdsByFile = new Map<string, string[]>();
  for (const [id, entry] of Object.entries(lock.rules)) lockIdsByFile.set(entry.file, [...(lockIdsByFile.get(entry.file) ?? []), id]);
  const renamedAway = new Set<string>(); // lock ids whose file now holds another id: reported once, as an id change

  for (const rule of rules) {
    if (rule.id === undefined || !inScope(rule.file)) continue;
    const locked = Object.hasOwn(lock.rules, rule.id) ? lock.rules[rule.id] : undefined;
    if (locked === undefined) {
      const previous = (lockIdsByFile.get(rule.file) ?? []).filter((id) => !byId.has(id));
      if (previous.length > 0) {
        previous.forEach((id) => renamedAway.add(id));
        fail(rule.file, locateId(rule),
          `the rule's id changed from ${previous.join(', ')} (${lockFile}) to ${rule.id}: an id is a rule's identity, so keep the released one`,
          'Consumers track alerts, suppressions and tuning by rule id. To replace a rule, give the new one its own file\n' +
          'and id, and remove the old one with a `removed:` changeset (a major change).');
        continue;
      }
      if (!changesetNaming(rule, ['added'])) {
        fail(rule.file, locateId(rule),
          `the rule is new (not in ${lockFile}) and no pending changeset adds it`,
          `Add a changeset (npx changeset, or a .changeset/<name>.md file) whose body starts with\n  added: ${rule.id} ${rule.title}\nand that bumps the pack by at least minor.`);
      }
      continue;
    }
    if (locked.logicHash === rule.logicHash) continue;
    const details = `locked logic: ${locked.logicHash}\ncurrent logic: ${rule.logicHash}`;
    const lockedDate = normalizeSigmaDate(locked.modified);
    const currentDate = normalizeSigmaDate(rule.modified);
    // A change on the day its predecessor was locked cannot move a day-granular date any further.
    const sameDayAsRelease = currentDate !== undefined && currentDate === lockedDate && locked.locked === currentDate;
    if (currentDate === undefined || (lockedDate !== undefined && currentDate <= lockedDate && !sameDayAsRelease)) {
      const now = rule.modified === undefined ? 'not set' : `still ${rule.modified}`;
      fail(rule.file, locateModified(rule),
        `the detection logic changed since the release but \`modified\` is ${now}${locked.modified ? `, not later than the released ${locked.modified}` : ''}: set it to the date of the change`,
        details);
    }
    if (!changesetNaming(rule, CHANGED_KINDS)) {
      fail(rule.file, locateId(rule),
        `the detection logic changed since the release but no pending changeset names ${rule.id}`,
        `${details}\nAdd a changeset whose body starts with one of\n  detection-changed: ${rule.id} ${rule.title}   (it detects more or differently: minor)\n  tuned: ${rule.id} ${rule.title}               (fewer false positives: patch)`);
    }
  }

  for (const [id, locked] of Object.entries(lock.rules)) {
    if (byId.has(id) || renamedAway.has(id) || !inScope(locked.file) || options.unreadable?.has(locked.file)) continue;
    if ([...(options.unreadable?.values() ?? [])].includes(id)) continue;
    if (changesetNaming({ id, file: locked.file }, ['removed'])) continue;
    fail(lockFile, { line: locked.line ?? 1, column: 1 },
      `the released rule ${id} (${locked.title}, ${locked.file}) is gone and no pending changeset removes it`,
      `Removing a rule is a major change. Add a changeset whose body starts with\n  removed: ${id} ${locked.title}\nand that bumps the pack by major; or, to stop it firing but keep it, set its status to deprecated.`);
  }

  failures.push(...checkChangesets(changesets, rules, lock, options));
  return failures.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/** Checks the changesets themselves: format, the rules they name, and whether their bump suffices. */
function checkChangesets(
  changesets: readonly Changeset[],
  rules: readonly RuleVersion[],
  lock: RulesLock,
  options: CheckVersionsOptions,
): Failure[] {
  const failures: Failure[] = [];
  const fail = (changeset: Changeset, line: number, message: string): void => {
    failures.push({ check: 'version', message, file: changeset.file, line, column: 1 });
  };
  const known: { id?: string; file: string; released: boolean }[] = [
    ...rules.map((rule) => ({ ...(rule.id !== undefined ? { id: rule.id } : {}), file: rule.file, released: false })),
    ...[...(options.unreadable ?? new Map<string, string | undefined>())].map(([file, id]) => ({ ...(id !== undefined ? { id } : {}), file, released: false })),
    ...Object.entries(lock.rules).map(([id, entry]: [string, LockEntry]) => ({ id, file: entry.file, released: true })),
  ];
  for (const changeset of changesets) {
    for (const problem of changeset.problems) fail(changeset, problem.line, problem.message);
    const bump = options.packageName === undefined ? undefined : changeset.releases[options.packageName];
    if (changeset.entries.length > 0 && options.packageName !== undefined && (bump === undefined || bump === 'none')) {
      fail(changeset, 1, `the changeset names rule changes but does not bump ${options.packageName}`);
    }
    for (const entry of changeset.entries) {
      const named = known.filter((rule) => namesRule(entry, rule));
      if (named.length === 0) {
        fail(changeset, entry.line, `'${entry.ref}' names no rule: neither the rules nor ${options.lockFile ?? LOCK_FILE} have this id or file name`);
        continue;
      }
      if (entry.kind === 'added' && named.some((rule) => rule.released)) {
        fail(changeset, entry.line, `'${entry.ref}' is named as added, but it was already released: use detection-changed, tuned or deprecated`);
      }
      if (bump !== undefined && bump !== 'none' && compareBumps(bump, MINIMUM_BUMP[entry.kind]) < 0) {
        fail(changeset, entry.line, describeShortBump(entry, bump));
      }
    }
  }
  return failures;
}

function describeShortBump(entry: ChangesetEntry, bump: string): string {
  return `a '${entry.kind}' change needs at least a ${MINIMUM_BUMP[entry.kind]} bump, but the changeset bumps only ${bump}`;
}

/** What `runVersionCheck` found: failures of the check, and diagnostics for unreadable input. */
export interface VersionCheckResult {
  readonly failures: readonly Failure[];
  readonly diagnostics: readonly Diagnostic[];
  /** How many rule documents were checked. */
  readonly checked: number;
  /** Rule files that exist but could not be read as YAML (their version bookkeeping could not be checked). */
  readonly unreadableFiles: readonly string[];
}

/**
 * Runs the version check on a repository: reads the rules (only those changed since `changedSince`,
 * when given), rules.lock.json, the pending changesets and the package name, then `checkVersions`.
 * This is what `dac lock --check` and the `version` check of `dac test` run.
 */
export async function runVersionCheck(
  repoRoot: string,
  options: { readonly rulesDir?: string; readonly testsDir?: string; readonly changedSince?: string } = {},
): Promise<VersionCheckResult> {
  const rulesDir = options.rulesDir ?? 'rules';
  const diagnostics: Diagnostic[] = [];
  let only: Set<string> | undefined;
  if (options.changedSince !== undefined) {
    const changed = await listChangedRules(options.changedSince, repoRoot, { rulesDir, ...(options.testsDir ? { testsDir: options.testsDir } : {}) });
    diagnostics.push(...changed.diagnostics);
    if (changed.diagnostics.length > 0) return { failures: [], diagnostics, checked: 0, unreadableFiles: [] };
    only = new Set(changed.files);
  }
  // Every rule is read even when only some are checked: a changed rule may reuse an unchanged one's id.
  const read = await readRuleVersions(repoRoot, rulesDir);
  const readFiles = new Set(read.rules.map((rule) => rule.file));
  const unreadableFiles = [...new Set(read.diagnostics.filter((d) => d.severity === 'error' && !readFiles.has(d.file)).map((d) => d.file))];
  const unreadable = new Map<string, string | undefined>();
  for (const file of unreadableFiles) {
    const text = await readFile(join(repoRoot, file), 'utf8').catch(() => '');
    unreadable.set(file, readHeadLeniently(text).id);
  }
  const locked = await readLock(repoRoot);
  const changesets = await readChangesets(repoRoot);
  const packageName = await readPackageName(repoRoot);
  diagnostics.push(...read.diagnostics, ...locked.diagnostics);
  const failures = checkVersions(read.rules, locked.lock, changesets, {
    ...(only ? { only } : {}),
    ...(packageName !== undefined ? { packageName } : {}),
    unreadable,
  });
  const checked = read.rules.filter((rule) => only === undefined || only.has(rule.file)).length;
  return { failures, diagnostics, checked, unreadableFiles };
}

/** Reads the `name` of the repository's package.json, if it has one. */
export async function readPackageName(repoRoot: string): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof manifest.name === 'string' ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}
