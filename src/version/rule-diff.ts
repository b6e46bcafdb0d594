import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeText, MAX_YAML_BYTES } from '../load/yaml.js';
import { compareBumps, type Bump } from './changesets.js';
import { listEntriesAtCommit, readFilesAtCommit, resolveCommit } from './git.js';
import { selectRuleFilesAtRevision } from '../files/list-rule-files.js';
import { compareCodeUnits, readRuleVersionsFromText, type RuleVersion, type RuleVersionSet } from './rule-version.js';

/** How a rule's detection behaves after a change, judged on golden events. */
export type DetectionJudgement = 'widened' | 'narrowed' | 'changed' | 'same';

/** What happened to one rule between two revisions. */
export type RuleChangeKind =
  | 'added'
  | 'removed'
  | 'id-changed'
  | 'logsource-changed'
  | 'detection-widened'
  | 'detection-narrowed'
  | 'detection-changed'
  | 'detection-refactored'
  | 'metadata'
  | 'unchanged';

/** One rule's change and the semver bump it requires. */
export interface RuleChange {
  readonly id: string;
  readonly title: string;
  /** The rule's file after the change (before it, for a removal). */
  readonly file: string;
  readonly previousFile?: string;
  readonly previousId?: string;
  readonly change: RuleChangeKind;
  readonly bump: Bump;
  /** One line a reviewer reads: what changed and why it needs this bump. */
  readonly reason: string;
  /** Whether the detection change was judged by replaying golden events (false: assumed). */
  readonly judged?: boolean;
}

/** A golden event as the harness hands it over: a key unique across both revisions, and its data. */
export interface GoldenEvent {
  readonly key: string;
  readonly data: unknown;
}

/**
 * What `judgeDetectionChange` needs from the harness: the golden events of a rule version (its
 * tests/rules/<rule name>/ folder at that version's revision) and whether a version fires on each.
 */
export interface DetectionHarness {
  goldenEvents(rule: RuleVersion): Promise<readonly GoldenEvent[]>;
  replay(rule: RuleVersion, events: readonly GoldenEvent[]): Promise<readonly boolean[]>;
}

/**
 * Compares what two versions of a rule fire on, event by event: firing on more events is widened,
 * on fewer narrowed, on some more and some fewer changed, on exactly the same events same.
 */
export function compareVerdicts(before: readonly boolean[], after: readonly boolean[]): DetectionJudgement {
  if (before.length !== after.length) throw new RangeError('compareVerdicts: both versions must be replayed on the same events');
  let gained = false;
  let lost = false;
  before.forEach((fired, index) => {
    const fires = after[index] ?? false;
    if (fires && !fired) gained = true;
    if (fired && !fires) lost = true;
  });
  if (gained && lost) return 'changed';
  if (gained) return 'widened';
  if (lost) return 'narrowed';
  return 'same';
}

/**
 * Judges how a detection change behaves: both versions are replayed over the union of both versions'
 * golden events, and their verdicts compared. Without a harness there is nothing to replay, and the
 * answer is undefined (callers then assume the change may detect more).
 */
export async function judgeDetectionChange(
  before: RuleVersion,
  after: RuleVersion,
  harness?: DetectionHarness,
): Promise<DetectionJudgement | undefined> {
  if (harness === undefined) return undefined;
  const union = new Map<string, GoldenEvent>();
  for (const event of [...(await harness.goldenEvents(before)), ...(await harness.goldenEvents(after))]) {
    if (!union.has(event.key)) union.set(event.key, event);
  }
  const events = [...union.values()];
  if (events.length === 0) return undefined;
  return compareVerdicts(await harness.replay(before, events), await harness.replay(after, events));
}

const keyOf = (rule: RuleVersion): string => rule.id ?? `${rule.file}#${rule.document}`;

/**
 * Classifies every rule's change between two revisions and the bump each needs (the semver policy
 * of .changeset/README.md): removed rules, changed ids and changed log sources are major; a new rule
 * or a detection that fires on more is minor; a detection that fires on less (fewer false positives),
 * a refactor that behaves the same, and metadata edits are patch.
 */
