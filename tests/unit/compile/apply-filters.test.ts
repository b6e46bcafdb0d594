import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyFilters, describeFilter, loadFilters, parseFilter, selectFilters, type SigmaFilter } from '../../../src/compile/apply-filters.js';
import { FlatRecord } from '../../../src/events/flat-record.js';
import { parseYaml } from '../../../src/load/yaml.js';
import { compileWithMappings, smallFilter, smallRule, writeTempFolder } from '../harness/properties-pack.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const W3WP = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';

function filterOf(text: string, file = 'filters/f.yml'): SigmaFilter {
  const { documents } = parseYaml(text, file);
  const { filter, diagnostics } = parseFilter(documents[0]!, file);
  if (filter === undefined) throw new Error(JSON.stringify(diagnostics));
  return filter;
}

const event = (fields: Record<string, string>) => new FlatRecord('events.json', 0, fields);
const healthWhoami = event({ ParentImage: W3WP, Image: 'C:\\Windows\\System32\\whoami.exe', User: 'IIS APPPOOL\\HealthCheck' });
const healthCmd = event({ ParentImage: W3WP, Image: 'C:\\Windows\\System32\\cmd.exe', User: 'IIS APPPOOL\\HealthCheck' });
const defaultWhoami = event({ ParentImage: W3WP, Image: 'C:\\Windows\\System32\\whoami.exe', User: 'IIS APPPOOL\\DefaultAppPool' });

describe('parseFilter', () => {
  it('reads the rules it tunes, its log source and its selections', () => {
    const filter = filterOf(smallFilter());
    expect(filter).toMatchObject({ id: 'c1f0e2d3-4b5a-4697-8a1b-2c3d4e5f6a7b', title: 'Health check pool runs whoami', rules: ['7d3f9a52-1b4c-4e8d-9f60-2a5b8c7d1e03'] });
    expect(filter.logsource).toEqual({ category: 'process_creation', product: 'windows' });
    expect([...filter.detection.identifiers.keys()]).toEqual(['selection']);
    expect(filter.detection.conditions[0]?.text).toBe('not selection');
    expect(describeFilter(filter)).toBe('c1f0e2d3-4b5a-4697-8a1b-2c3d4e5f6a7b');
  });

  it("takes `rules: any` as every rule, and reports a filter's detection problems on the filter's own lines", () => {
    expect(filterOf(smallFilter().replace(/rules:\n {4}- .*\n/, 'rules: any\n')).rules).toBe('any');
    const { documents } = parseYaml(smallFilter().replace('condition: not selection', 'condition: not selectoin'), 'filters/f.yml');
    const { filter, diagnostics } = parseFilter(documents[0]!, 'filters/f.yml');
    expect(filter).toBeUndefined();
    // The condition error points into the condition text, the unused selection at its key.
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      '12:18 error condition/undefined-identifier',
      '9:3 warning detection/unused-identifier',
    ]);
  });

  it('refuses a document without a filter section or without rules', () => {
    const { documents } = parseYaml(smallRule(), 'rules/r.yml');
    expect(parseFilter(documents[0]!, 'rules/r.yml').diagnostics.map((d) => d.code)).toEqual(['filter/not-a-filter']);
    const noRules = parseYaml(smallFilter().replace(/ {2}rules:\n {4}- .*\n/, ''), 'filters/f.yml');
    expect(parseFilter(noRules.documents[0]!, 'filters/f.yml').diagnostics.map((d) => d.code)).toEqual(['filter/no-rules']);
  });
});

describe('selectFilters', () => {
  it('selects filters naming the rule by id or name, or any, whose log source agrees', async () => {
    const { rule } = await compileWithMappings(smallRule());
    const byId = filterOf(smallFilter());
    const byName = filterOf(smallFilter().replace(/rules:\n {4}- .*\n/, 'rules: [shell_from_iis]\n'));
    const named = { ...rule, name: 'shell_from_iis' };
    const other = filterOf(smallFilter().replace(/rules:\n {4}- .*\n/, 'rules: [another_rule]\n'));
    const wrongSource = filterOf(smallFilter().replace('category: process_creation', 'category: network_connection'));
    const anyRule = filterOf(smallFilter().replace(/rules:\n {4}- .*\n/, 'rules: any\n'));
    expect(selectFilters(rule, [byId, other, anyRule]).selected).toEqual([byId, anyRule]);
    expect(selectFilters(named, [byName]).selected).toEqual([byName]);
    const mismatch = selectFilters(rule, [wrongSource]);
    expect(mismatch.selected).toEqual([]);
    expect(mismatch.diagnostics).toEqual([expect.objectContaining({ code: 'filter/logsource-mismatch', severity: 'warning', line: 3 })]);
  });
});

