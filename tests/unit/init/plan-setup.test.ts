import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileSchemaFile } from '../../../src/load/json-schema.js';
import { describeSchemaDir, planSetup, testFolderName } from '../../../src/init/plan-setup.js';

const repoRoot = '/work/team-rules';
const schemaDir = '/work/team-rules/node_modules/sigma-dac/lib/schemas/';
const plan = planSetup({ repoRoot, rulesDir: 'detections', ruleFiles: ['detections/a/proc_x.yml', 'detections/b/proc_y.yaml', 'detections/c/proc_x.yml'], lockText: '{}\n', schemaDir });
const file = (path: string): string => plan.find((entry) => entry.path === path)?.text ?? '';

describe('planSetup', () => {
  it('names the harness schemas relative to the repository, so they resolve into node_modules', () => {
    expect(describeSchemaDir(repoRoot, schemaDir)).toBe('node_modules/sigma-dac/lib/schemas');
    const settings = JSON.parse(file('.vscode/settings.json')) as { 'yaml.schemas': Record<string, string[]> };
    expect(settings['yaml.schemas']['node_modules/sigma-dac/lib/schemas/sigma-detection-rule.schema.json']).toContain('detections/**/*.yml');
    expect(settings['yaml.schemas']['node_modules/sigma-dac/lib/schemas/rule-test.schema.json']).toEqual(['tests/rules/**/rule-test.yml']);
    expect(file('dac.config.yml').split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/sigma-dac/lib/schemas/dac-config.schema.json');
  });

  it('writes a config the harness accepts, naming the rules folder and letting rules without tests pass as such', () => {
    const config = load(file('dac.config.yml'));
    expect(compileSchemaFile('dac-config.schema.json')(config)).toBe(true);
    expect(config).toMatchObject({ rules: 'detections', tests: 'tests/rules', policy: { 'require-tests': false } });
  });

  it('writes a workflow with every action pinned to a commit, validating the rules folder and testing', () => {
    const workflow = file('.github/workflows/dac.yml');
    const uses = [...workflow.matchAll(/uses: (\S+)/g)].map((match) => match[1] as string);
    expect(uses.length).toBeGreaterThan(2);
    for (const action of uses) expect(action).toMatch(/@[0-9a-f]{40}$/);
    expect(workflow).toContain('run: npx dac validate detections');
    expect(workflow).toContain('run: npx dac test --report-dir reports');
    expect(load(workflow)).toMatchObject({ name: 'dac', permissions: { contents: 'read' } });
  });

  it('makes one test folder per rule name, as dac test looks them up, and the lock when given', () => {
    expect(testFolderName('rules/windows/proc_creation_win_x.yml')).toBe('proc_creation_win_x');
    expect(plan.filter((entry) => entry.path.endsWith('/.gitkeep')).map((entry) => entry.path)).toEqual(['tests/rules/proc_x/.gitkeep', 'tests/rules/proc_y/.gitkeep']);
    expect(file('rules.lock.json')).toBe('{}\n');
    expect(planSetup({ repoRoot, rulesDir: 'rules', ruleFiles: [], schemaDir }).map((entry) => entry.path)).not.toContain('rules.lock.json');
    expect(file('tests/rules/README.md')).toContain('rule-test.yml');
  });
});