export async function diffRuleVersions(
  before: readonly RuleVersion[],
  after: readonly RuleVersion[],
  harness?: DetectionHarness,
): Promise<RuleChange[]> {
  const changes: RuleChange[] = [];
  const beforeByKey = new Map(before.map((rule) => [keyOf(rule), rule]));
  const afterByKey = new Map(after.map((rule) => [keyOf(rule), rule]));
  const idChangedFrom = new Map<string, RuleVersion>(); // new key -> old version
  const idChangedAway = new Set<string>();
  for (const rule of after) {
    if (beforeByKey.has(keyOf(rule))) continue;
    const previous = before.find((old) => old.file === rule.file && old.document === rule.document && !afterByKey.has(keyOf(old)));
    if (previous) {
      idChangedFrom.set(keyOf(rule), previous);
      idChangedAway.add(keyOf(previous));
    }
  }
  for (const rule of after) {
    const key = keyOf(rule);
    const previous = beforeByKey.get(key);
    const title = rule.title;
    const base = { id: rule.id ?? key, title, file: rule.file };
    if (previous === undefined) {
      const old = idChangedFrom.get(key);
      if (old) {
        changes.push({ ...base, previousId: old.id ?? keyOf(old), change: 'id-changed', bump: 'major', reason: `its id changed from ${old.id ?? '(none)'} to ${rule.id ?? '(none)'}` });
      } else {
        changes.push({ ...base, change: 'added', bump: 'minor', reason: 'it is a new rule (it detects more)' });
      }
      continue;
    }
    const moved = previous.file !== rule.file ? { previousFile: previous.file } : {};
    const movedNote = previous.file !== rule.file ? ` (moved from ${previous.file})` : '';
    if (previous.logsource !== rule.logsource) {
      changes.push({ ...base, ...moved, change: 'logsource-changed', bump: 'major', reason: `its log source changed: it reads other events${movedNote}` });
    } else if (previous.logicHash !== rule.logicHash) {
      const described = describeDetectionChange(await judgeDetectionChange(previous, rule, harness));
      changes.push({ ...base, ...moved, ...described, reason: `${described.reason}${movedNote}` });
    } else if (previous.canonical !== rule.canonical || previous.file !== rule.file) {
      changes.push({ ...base, ...moved, change: 'metadata', bump: 'patch', reason: `only metadata changed${movedNote}` });
    } else {
      changes.push({ ...base, change: 'unchanged', bump: 'none', reason: 'unchanged' });
    }
  }
  for (const rule of before) {
    const key = keyOf(rule);
    if (afterByKey.has(key) || idChangedAway.has(key)) continue;
    changes.push({ id: rule.id ?? key, title: rule.title, file: rule.file, change: 'removed', bump: 'major', reason: 'it was removed: consumers lose a detection' });
  }
  return changes.sort((a, b) => compareCodeUnits(a.file, b.file) || compareCodeUnits(a.id, b.id));
}

function describeDetectionChange(judgement: DetectionJudgement | undefined): Pick<RuleChange, 'change' | 'bump' | 'reason' | 'judged'> {
  switch (judgement) {
    case 'widened':
      return { change: 'detection-widened', bump: 'minor', reason: 'it detects more (golden replay)', judged: true };
    case 'narrowed':
      return { change: 'detection-narrowed', bump: 'patch', reason: 'it detects less: fewer false positives (golden replay)', judged: true };
    case 'changed':
      return { change: 'detection-changed', bump: 'minor', reason: 'it detects some events it did not and misses some it caught (golden replay)', judged: true };
    case 'same':
      return { change: 'detection-refactored', bump: 'patch', reason: 'its detection was rewritten but fires on the same golden events', judged: true };
    default:
      return {
        change: 'detection-changed',
        bump: 'minor',
        reason: 'its detection logic changed; not judged by replay, so it is taken to detect more',
        judged: false,
      };
  }
}

/** The largest bump a set of changes requires, and the changes that require it. */
export function requiredBump(changes: readonly RuleChange[]): { bump: Bump; because: RuleChange[] } {
  let bump: Bump = 'none';
  for (const change of changes) if (compareBumps(change.bump, bump) > 0) bump = change.bump;
  return { bump, because: changes.filter((change) => change.bump === bump && bump !== 'none') };
}

/**
 * Reads the rule versions of a git revision: every YAML file under the rules folder at that commit,
 * read through one git process. An unknown ref becomes a diagnostic.
 */
export async function readRuleVersionsAtRef(
  ref: string,
  repoRoot: string,
  rulesDir: string,
): Promise<RuleVersionSet & { commit?: string }> {
  const at = { line: 1, column: 1 };
  const resolved = await resolveCommit(ref, repoRoot);
  if (resolved.commit === undefined) {
    return { rules: [], diagnostics: [createDiagnostic(ref, at, 'git/unknown-ref', 'error', resolved.error ?? `cannot resolve '${ref}'`)] };
  }
  const listed = await listEntriesAtCommit(resolved.commit, rulesDir, repoRoot);
  if (listed.error) return { rules: [], diagnostics: [createDiagnostic(ref, at, 'git/failed', 'error', `git ls-tree failed: ${listed.error}`)] };
  // The same rules as the working tree's listing: hidden files, links and control characters alike.
  const selected = selectRuleFilesAtRevision(listed.entries, rulesDir, (path) => `${ref}:${path}`);
  const paths = selected.files;
  const read = await readFilesAtCommit(resolved.commit, paths, repoRoot);
  if (read.error) return { rules: [], diagnostics: [createDiagnostic(ref, at, 'git/failed', 'error', `git cat-file failed: ${read.error}`)] };
  const rules: RuleVersion[] = [];
  const diagnostics: Diagnostic[] = [...selected.diagnostics];
  for (const path of paths) {
    const bytes = read.files.get(path);
    if (bytes === undefined) continue;
    const display = `${ref}:${path}`;
    if (bytes.length > MAX_YAML_BYTES) {
      diagnostics.push(createDiagnostic(display, at, 'file/too-large', 'error', `the file is ${bytes.length} bytes; rule files over ${MAX_YAML_BYTES} bytes are not read`));
      continue;
    }
    const decoded = decodeText(bytes, display);
    diagnostics.push(...decoded.diagnostics);
    if (decoded.text === undefined) continue;
    const set = readRuleVersionsFromText(decoded.text, path, ref);
    rules.push(...set.rules);
    diagnostics.push(...set.diagnostics.map((diagnostic) => ({ ...diagnostic, file: display })));
  }
  return { rules, diagnostics, commit: resolved.commit };
}
