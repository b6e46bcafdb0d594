import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { indexLines } from '../load/source-text.js';
import { compareCodeUnits, type RuleVersion } from './rule-version.js';

/** The lock file's name, at the repository root. */
export const LOCK_FILE = 'rules.lock.json';

/** The lock format's version; bumped only if the layout changes. */
export const LOCKFILE_VERSION = 1;

/** What the lock remembers about one released rule. */
export interface LockEntry {
  readonly file: string;
  readonly title: string;
  readonly logicHash: string;
  /** The rule's `modified` (or `date`) when it was locked; null when it had neither. */
  readonly modified: string | null;
  /**
   * The day (YYYY-MM-DD, UTC) this logic was locked. Sigma dates count days, so a change made on the
   * day of its release cannot move `modified` past it; the version check accepts that one case.
   */
  readonly locked?: string;
  /** 1-based line of the entry in the lock text, when read from a file (never written). */
  readonly line?: number;
}

/** The released state of every rule, by id: what `dac lock` writes and `dac lock --check` compares with. */
export interface RulesLock {
  readonly lockfileVersion: number;
  readonly rules: Readonly<Record<string, LockEntry>>;
}

/** An empty lock: the state before the first release. */
export const EMPTY_LOCK: RulesLock = { lockfileVersion: LOCKFILE_VERSION, rules: {} };

/** Today's date as Sigma writes dates (UTC). */
export function formatToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Builds the lock from the current rules. Rules without an id cannot be locked and are left out;
 * callers report them (and duplicate ids) before writing. An entry whose logic is unchanged keeps the
 * day it was first locked, so regenerating the lock changes nothing.
 */
export function createLock(rules: readonly RuleVersion[], previous: RulesLock = EMPTY_LOCK, today: string = formatToday()): RulesLock {
  const entries: Record<string, LockEntry> = {};
  for (const rule of rules) {
    if (rule.id === undefined || Object.hasOwn(entries, rule.id)) continue;
    const before = Object.hasOwn(previous.rules, rule.id) ? previous.rules[rule.id] : undefined;
    const locked = before?.logicHash === rule.logicHash && before.locked !== undefined ? before.locked : today;
    entries[rule.id] = { file: rule.file, title: rule.title, logicHash: rule.logicHash, modified: rule.modified ?? null, locked };
  }
  return { lockfileVersion: LOCKFILE_VERSION, rules: entries };
}

/**
 * Writes the lock text: two-space JSON, entries sorted by id, fields in a fixed order and a final
 * newline, so regenerating an unchanged lock changes no byte and a diff shows only real changes.
 */
export function formatLock(lock: RulesLock): string {
  const rules: Record<string, unknown> = {};
  for (const id of Object.keys(lock.rules).sort(compareCodeUnits)) {
    const entry = lock.rules[id] as LockEntry;
    rules[id] = { file: entry.file, title: entry.title, logicHash: entry.logicHash, modified: entry.modified, ...(entry.locked !== undefined ? { locked: entry.locked } : {}) };
  }
  return `${JSON.stringify({ lockfileVersion: lock.lockfileVersion, rules }, null, 2)}\n`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Finds the line of an entry's key in lock text written by `formatLock` (or by hand, close enough). */
function lineOfKey(text: string, key: string): number {
  const offset = text.indexOf(`${JSON.stringify(key)}:`);
  return offset < 0 ? 1 : indexLines(text).positionAt(offset).line;
}

/** Parses lock text; a malformed lock or entry becomes a diagnostic, and what can be read is kept. */
export function parseLock(text: string, file: string = LOCK_FILE): { lock: RulesLock; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fail = (line: number, message: string, code = 'lock/malformed'): void => {
    diagnostics.push(createDiagnostic(file, { line, column: 1 }, code, 'error', message));
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(reason);
    const position = at ? indexLines(text).positionAt(Number(at[1])) : { line: 1, column: 1 };
    diagnostics.push(createDiagnostic(file, position, 'lock/syntax', 'error', `the lock is not valid JSON: ${reason}; regenerate it with \`dac lock\` at a release commit`));
    return { lock: EMPTY_LOCK, diagnostics };
  }
  if (!isRecord(value) || !isRecord(value.rules)) {
    fail(1, 'the lock must be an object with a "rules" object');
    return { lock: EMPTY_LOCK, diagnostics };
  }
  if (value.lockfileVersion !== LOCKFILE_VERSION) {
    fail(lineOfKey(text, 'lockfileVersion'), `unsupported lockfileVersion ${JSON.stringify(value.lockfileVersion)}; this harness reads version ${LOCKFILE_VERSION}`, 'lock/version');
    return { lock: EMPTY_LOCK, diagnostics };
  }
  const rules: Record<string, LockEntry> = {};
  for (const [id, entry] of Object.entries(value.rules)) {
    const line = lineOfKey(text, id);
    if (
      !isRecord(entry) ||
      typeof entry.file !== 'string' ||
      typeof entry.title !== 'string' ||
      typeof entry.logicHash !== 'string' ||
      !/^sha256:[0-9a-f]{64}$/.test(entry.logicHash) ||
      !(entry.modified === null || typeof entry.modified === 'string') ||
      !(entry.locked === undefined || (typeof entry.locked === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.locked)))
    ) {
      fail(line, `the lock entry for ${id} needs "file", "title", "logicHash" (sha256:<64 hex>) "modified" (a date or null) and optionally "locked" (YYYY-MM-DD); it is ignored`);
      continue;
    }
    rules[id] = {
      file: entry.file,
      title: entry.title,
      logicHash: entry.logicHash,
      modified: entry.modified,
      ...(typeof entry.locked === 'string' ? { locked: entry.locked } : {}),
      line,
    };
  }
  return { lock: { lockfileVersion: LOCKFILE_VERSION, rules }, diagnostics };
}

/** Reads the lock at the repository root; a missing lock is the empty lock of a pack never released. */
export async function readLock(repoRoot: string): Promise<{ lock: RulesLock; diagnostics: Diagnostic[]; exists: boolean }> {
  let text: string;
  try {
    text = await readFile(join(repoRoot, LOCK_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lock: EMPTY_LOCK, diagnostics: [], exists: false };
    const reason = error instanceof Error ? error.message : String(error);
    return {
      lock: EMPTY_LOCK,
      diagnostics: [createDiagnostic(LOCK_FILE, { line: 1, column: 1 }, 'lock/unreadable', 'error', `cannot read the lock: ${reason}`)],
      exists: true,
    };
  }
  return { ...parseLock(text), exists: true };
}

/**
 * Writes the lock at the repository root, whole or not at all (a kill leaves the old lock or the new
 * one); returns whether its bytes changed. A failed write throws a FileWriteError naming the lock.
 */
export async function writeLock(repoRoot: string, lock: RulesLock): Promise<boolean> {
  const path = join(repoRoot, LOCK_FILE);
  const text = formatLock(lock);
  const before = await readFile(path, 'utf8').catch(() => undefined);
  if (before === text) return false;
  await writeFileAtomic(path, text);
  return true;
}