describe('applyFilters', () => {
  it('fires when the rule fires and the filter condition holds: it removes exactly what the filter selects', async () => {
    const { compiled, bindings } = await compileWithMappings(smallRule());
    const { compiled: tuned, diagnostics } = applyFilters(compiled, [filterOf(smallFilter())], { bindings });
    expect(diagnostics).toEqual([]);
    expect([healthWhoami, healthCmd, defaultWhoami].map((e) => compiled.matches(e))).toEqual([true, true, true]);
    expect([healthWhoami, healthCmd, defaultWhoami].map((e) => tuned.matches(e))).toEqual([false, true, true]);
    // Never more than the rule: an event the rule ignores stays ignored whatever the filter says.
    expect(tuned.matches(event({ ParentImage: 'C:\\Windows\\explorer.exe', Image: 'C:\\Windows\\System32\\cmd.exe' }))).toBe(false);
    expect(tuned.rule).toBe(compiled.rule);
    expect(tuned.needles).toEqual(compiled.needles);
  });

  it("explains the tuned verdict with the filter's identifiers after the rule's", async () => {
    const { compiled, bindings } = await compileWithMappings(smallRule());
    const { compiled: tuned } = applyFilters(compiled, [filterOf(smallFilter())], { bindings });
    const explanation = tuned.explain(healthWhoami);
    expect(explanation.matched).toBe(false);
    expect(explanation.identifiers.map((identifier) => `${identifier.name}=${identifier.matched}`)).toEqual([
      'selection=true',
      'c1f0e2d3-4b5a-4697-8a1b-2c3d4e5f6a7b:selection=true',
    ]);
  });

  it('applies every filter, and returns the rule unchanged with a diagnostic when a filter does not compile', async () => {
    const { compiled, bindings } = await compileWithMappings(smallRule());
    const cmdFilter = filterOf(smallFilter("selection:\n    Image|endswith: '\\cmd.exe'"));
    const both = applyFilters(compiled, [filterOf(smallFilter()), cmdFilter], { bindings }).compiled;
    expect([healthWhoami, healthCmd, defaultWhoami].map((e) => both.matches(e))).toEqual([false, false, true]);
    const broken = filterOf(smallFilter("selection:\n    Image|expand: '%unknown_placeholder%'"));
    const result = applyFilters(compiled, [broken], { bindings });
    expect(result.compiled).toBe(compiled);
    expect(result.diagnostics.map((d) => d.severity)).toContain('error');
  });
});

describe('loadFilters', () => {
  it('reads every filter of a folder, and no folder means no filters', async () => {
    const root = await writeTempFolder({ 'filters/a.yml': smallFilter(), 'filters/nested/b.yml': `${smallFilter()}---\n${smallRule()}` });
    const { filters, diagnostics } = await loadFilters(join(root, 'filters'), root);
    expect(filters.map((filter) => filter.file).sort()).toEqual(['filters/a.yml', 'filters/nested/b.yml']);
    // The rule document in b.yml is not a filter: reported, skipped.
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['filters/nested/b.yml filter/not-a-filter']);
    expect(await loadFilters(join(root, 'missing'), root)).toEqual({ filters: [], diagnostics: [] });
  });

  it("loads the pack's health-check filter and applies it to the web-shell rule", async () => {
    const { filters, diagnostics } = await loadFilters(join(repoRoot, 'filters'), repoRoot);
    expect(diagnostics).toEqual([]);
    const webshell = await compileWithMappings(
      await import('node:fs/promises').then((fs) => fs.readFile(join(repoRoot, 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml'), 'utf8')),
      'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml',
    );
    const { selected } = selectFilters(webshell.rule, filters);
    expect(selected.map((filter) => filter.file)).toEqual(['filters/mf_webshell_spawn_iis_health_check.yml']);
    const tuned = applyFilters(webshell.compiled, selected, { bindings: webshell.bindings }).compiled;
    expect([healthWhoami, healthCmd, defaultWhoami].map((e) => tuned.matches(e))).toEqual([false, true, true]);
  });
});
