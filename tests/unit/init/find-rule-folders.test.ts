import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRuleFolders, listSigmaRules, looksLikeSigmaRule } from '../../../src/init/find-rule-folders.js';

const RULE = 'title: A rule\nlogsource:\n    category: process_creation\ndetection:\n    sel:\n        Image: x\n    condition: sel\n';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dac-find-rules-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('finding the rules of a repository', () => {
  it('tells Sigma documents from other YAML', () => {
    expect(looksLikeSigmaRule(RULE)).toBe(true);
    expect(looksLikeSigmaRule('title: c\ncorrelation:\n    type: event_count\n')).toBe(true);
    expect(looksLikeSigmaRule('name: CI\non: push\njobs: {}\n')).toBe(false);
    expect(looksLikeSigmaRule('detection: only\n')).toBe(false);
  });

  it('lists top-level folders of rules, most rules first, skipping hidden, dependency and test folders', async () => {
    const root = repo({
      'rules/windows/a.yml': RULE,
      'rules/windows/b.yaml': RULE,
      'rules/linux/c.yml': RULE,
      'rules/linux/notes.yml': 'just: yaml\n',
      'rules-emerging-threats/2024/d.yml': RULE,
      'deprecated/e.yml': RULE,
      'deprecated/f.yml': RULE,
      '.github/workflows/ci.yml': 'name: CI\n',
      'node_modules/pkg/rule.yml': RULE,
      'tests/rules/x/rule.yml': RULE,
      'README.md': '# rules\n',
    });
    const folders = await findRuleFolders(root);
    expect(folders.map((folder) => [folder.folder, folder.files.length])).toEqual([['rules', 3], ['deprecated', 2], ['rules-emerging-threats', 1]]);
    expect(folders[0]?.files).toEqual(['rules/linux/c.yml', 'rules/windows/a.yml', 'rules/windows/b.yaml']);
    expect(await listSigmaRules(root, 'rules/windows')).toEqual(['rules/windows/a.yml', 'rules/windows/b.yaml']);
    expect(await listSigmaRules(root, 'missing')).toEqual([]);
  });
});
