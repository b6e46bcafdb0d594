import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, normalize, resolve, sep } from 'node:path';
import { compileRule } from '../compile/compile-rule.js';
import { resolveInsideRepository } from '../files/inside-repository.js';
import { toFileWriteError } from '../files/write-file-atomic.js';
import type { EventRecord } from '../compile/event-record.js';
import { readEvents } from '../events/read-events.js';
import { parseYaml } from '../load/yaml.js';
import { loadMappings } from '../mapping/load-mappings.js';
import type { Mapping } from '../mapping/mapping.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { parseRule } from '../parse/parse-rule.js';
import { readFilesAtCommit, resolveCommit } from '../version/git.js';
import type { DetectionHarness, GoldenEvent } from '../version/rule-diff.js';
import type { RuleVersion } from '../version/rule-version.js';
import type { Activity } from './activities/activity.js';
import { findActivityOfLogSource } from './activities/registry.js';
import { SPEC_FILE } from './rule-test-spec.js';
import { buildTaxonomyEvent, readBackRenderings, readTaxonomyEvents } from './taxonomy-events.js';

const toRepoPath = (path: string): string => normalize(path).split(sep).join('/');

/** A key that is the same for the same event in both revisions, whatever file it sits in. */
function keyOfRecord(record: EventRecord): string {
  const fields = record.fieldNames().map((name) => [name, record.get(name)]);
  return createHash('sha256').update(JSON.stringify([record.channel, record.eventId, fields])).digest('hex');
}

/** An event file a spec names, as a repository path, and whether it holds taxonomy events to render. */
interface SpecFile {
  readonly path: string;
  readonly taxonomy: boolean;
}

/** The event files a spec names. */
function listSpecFiles(specText: string, folder: string): SpecFile[] {
  const value = parseYaml(specText, SPEC_FILE).documents[0]?.value as { events?: { file?: unknown; render?: unknown }[] } | undefined;
  return (value?.events ?? [])
    .flatMap((entry) => (typeof entry.file === 'string' ? [{ file: entry.file, render: entry.render }] : []))
    .map(({ file, render }) => ({ path: toRepoPath(join(folder, file)), taxonomy: typeof render === 'boolean' ? render : /\.ya?ml$/i.test(file) }))
    .filter(({ path }) => !path.startsWith('..'));
}

/** The golden events of files: as read, or for taxonomy events every rendering of the rule's activity. */
async function readRecords(files: readonly SpecFile[], root: string, activity: Activity | undefined): Promise<GoldenEvent[]> {
  const events: GoldenEvent[] = [];
  for (const { path, taxonomy } of files) {
    if (!existsSync(join(root, path))) continue;
    if (taxonomy) {
      if (activity === undefined) continue;
      for (const event of (await readTaxonomyEvents(join(root, path), path)).events) {
        const built = buildTaxonomyEvent(activity, event.fields, event.index);
        if ('problem' in built) continue;
        for (const rendering of readBackRenderings(activity, built, path, event.index)) {
          if (rendering.record !== undefined) events.push({ key: keyOfRecord(rendering.record), data: rendering.record });
        }
      }
      continue;
    }
    for await (const item of readEvents(join(root, path))) {
      if (item.kind === 'event') events.push({ key: keyOfRecord(item.record), data: item.record });
    }
  }
  return events;
}

/** The activity of a rule version's log source, for rendering its taxonomy events. */
function findVersionActivity(version: RuleVersion): Activity | undefined {
  const { rule } = parseRule(version.source, version.file);
  return rule === undefined ? undefined : findActivityOfLogSource(rule.logsource);
}

/**
 * The harness `dac diff` judges detection changes with: a rule version's golden events are the event
 * files its tests/rules/<rule name>/rule-test.yml names at that version's revision, and a version fires
 * on an event when its compiled detection (bound to the log source by today's mappings) matches.
 */
export async function createDetectionHarness(repoRoot: string, options: { testsDir?: string; mappingsDir?: string } = {}): Promise<DetectionHarness> {
  const testsDir = options.testsDir ?? 'tests/rules';
  const { mappings } = await loadMappings(resolve(repoRoot, options.mappingsDir ?? 'mappings'));
  const folderOf = (rule: RuleVersion): string => `${testsDir}/${basename(rule.file).replace(/\.ya?ml$/, '')}`;

  async function goldenEventsAt(rule: RuleVersion): Promise<GoldenEvent[]> {
    const folder = folderOf(rule);
    if (rule.revision === undefined) {
      const specPath = join(repoRoot, folder, SPEC_FILE);
      if (!existsSync(specPath)) return [];
      // As `dac test` does: an event file that resolves outside the repository (a link) is not read.
      const files = listSpecFiles(await readFile(specPath, 'utf8'), folder);
      const places = await Promise.all(files.map((file) => resolveInsideRepository(repoRoot, repoRoot, file.path)));
      return readRecords(files.filter((_file, index) => places[index]?.inside), repoRoot, findVersionActivity(rule));
    }
    const { commit } = await resolveCommit(rule.revision, repoRoot);
    if (commit === undefined) return [];
    const spec = (await readFilesAtCommit(commit, [`${folder}/${SPEC_FILE}`], repoRoot)).files.get(`${folder}/${SPEC_FILE}`);
    if (spec === undefined) return [];
    const specFiles = listSpecFiles(spec.toString('utf8'), folder);
    const paths = specFiles.map((file) => file.path);
    // Event readers stream from files, so the revision's event files are laid out in a scratch folder.
    const scratch = await mkdtemp(join(tmpdir(), 'dac-diff-'));
    try {
      const { files } = await readFilesAtCommit(commit, paths, repoRoot);
      for (const [path, bytes] of files) {
        await mkdir(dirname(join(scratch, path)), { recursive: true });
        await writeFile(join(scratch, path), bytes).catch((error: unknown) => {
          throw toFileWriteError(join(scratch, path), error);
        });
      }
      return await readRecords(specFiles, scratch, findVersionActivity(rule));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  return {
    goldenEvents: goldenEventsAt,
    async replay(rule: RuleVersion, events: readonly GoldenEvent[]): Promise<readonly boolean[]> {
      return replayVersion(rule, events, mappings);
    },
  };
}

function replayVersion(version: RuleVersion, events: readonly GoldenEvent[], mappings: Mapping): boolean[] {
  const { rule } = parseRule(version.source, version.file);
  // A version that no longer parses detects nothing.
  if (!rule) return events.map(() => false);
  const { compiled } = compileRule(rule, { bindings: resolveLogSource(mappings, rule.logsource) });
  return events.map((event) => compiled?.matches(event.data as EventRecord) ?? false);
}
