import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/load/yaml.js';
import { parseRule } from '../../../src/parse/parse-rule.js';
import {
  checkSpecAgainstRule,
  findFalsePositiveEntry,
  listKeys,
  loadScenarioSpec,
  readScenarioDocument,
  resolveSelector,
} from '../../../src/harness/scenario-spec.js';
import { SMALL_SPEC, smallRule } from './properties-pack.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const FILE = 'tests/rules/x/scenarios.yml';

function read(text: string) {
  const { documents } = parseYaml(text, FILE);
  return readScenarioDocument(documents[0]!, FILE);
}

const problems = (text: string) => read(text).diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

describe('scenario spec schema', () => {
  it('accepts the small spec and reads its spaces in order: true positives, false positives, background', () => {
    const { spec, diagnostics } = read(SMALL_SPEC);
    expect(diagnostics).toEqual([]);
    expect(spec?.spaces.map((space) => `${space.kind}:${space.name}`)).toEqual([
      'true-positive:iis starts cmd or whoami',
      'true-positive:health pool starts cmd',
      'false-positive:health pool runs whoami',
      'background:iis look-alike and benign children',
      'background:explorer shells',
    ]);
    expect(spec?.spaces[2]).toMatchObject({ falsepositive: 0, filters: ['c1f0e2d3-4b5a-4697-8a1b-2c3d4e5f6a7b'], at: { line: 14 } });
    expect(spec?.variants[2]).toEqual({ name: 'health-check-w3wp', of: 'w3wp.exe', appPool: 'HealthCheck' });
  });

  it('puts an unknown key on its own line, even inside a space (unevaluatedProperties)', () => {
    const text = SMALL_SPEC.replace('    parents: { names: [w3wp.exe] }\n    children: { names: [cmd.exe, whoami.exe] }', '    parents: { names: [w3wp.exe] }\n    children: { names: [cmd.exe, whoami.exe] }\n    falsepositive: 0');
    expect(problems(text)).toEqual(["10:5 schema/additionalProperties 'falsepositive' is not allowed in 'truePositives.0'"]);
  });

  it('requires children in a true-positive space and a falsepositive reference in a false-positive one', () => {
    expect(problems(SMALL_SPEC.replace('    children: { names: [cmd.exe] }\n', ''))).toEqual([
      "10:5 scenario/missing-dimension true-positive space 'health pool starts cmd' needs 'children': process creation spaces select parents and children",
    ]);
    expect(problems(SMALL_SPEC.replace('    falsepositive: 0\n', ''))).toEqual([expect.stringContaining("'falsePositives.0' needs 'falsepositive'")]);
  });

  it('rejects selectors without names or tags, depths beyond 3 and a missing rule id', () => {
    expect(problems(SMALL_SPEC.replace('parents: { names: [explorer.exe] }', 'parents: { exclude: [explorer.exe] }'))).not.toEqual([]);
    expect(problems(SMALL_SPEC.replace('    parents: { names: [explorer.exe] }', '    depth: 4\n    parents: { names: [explorer.exe] }'))).toEqual([expect.stringContaining('schema/maximum')]);
    expect(problems(SMALL_SPEC.replace(/^rule: .*\n/, ''))).toEqual([expect.stringContaining("needs 'rule'")]);
  });
});

