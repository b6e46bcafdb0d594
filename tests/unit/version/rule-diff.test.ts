import { afterEach, describe, expect, it } from 'vitest';
import {
  compareVerdicts,
  diffRuleVersions,
  judgeDetectionChange,
  readRuleVersionsAtRef,
  requiredBump,
  type DetectionHarness,
  type GoldenEvent,
} from '../../../src/version/rule-diff.js';
import { readRuleVersionsFromText, type RuleVersion } from '../../../src/version/rule-version.js';
import { createTempRepo, RULE_ID, RULE_PATH, ruleText, type TempRepo } from './helpers/temp-repo.js';

const OTHER_ID = '3c9a11f0-0000-4000-8000-00000000000c';
const rules = (...files: [string, string][]) => files.flatMap(([file, text]) => readRuleVersionsFromText(text, file).rules);
const summary = (changes: Awaited<ReturnType<typeof diffRuleVersions>>) => changes.map((change) => [change.id, change.change, change.bump]);

/** A stand-in harness: events are image names, and a rule fires when its Image list has the event's image. */
const imageHarness = (events: Record<string, string[]>): DetectionHarness => ({
  goldenEvents: async (rule) => (events[rule.revision ?? 'head'] ?? []).map((image) => ({ key: image, data: image })),
  replay: async (rule, golden: readonly GoldenEvent[]) => {
    const images = ((rule.raw.detection as { selection: { Image: string[] } }).selection.Image).map((pattern) => pattern.replace('*\\', ''));
    return golden.map((event) => images.includes(String(event.data)));
  },
});
const at = (revision: string, rule: RuleVersion): RuleVersion => ({ ...rule, revision });

describe('diffRuleVersions: the structural part', () => {
  const before = rules([RULE_PATH, ruleText()], ['rules/other.yml', ruleText({ id: OTHER_ID })]);

  it('finds nothing to bump when nothing changed', async () => {
    const changes = await diffRuleVersions(before, before);
    // Sorted by file: rules/other.yml comes before rules/windows/...
    expect(summary(changes)).toEqual([[OTHER_ID, 'unchanged', 'none'], [RULE_ID, 'unchanged', 'none']]);
    expect(requiredBump(changes)).toEqual({ bump: 'none', because: [] });
  });

  it('makes a removed rule, a changed id and a changed log source major', async () => {
    const after = rules([RULE_PATH, ruleText({ id: '99999999-0000-4000-8000-000000000000' })]);
    expect(summary(await diffRuleVersions(before, after))).toEqual([
      [OTHER_ID, 'removed', 'major'],
      ['99999999-0000-4000-8000-000000000000', 'id-changed', 'major'],
    ]);
    const logsource = rules([RULE_PATH, ruleText({ product: 'linux' })], ['rules/other.yml', ruleText({ id: OTHER_ID })]);
    const changes = await diffRuleVersions(before, logsource);
    expect(summary(changes)[1]).toEqual([RULE_ID, 'logsource-changed', 'major']);
    expect(requiredBump(changes).bump).toBe('major');
  });

  it('makes a new rule minor, metadata and a moved file patch', async () => {
    const after = rules(
      [RULE_PATH, ruleText({ level: 'medium' })],
      ['rules/moved/other.yml', ruleText({ id: OTHER_ID })],
      ['rules/new.yml', ruleText({ id: '11111111-0000-4000-8000-000000000000' })],
    );
    const changes = await diffRuleVersions(before, after);
    expect(summary(changes)).toEqual([
      ['3c9a11f0-0000-4000-8000-00000000000c', 'metadata', 'patch'],
      ['11111111-0000-4000-8000-000000000000', 'added', 'minor'],
      [RULE_ID, 'metadata', 'patch'],
    ]);
    expect(changes[0]).toMatchObject({ previousFile: 'rules/other.yml', reason: 'only metadata changed (moved from rules/other.yml)' });
    expect(requiredBump(changes)).toMatchObject({ bump: 'minor', because: [expect.objectContaining({ change: 'added' })] });
  });

  it('takes an unjudged detection change to detect more (minor)', async () => {
    const after = rules([RULE_PATH, ruleText({ images: ['*\\cmd.exe'] })], ['rules/other.yml', ruleText({ id: OTHER_ID })]);
    const change = (await diffRuleVersions(before, after)).find((candidate) => candidate.id === RULE_ID);
    expect(change).toMatchObject({ change: 'detection-changed', bump: 'minor', judged: false });
    expect(change?.reason).toMatch(/not judged by replay/);
  });
});

