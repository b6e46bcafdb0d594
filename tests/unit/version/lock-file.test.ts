import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLock, EMPTY_LOCK, formatLock, parseLock, readLock, writeLock } from '../../../src/version/lock-file.js';
import { readRuleVersionsFromText } from '../../../src/version/rule-version.js';
import { createTempRepo, RULE_ID, ruleText, type TempRepo } from './helpers/temp-repo.js';

const OTHER_ID = '0b9e8f5e-0000-4000-8000-000000000001';
const rulesOf = (...texts: [string, string][]) => texts.flatMap(([file, text]) => readRuleVersionsFromText(text, file).rules);

describe('createLock and formatLock', () => {
  const rules = rulesOf(['rules/z.yml', ruleText()], ['rules/a.yml', ruleText({ id: OTHER_ID, title: 'Other' })]);

  it('records file, title, logic hash and modified per id, sorted by id, with a final newline', () => {
    const text = formatLock(createLock(rules, undefined, '2026-02-01'));
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed.rules)).toEqual([OTHER_ID, RULE_ID]);
    expect(parsed.rules[RULE_ID]).toEqual({ file: 'rules/z.yml', title: 'Shell Spawned by a Web Server', logicHash: rules[0]?.logicHash, modified: '2026-01-10', locked: '2026-02-01' });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "rules": {\n');
  });

  it('keeps the day an unchanged logic was locked, and stamps changed logic with today', () => {
    const first = createLock(rules, undefined, '2026-02-01');
    expect(createLock(rules, first, '2026-03-05').rules[RULE_ID]?.locked).toBe('2026-02-01');
    const edited = { ...first, rules: { ...first.rules, [RULE_ID]: { ...first.rules[RULE_ID]!, logicHash: `sha256:${'0'.repeat(64)}` } } };
    expect(createLock(rules, edited, '2026-03-05').rules[RULE_ID]?.locked).toBe('2026-03-05');
  });

  it('rejects a malformed locked day', () => {
    const text = formatLock(createLock(rules, undefined, '2026-02-01')).replace('"locked": "2026-02-01"', '"locked": "yesterday"');
    expect(parseLock(text).diagnostics.map((d) => d.code)).toContain('lock/malformed');
  });

  it('does not depend on the order rules were read in', () => {
    expect(formatLock(createLock([...rules].reverse()))).toBe(formatLock(createLock(rules)));
  });

  it('round-trips through parseLock', () => {
    const text = formatLock(createLock(rules));
    const { lock, diagnostics } = parseLock(text);
    expect(diagnostics).toEqual([]);
    expect(formatLock(lock)).toBe(text);
    // Lines point at each entry's key, for failures about removed rules.
    expect(lock.rules[RULE_ID]?.line).toBe(text.split('\n').findIndex((line) => line.includes(`"${RULE_ID}":`)) + 1);
  });

  it('keeps the first rule of a duplicated id and skips rules without id', () => {
    const lock = createLock(rulesOf(['a.yml', ruleText()], ['b.yml', ruleText()], ['c.yml', 'title: no id\n']));
    expect(Object.keys(lock.rules)).toEqual([RULE_ID]);
    expect(lock.rules[RULE_ID]?.file).toBe('a.yml');
  });
});

describe('parseLock', () => {
  it('reports invalid JSON at its line', () => {
    const { lock, diagnostics } = parseLock('{\n  "lockfileVersion": 1,\n  "rules": {,}\n}\n');
    expect(lock).toEqual(EMPTY_LOCK);
    expect(diagnostics[0]).toMatchObject({ code: 'lock/syntax', line: 3, file: 'rules.lock.json' });
  });

  it('reports a malformed entry, and keeps the good ones', () => {
    const good = { file: 'a.yml', title: 'A', logicHash: `sha256:${'a'.repeat(64)}`, modified: null };
    const text = JSON.stringify({ lockfileVersion: 1, rules: { good, bad: { ...good, logicHash: 'md5:x' } } }, null, 2);
    const { lock, diagnostics } = parseLock(text);
    expect(Object.keys(lock.rules)).toEqual(['good']);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'lock/malformed', line: text.split('\n').findIndex((line) => line.includes('"bad"')) + 1 });
  });

  it('refuses an unknown lockfileVersion and a non-object', () => {
    expect(parseLock('{"lockfileVersion": 2, "rules": {}}').diagnostics[0]?.code).toBe('lock/version');
    expect(parseLock('[]').diagnostics[0]?.code).toBe('lock/malformed');
  });
});

describe('readLock and writeLock', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('reads a missing lock as the empty lock of a pack never released', async () => {
    repo = await createTempRepo();
    expect(await readLock(repo.root)).toEqual({ lock: EMPTY_LOCK, diagnostics: [], exists: false });
  });

  it('writes only when the text changes', async () => {
    repo = await createTempRepo();
    const lock = createLock(rulesOf(['a.yml', ruleText()]));
    expect(await writeLock(repo.root, lock)).toBe(true);
    expect(await writeLock(repo.root, lock)).toBe(false);
    expect(await readFile(join(repo.root, 'rules.lock.json'), 'utf8')).toBe(formatLock(lock));
    expect((await readLock(repo.root)).lock.rules[RULE_ID]?.file).toBe('a.yml');
  });

  it('the committed lock parses cleanly and is in canonical form', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const text = await readFile(join(root, 'rules.lock.json'), 'utf8');
    const { lock, diagnostics } = parseLock(text);
    expect(diagnostics).toEqual([]);
    expect(formatLock(lock)).toBe(text);
  });
});
