import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { captureIo } from './capture-io.js';

const rule = (id: string, title: string): string =>
  `title: ${title}\nid: ${id}\nstatus: test\ndate: 2025-01-01\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: '\\\\whoami.exe'\n    condition: selection\nlevel: low\n`;

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dac-init-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const RULES = {
  'rules/windows/proc_a.yml': rule('6f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e', 'A'),
  'rules/windows/proc_b.yml': rule('7f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e', 'B'),
  'package.json': '{"name":"team-rules","version":"1.0.0"}\n',
};

describe('dac init', () => {
  it('writes the config, editor settings, workflow, test folders and lock, then dac test runs every rule', async () => {
    const root = repo(RULES);
    const io = captureIo(root);
    expect(await main(['init'], io)).toBe(0);
    expect(io.out()).toContain('dac init: 2 rule files in rules/');
    expect(io.out()).toContain('wrote       2 rule test folders under tests/rules/');
    for (const path of ['dac.config.yml', '.vscode/settings.json', '.vscode/extensions.json', '.github/workflows/dac.yml', 'tests/rules/README.md', 'rules.lock.json', 'tests/rules/proc_a/.gitkeep', 'tests/rules/proc_b/.gitkeep']) {
      expect(existsSync(join(root, path)), path).toBe(true);
    }
    expect(Object.keys((JSON.parse(readFileSync(join(root, 'rules.lock.json'), 'utf8')) as { rules: object }).rules)).toHaveLength(2);
    const test = captureIo(root);
    expect(await main(['test'], test)).toBe(0);
    expect(test.out()).toMatch(/^PASS {2}rules\/windows\/proc_a\.yml {2}no golden events \(no rule-test\.yml\)/m);
    expect(test.out()).toContain('2 of 2 rules have no golden events');
    expect(test.out()).toMatch(/^2 rules: 2 passed, 0 failed; 2 with gaps in their tests; 1 log source: windows\/process_creation 2$/m);
  });

  it('never overwrites a file, lists what it kept, and says what to merge into existing editor settings', async () => {
    const root = repo({ ...RULES, 'dac.config.yml': 'rules: rules\n', '.vscode/settings.json': '{"editor.tabSize": 2}\n', 'tests/rules/proc_a/rule-test.yml': 'mine\n' });
    const io = captureIo(root);
    expect(await main(['init'], io)).toBe(0);
    expect(readFileSync(join(root, 'dac.config.yml'), 'utf8')).toBe('rules: rules\n');
    expect(readFileSync(join(root, '.vscode/settings.json'), 'utf8')).toBe('{"editor.tabSize": 2}\n');
    expect(readdirSync(join(root, 'tests/rules/proc_a'))).toEqual(['rule-test.yml']);
    expect(io.out()).toMatch(/kept +dac\.config\.yml +\(it exists; not changed\)/);
    expect(io.out()).toMatch(/merge into it: "yaml.schemas": \{/);
    expect(io.out()).toContain('wrote       1 rule test folder under tests/rules/ (kept 1 that exist)');
    const again = captureIo(root);
    expect(await main(['init'], again)).toBe(0);
    expect(again.out()).toContain('wrote       0 rule test folders under tests/rules/ (kept 2 that exist)');
    expect(again.out()).not.toMatch(/^ {2}wrote +\S+\.(yml|json)/m);
  });

  it('writes nothing on --dry-run', async () => {
    const root = repo(RULES);
    const io = captureIo(root);
    expect(await main(['init', '--dry-run'], io)).toBe(0);
    expect(io.out()).toMatch(/would write +dac\.config\.yml/);
    expect(readdirSync(root).sort()).toEqual(['package.json', 'rules']);
  });

  it('picks the folder with most rules when there is no rules/, names the others, and takes --rules', async () => {
    const root = repo({
      'detections/a.yml': rule('6f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e', 'A'),
      'detections/b.yml': rule('7f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e', 'B'),
      'deprecated/c.yml': rule('8f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e', 'C'),
    });
    const io = captureIo(root);
    expect(await main(['init', '--dry-run'], io)).toBe(0);
    expect(io.out()).toContain('2 rule files in detections/');
    expect(io.out()).toContain('also found, and not tested (dac.config.yml names one rules folder): deprecated/ (1 rule file)');
    const chosen = captureIo(root);
    expect(await main(['init', '--dry-run', '--rules', 'deprecated'], chosen)).toBe(0);
    expect(chosen.out()).toContain('1 rule file in deprecated/');
  });

  it('does not write the lock when rules share an id, and says why', async () => {
    const root = repo({ 'rules/a.yml': rule('6f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e', 'A'), 'rules/b.yml': rule('6f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e', 'B') });
    const io = captureIo(root);
    expect(await main(['init'], io)).toBe(0);
    expect(existsSync(join(root, 'rules.lock.json'))).toBe(false);
    expect(io.out()).toContain("not written rules.lock.json: 1 repeated id; fix them, then run 'npx dac lock'");
  });

  it('exits 2 when it finds no rules', async () => {
    const io = captureIo(repo({ 'README.md': '# nothing\n', 'docs/x.yml': 'a: b\n' }));
    expect(await main(['init'], io)).toBe(2);
    expect(io.err()).toContain('no Sigma rules found');
  });
});
