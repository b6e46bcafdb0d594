import { compareBumps, declaredBump, isChangesetFileName, readChangesets, CHANGESET_DIR, type Bump, type Changeset } from '../version/changesets.js';
import { listFilesAtCommit } from '../version/git.js';
import { printDiagnostics, readRepositoryLayout } from '../version/repository.js';
import { createDetectionHarness } from '../harness/detection-harness.js';
import { diffRuleVersions, readRuleVersionsAtRef, requiredBump, type RuleChange } from '../version/rule-diff.js';
import { readRuleVersions } from '../version/rule-version.js';
import { escapeJsonControlCharacters } from '../text/control-characters.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { printText, type CliIo } from './io.js';

/** `dac diff`'s options, read by the parser and printed by `--help`. */
export const diffSpec = defineCommand({
  name: 'diff',
  operands: 'REF',
  description: `Compares the rules at REF with the working tree (or with --to REF) and prints, per rule, what
changed and the semver bump it requires, then the bump the whole change requires:
  removed rule, changed id or log source        major
  new rule, detection that fires on more        minor
  fewer false positives, metadata only          patch
Detection changes are judged by replaying both versions over the union of their golden events.`,
  options: {
    to: { type: 'string', value: 'REF', help: 'compare with this ref instead of the working tree' },
    format: { type: 'string', choices: ['text', 'json'], default: 'text', help: 'text for people, json for scripts' },
    check: { type: 'boolean', help: 'exit 1 when the changesets added since REF bump the pack less than required' },
  },
  exitStatus: '0 compared (and with --check, the changesets cover the change), 1 the changesets bump too little,\n2 usage error or unknown ref',
});

/** How `--check` words a change, after the rule's name. */
function describeForCheck(change: RuleChange): string {
  switch (change.change) {
    case 'added':
      return 'is new';
    case 'removed':
      return 'was removed';
    case 'id-changed':
      return 'changed its id';
    case 'logsource-changed':
      return 'changed its log source';
    case 'detection-widened':
      return 'detects more';
    case 'detection-changed':
      return change.judged ? 'changed what it detects' : 'may detect more (its detection logic changed and was not judged by replay)';
    case 'detection-narrowed':
      return 'detects less';
    case 'detection-refactored':
      return 'rewrote its detection';
    case 'metadata':
      return 'changed metadata';
    default:
      return 'is unchanged';
  }
}

/** The changesets that are new since the base: only those speak for this change. */
async function readChangesetsSince(commit: string, repoRoot: string): Promise<{ changesets: Changeset[]; error?: string }> {
  const atBase = await listFilesAtCommit(commit, CHANGESET_DIR, repoRoot);
  if (atBase.error) return { changesets: [], error: atBase.error };
  const existing = new Set(atBase.files.filter((path) => isChangesetFileName(path.slice(path.lastIndexOf('/') + 1))));
  return { changesets: (await readChangesets(repoRoot)).filter((changeset) => !existing.has(changeset.file)) };
}

/** `dac diff REF`: what changed in detection since REF, the bump it needs, and with `--check` whether the changesets cover it. */
export async function runDiff(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(diffSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, operands } = parsed;
  const [ref, ...extra] = operands;
  if (ref === undefined || extra.length > 0) return reportUsageError(diffSpec, ref === undefined ? 'give the ref to compare with' : 'give one ref', io);
  const layout = await readRepositoryLayout(io.cwd);
  if (printDiagnostics(layout.diagnostics, io.stderr)) return 2;

  const before = await readRuleVersionsAtRef(ref, io.cwd, layout.rulesDir);
  if (before.commit === undefined) {
    printDiagnostics(before.diagnostics, io.stderr);
    return 2;
  }
  const after = values.to === undefined
    ? { ...(await readRuleVersions(io.cwd, layout.rulesDir)), commit: undefined }
    : await readRuleVersionsAtRef(values.to, io.cwd, layout.rulesDir);
  if (values.to !== undefined && after.commit === undefined) {
    printDiagnostics(after.diagnostics, io.stderr);
    return 2;
  }
  // Unreadable rules are reported; they then count as removed (or added), which errs on the side of a bigger bump.
  printDiagnostics([...before.diagnostics, ...after.diagnostics], io.stderr);

  // Detection changes are judged by replaying both versions over the union of their golden events.
  const changes = await diffRuleVersions(before.rules, after.rules, await createDetectionHarness(io.cwd, { testsDir: layout.testsDir, mappingsDir: layout.mappingsDir }));
  const required = requiredBump(changes);
  const target = values.to ?? 'the working tree';

  let declared: Bump | undefined;
  let changesetFiles: string[] = [];
  if (values.check) {
    const since = await readChangesetsSince(before.commit, io.cwd);
    if (since.error) {
      printText(io.stderr, `dac diff: cannot list the changesets at ${ref}: ${since.error}\n`);
      return 2;
    }
    declared = declaredBump(since.changesets, layout.packageName);
    changesetFiles = since.changesets.filter((changeset) => changeset.releases[layout.packageName] !== undefined).map((changeset) => changeset.file);
  }
  const short = declared !== undefined && compareBumps(declared, required.bump) < 0;
  const reason = short ? explainShortBump(required.because, required.bump, declared ?? 'none', layout.packageName) : undefined;

  if (values.format === 'json') {
    io.stdout.write(`${escapeJsonControlCharacters(JSON.stringify({
      from: ref,
      to: values.to ?? null,
      rules: changes,
      required: required.bump,
      ...(declared !== undefined ? { declared, changesets: changesetFiles, ok: !short, ...(reason ? { reason } : {}) } : {}),
    }, null, 2))}\n`);
  } else {
    printText(io.stdout, `rule changes from ${ref} to ${target}:\n`);
    const changed = changes.filter((change) => change.change !== 'unchanged');
    for (const change of changed) {
      printText(io.stdout, `  ${change.bump.padEnd(5)}  ${change.change.padEnd(20)}  ${change.id}  ${change.file}  ${change.title}: ${change.reason}\n`);
    }
    if (changed.length === 0) printText(io.stdout, '  (no rule changed)\n');
    const unchanged = changes.length - changed.length;
    if (unchanged > 0) printText(io.stdout, `  ${unchanged} rule(s) unchanged\n`);
    printText(io.stdout, `required bump: ${required.bump}\n`);
    if (declared !== undefined) {
      printText(io.stdout, `changesets since ${ref} bump ${layout.packageName}: ${declared}${changesetFiles.length ? ` (${changesetFiles.join(', ')})` : ''}\n`);
    }
  }
  if (reason !== undefined) {
    printText(io.stderr, `dac diff --check: ${reason}\n`);
    return 1;
  }
  return 0;
}

/** Words why the changesets fall short, naming the rules that need the bump. */
function explainShortBump(because: readonly RuleChange[], required: Bump, declared: Bump, packageName: string): string {
  const [first, ...rest] = because;
  const subject = first === undefined ? 'the rules' : `the rule "${first.title || first.id}" (${first.file})`;
  const verb = first === undefined ? 'changed' : describeForCheck(first);
  const more = rest.length > 0 ? ` (and ${rest.length} more rule${rest.length > 1 ? 's' : ''})` : '';
  const tail = declared === 'none'
    ? `no changeset added since the base bumps ${packageName}`
    : `the changesets only bump ${declared}`;
  return `${subject} ${verb}${more}, a ${required} change, but ${tail}`;
}