describe('diffRuleVersions and judgeDetectionChange with a harness', () => {
  const before = rules([RULE_PATH, ruleText()]).map((rule) => at('base', rule));
  const withImages = (images: string[]) => rules([RULE_PATH, ruleText({ images })]).map((rule) => at('head', rule));
  const harness = imageHarness({ base: ['cmd.exe', 'whoami.exe', 'notepad.exe'], head: ['net.exe'] });

  it('replays both versions over the union of both versions\' golden events', async () => {
    // net.exe comes only from the new version's tests; the old version must be replayed on it too.
    expect(await judgeDetectionChange(before[0]!, withImages(['*\\cmd.exe', '*\\whoami.exe', '*\\net.exe'])[0]!, harness)).toBe('widened');
    expect(await judgeDetectionChange(before[0]!, withImages(['*\\cmd.exe'])[0]!, harness)).toBe('narrowed');
    expect(await judgeDetectionChange(before[0]!, withImages(['*\\cmd.exe', '*\\net.exe'])[0]!, harness)).toBe('changed');
    expect(await judgeDetectionChange(before[0]!, withImages(['*\\whoami.exe', '*\\cmd.exe'])[0]!, harness)).toBe('same');
  });

  it('is undefined without a harness or without events', async () => {
    expect(await judgeDetectionChange(before[0]!, withImages(['*\\cmd.exe'])[0]!)).toBeUndefined();
    expect(await judgeDetectionChange(before[0]!, withImages(['*\\cmd.exe'])[0]!, imageHarness({}))).toBeUndefined();
  });

  it('turns judgements into bumps: widened minor, narrowed and same patch', async () => {
    const bumpOf = async (images: string[]) => summary(await diffRuleVersions(before, withImages(images), harness))[0];
    expect(await bumpOf(['*\\cmd.exe', '*\\whoami.exe', '*\\net.exe'])).toEqual([RULE_ID, 'detection-widened', 'minor']);
    expect(await bumpOf(['*\\cmd.exe'])).toEqual([RULE_ID, 'detection-narrowed', 'patch']);
    expect(await bumpOf(['*\\cmd.exe', '*\\net.exe'])).toEqual([RULE_ID, 'detection-changed', 'minor']);
    expect(await bumpOf(['*\\whoami.exe', '*\\cmd.exe'])).toEqual([RULE_ID, 'detection-refactored', 'patch']);
  });
});

describe('compareVerdicts', () => {
  it('compares event by event', () => {
    expect(compareVerdicts([true, false], [true, true])).toBe('widened');
    expect(compareVerdicts([true, true], [true, false])).toBe('narrowed');
    expect(compareVerdicts([true, false], [false, true])).toBe('changed');
    expect(compareVerdicts([], [])).toBe('same');
    expect(() => compareVerdicts([true], [])).toThrow(RangeError);
  });
});

describe('readRuleVersionsAtRef', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('reads the rules of a commit, not of the working tree, and reports unreadable ones', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    await repo.write('rules/broken.yml', 'title: [oops\n');
    await repo.write('rules/latin1.yml', Buffer.from([0x74, 0x3a, 0x20, 0xe9, 0x0a])); // 'é' in Latin-1: not UTF-8
    await repo.write('outside.yml', ruleText({ id: OTHER_ID }));
    repo.commit('base');
    await repo.write(RULE_PATH, ruleText({ images: ['*\\sh.exe'] }));
    const read = await readRuleVersionsAtRef('HEAD', repo.root, 'rules');
    expect(read.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(read.rules.map((rule) => [rule.id, rule.revision])).toEqual([[RULE_ID, 'HEAD']]);
    expect(read.rules[0]?.logicHash).toBe(rules([RULE_PATH, ruleText()])[0]?.logicHash);
    expect(read.diagnostics.map((diagnostic) => [diagnostic.file, diagnostic.code])).toEqual([
      ['HEAD:rules/broken.yml', 'yaml/syntax'],
      ['HEAD:rules/latin1.yml', 'file/encoding'],
    ]);

    const unknown = await readRuleVersionsAtRef('nope', repo.root, 'rules');
    expect(unknown.commit).toBeUndefined();
    expect(unknown.diagnostics[0]?.code).toBe('git/unknown-ref');
  });
});
