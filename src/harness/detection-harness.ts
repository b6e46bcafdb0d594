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
import { SPEC_FILE } from './rule-test-spec.js';

const toRepoPath = (path: string): string => normalize(path).split(sep).join('/');

/** A key that is the same for the same event in both revisions, whatever file it sits in. */
function keyOfRecord(record: EventRecord): string {
  const fields = record.fieldNames().map((name) => [name, record.get(name)]);
  return createHash('sha256').update(JSON.stringify([record.channel, record.eventId, fields])).digest('hex');
}

/** The event files a spec names, as repository paths. */
function listSpecFiles(specText: string, folder: string): string[] {
  const value = parseYaml(specText, SPEC_FILE).documents[0]?.value as { events?: { file?: unknown }[] } | undefined;
  return (value?.events ?? [])
    .map((entry) => entry.file)
    .filter((file): file is string => typeof file === 'string')
    .map((file) => toRepoPath(join(folder, file)))
    .filter((path) => !path.startsWith('..'));
}

async function readRecords(paths: readonly string[], root: string): Promise<GoldenEvent[]> {
  const events: GoldenEvent[] = [];
  for (const path of paths) {
    if (!existsSync(join(root, path))) continue;
    for await (const item of readEvents(join(root, path))) {
      if (item.kind === 'event') events.push({ key: keyOfRecord(item.record), data: item.record });
    }
  }
  return events;
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
      const paths = listSpecFiles(await readFile(specPath, 'utf8'), folder);
      const places = await Promise.all(paths.map((path) => resolveInsideRepository(repoRoot, repoRoot, path)));
      return readRecords(paths.filter((_path, index) => places[index]?.inside), repoRoot);
    }
    const { commit } = await resolveCommit(rule.revision, repoRoot);
    if (commit === undefined) return [];
    const spec = (await readFilesAtCommit(commit, [`${folder}/${SPEC_FILE}`], repoRoot)).files.get(`${folder}/${SPEC_FILE}`);
    if (spec === undefined) return [];
    const paths = listSpecFiles(spec.toString('utf8'), folder);
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
      return await readRecords(paths, scratch);
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
