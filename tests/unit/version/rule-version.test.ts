import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  computeLogicHash,
  locateId,
  locateModified,
  readRuleVersions,
  readRuleVersionsFromText,
} from '../../../src/version/rule-version.js';
import { listRepositoryRuleFiles } from '../../../src/files/list-rule-files.js';
import { createTempRepo, RULE_ID, ruleText, type TempRepo } from './helpers/temp-repo.js';

const only = (text: string) => {
  const { rules, diagnostics } = readRuleVersionsFromText(text, 'r.yml');
  expect(diagnostics).toEqual([]);
  expect(rules).toHaveLength(1);
  return rules[0]!;
};

describe('the detection-logic hash', () => {
  const base = only(ruleText());

  it('ignores key order, quoting, comments and layout', () => {
    const rewritten = `# a comment that moves nothing
detection:
  condition: selection   # trailing comment
  selection:
    Image: ["*\\\\cmd.exe", "*\\\\whoami.exe"]
    ParentImage:
    - '*\\w3wp.exe'
    - '*\\httpd.exe'
logsource: {product: windows, category: process_creation}
title: Shell Spawned by a Web Server
id: ${RULE_ID}
`;
    expect(only(rewritten).logicHash).toBe(base.logicHash);
  });

  it('ignores metadata: title, level, dates, tags', () => {
    const edited = only(ruleText({ title: 'Another Title', level: 'critical', modified: '2027-01-01' }));
    expect(edited.logicHash).toBe(base.logicHash);
    expect(edited.canonical).not.toBe(base.canonical);
  });

  it('changes when a detection value, a list order or the log source changes', () => {
    const hashes = new Set([
      base.logicHash,
      only(ruleText({ images: ['*\\cmd.exe', '*\\whoami.exe', '*\\net.exe'] })).logicHash,
      only(ruleText({ images: ['*\\whoami.exe', '*\\cmd.exe'] })).logicHash,
      only(ruleText({ product: 'linux' })).logicHash,
    ]);
    expect(hashes.size).toBe(4);
  });

  it('records the log source on its own, so a log-source change can be told from a detection change', () => {
    expect(only(ruleText({ product: 'linux' })).logsource).not.toBe(base.logsource);
    expect(only(ruleText({ images: ['*\\net.exe'] })).logsource).toBe(base.logsource);
  });

  it('hashes only the logic sections that are present', () => {
    expect(computeLogicHash({ detection: { a: 1 } })).toBe(computeLogicHash({ title: 'x', detection: { a: 1 } }));
    expect(computeLogicHash({ detection: { a: 1 } })).not.toBe(computeLogicHash({ detection: { a: 1 }, logsource: {} }));
  });
});

describe('readRuleVersionsFromText', () => {
  it('reads id, title, modified (falling back to date) and positions', () => {
    const rule = only(ruleText());
    expect(rule).toMatchObject({ id: RULE_ID, title: 'Shell Spawned by a Web Server', modified: '2026-01-10', file: 'r.yml', document: 0 });
    expect(locateId(rule).line).toBe(2);
    expect(locateModified(rule).line).toBe(5);
    const undated = only('title: t\ndate: 2025-02-03\ndetection: {condition: x}\n');
    expect(undated.modified).toBe('2025-02-03');
    expect(locateModified(undated).line).toBe(2);
    expect(undated.id).toBeUndefined();
  });

  it('reads every mapping document of a multi-document file and skips the rest', () => {
    const { rules } = readRuleVersionsFromText('id: a\ntitle: A\n---\n- not a rule\n---\nid: b\ntitle: B\n', 'c.yml');
    expect(rules.map((rule) => [rule.id, rule.document])).toEqual([['a', 0], ['b', 2]]);
  });

  it('turns a YAML error into a diagnostic, not a crash', () => {
    const { rules, diagnostics } = readRuleVersionsFromText('title: [unclosed\n', 'bad.yml');
    expect(rules).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ file: 'bad.yml', severity: 'error' });
  });
});

describe('reading the working tree', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('lists .yml and .yaml files under the rules folder, sorted, with forward slashes', async () => {
    repo = await createTempRepo();
    await repo.write('rules/b/z.yaml', ruleText({ id: '00000000-0000-4000-8000-000000000002' }));
    await repo.write('rules/a.yml', ruleText());
    await repo.write('rules/notes.txt', 'not a rule');
    expect(await listRepositoryRuleFiles(repo.root, 'rules')).toEqual({ files: ['rules/a.yml', 'rules/b/z.yaml'], diagnostics: [] });
    const read = await readRuleVersions(repo.root, 'rules');
    expect(read.rules.map((rule) => rule.file)).toEqual(['rules/a.yml', 'rules/b/z.yaml']);
    expect(await listRepositoryRuleFiles(repo.root, 'missing')).toEqual({ files: [], diagnostics: [] });
  });

  it('hashes the repository web-shell rule', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const read = await readRuleVersions(root, 'rules', ['rules/windows/process_creation/proc_creation_win_webshell_spawn.yml']);
    expect(read.rules[0]).toMatchObject({ id: RULE_ID });
    expect(read.rules[0]?.logicHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