describe('scenario spec checks', () => {
  it('reports unknown names and tags at their place', () => {
    const text = SMALL_SPEC.replace('children: { names: [cmd.exe, whoami.exe] }', 'children: { names: [cmd.exe, whoamii.exe], tags: [shel] }');
    expect(problems(text)).toEqual([
      "9:34 scenario/unknown-name 'whoamii.exe' is neither a process of the catalogue (generators/catalog/) nor a variant of this spec",
      expect.stringMatching(/^9:55 scenario\/unknown-tag 'shel' is not a role tag of the process catalogue \(web-server, .*shell/),
    ]);
  });

  it('reports an empty selection, a variant named like a catalogue entry and an application pool on a non-IIS entry', () => {
    expect(problems(SMALL_SPEC.replace('children: { names: [cmd.exe] }', 'children: { names: [cmd.exe], exclude: [cmd.exe] }'))).toEqual([
      expect.stringContaining('scenario/empty-selection the selection picks nothing'),
    ]);
    expect(problems(SMALL_SPEC.replace('{ name: notcmd.exe, of: cmd.exe, fileName: notcmd.exe }', '{ name: cmd.exe, of: cmd.exe, fileName: notcmd.exe }'))).toContainEqual(
      expect.stringContaining("scenario/variant-name variant 'cmd.exe' has the name of a catalogue entry"),
    );
    expect(problems(SMALL_SPEC.replace('of: w3wp.exe, appPool: HealthCheck', 'of: httpd.exe, appPool: HealthCheck'))).toEqual([
      expect.stringContaining("scenario/app-pool appPool needs an entry that runs in an IIS application pool (w3wp.exe), not 'httpd.exe'"),
    ]);
  });

  it('reports a false-positive space that shares events with a true-positive one', () => {
    const text = SMALL_SPEC.replace('    parents: { names: [health-check-w3wp] }\n    children: { names: [whoami.exe] }', '    parents: { names: [w3wp.exe] }\n    children: { names: [whoami.exe] }');
    expect(problems(text)).toEqual([
      "14:5 scenario/overlap false-positive space 'health pool runs whoami' shares 1 event kind(s) with true-positive space 'iis starts cmd or whoami', e.g. w3wp.exe -> whoami.exe",
    ]);
  });

  it('resolves selectors to catalogue names and variants, tags never selecting variants', () => {
    const { spec } = read(SMALL_SPEC);
    const variants = spec?.variants ?? [];
    expect([...resolveSelector({ names: ['notcmd.exe', 'cmd.exe'] }, variants).ids]).toEqual(['cmd.exe', 'notcmd.exe']);
    expect(resolveSelector({ tags: ['shell'] }, variants).ids.has('notcmd.exe')).toBe(false);
    expect(resolveSelector({ tags: ['shell'], exclude: ['cmd.exe'] }, variants).ids.has('cmd.exe')).toBe(false);
    expect(listKeys(spec!.spaces[0]!, spec!)).toEqual(['w3wp.exe\u0000cmd.exe', 'w3wp.exe\u0000whoami.exe']);
  });

  it('checks the spec against its rule: the id and the falsepositives entry, by index or text prefix', () => {
    const { spec } = read(SMALL_SPEC);
    const { documents } = parseYaml(smallRule(), 'rule.yml');
    const rule = parseRule(documents[0]!, 'rule.yml').rule!;
    expect(checkSpecAgainstRule(spec!, rule)).toEqual([]);
    expect(findFalsePositiveEntry(rule, 0)).toBe('Health checks that run whoami');
    expect(findFalsePositiveEntry(rule, 'Health checks')).toBe('Health checks that run whoami');
    expect(findFalsePositiveEntry(rule, 'Backups')).toBeUndefined();
    const other = { ...rule, id: '00000000-0000-4000-8000-000000000000' };
    expect(checkSpecAgainstRule(spec!, other).map((d) => d.code)).toEqual(['scenario/rule-id']);
  });
});

describe('scenario specs of other activities', () => {
  const REGISTRY_SPEC = `rule: 7d3f9a52-1b4c-4e8d-9f60-2a5b8c7d1e03
activity: registry
truePositives:
  - name: rdp turned on
    processes: { names: [reg.exe] }
    keys: { names: [rdp-enable] }
`;

  it('select along their activity\'s dimensions, from its catalogue', () => {
    const { spec, diagnostics } = read(REGISTRY_SPEC);
    expect(diagnostics).toEqual([]);
    expect(spec?.activity.name).toBe('registry');
    expect(listKeys(spec!.spaces[0]!, spec!)).toEqual(['reg.exe\u0000rdp-enable']);
  });

  it('name unknown entries, foreign dimensions, missing ones and process-tree shapes at their place', () => {
    expect(problems(REGISTRY_SPEC.replace('[rdp-enable]', '[rdp-enabled]'))).toEqual([
      "6:21 scenario/unknown-name 'rdp-enabled' is neither a registry change of the catalogue (generators/catalog/registry.ts)",
      '6:11 scenario/empty-selection the selection picks nothing',
    ]);
    expect(problems(REGISTRY_SPEC.replace('processes:', 'parents:'))).toEqual([
      "5:14 scenario/foreign-dimension 'parents' is not a dimension of registry spaces (processes, keys)",
      "4:5 scenario/missing-dimension true-positive space 'rdp turned on' needs 'processes': registry change spaces select processes and keys",
    ]);
    expect(problems(REGISTRY_SPEC.replace('    keys:', '    depth: 2\n    keys:'))).toEqual([
      "6:12 scenario/foreign-dimension 'depth' shapes process trees; registry spaces take maxEvents",
    ]);
    expect(problems(REGISTRY_SPEC.replace('activity: registry', 'activity: dns'))).toEqual([expect.stringContaining('schema/enum')]);
  });

  it('must be of the activity of the rule\'s log source', () => {
    const { spec } = read(REGISTRY_SPEC);
    const { documents } = parseYaml(smallRule(), 'rule.yml');
    const rule = parseRule(documents[0]!, 'rule.yml').rule!;
    expect(checkSpecAgainstRule(spec!, rule).map((d) => d.message)).toEqual([
      "tests/rules/x/scenarios.yml generates registry events, but the rule's log source process_creation is process_creation: write 'activity: process_creation'",
    ]);
    const dns = parseRule(parseYaml(smallRule().replace('category: process_creation', 'category: dns_query'), 'rule.yml').documents[0]!, 'rule.yml').rule!;
    expect(checkSpecAgainstRule(spec!, dns).map((d) => d.message)).toEqual([
      "the rule's log source dns_query has no activity the generators know: no scenario spec can describe it",
    ]);
  });
});

describe('the repository scenario specs', () => {
  it("loads the web-shell rule's spec without problems", async () => {
    const { spec, diagnostics } = await loadScenarioSpec(join(repoRoot, 'tests/rules/proc_creation_win_webshell_spawn'), repoRoot);
    expect(diagnostics).toEqual([]);
    expect(spec?.file).toBe('tests/rules/proc_creation_win_webshell_spawn/scenarios.yml');
    expect(spec?.spaces.filter((space) => space.kind === 'false-positive').map((space) => space.filters)).toEqual([['5eec5c3d-ec97-4205-8324-a653d1c32a7e']]);
  });
});
