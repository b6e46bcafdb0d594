import { DEFAULT_CONFIG } from '../../../src/harness/config.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XmlEventParser } from '../../../src/events/read-xml.js';
import { propertyCheck, runProperties, type PropertyContext } from '../../../src/harness/properties.js';
import { createPropertyPack, SMALL_TEST_FOLDER, smallFilter, smallRule, SMALL_SPEC, writeTempFolder, compileWithMappings } from './properties-pack.js';

/** The golden event a failure prints, read back with the real XML reader. */
function readGoldenEvent(details: string) {
  const lines = details.split('\n');
  const header = lines.findIndex((line) => line.startsWith('golden event ('));
  const xml = lines[header + 1] ?? '';
  const parser = new XmlEventParser('golden.xml');
  const items = [...parser.feed({ text: xml, invalidOffsets: [] }), ...parser.end()];
  return { xml, items };
}

async function runSmall(rule: string, options: Parameters<typeof createPropertyPack>[1] = {}) {
  const context = await createPropertyPack(rule, options);
  return { context, outcome: await runProperties(context) };
}

describe('runProperties', () => {
  it('passes a correct rule: one property per space plus one with the filters, and a blind-spot note for 4688 v0/v1', async () => {
    const { outcome } = await runSmall(smallRule());
    expect(outcome.failures).toEqual([]);
    expect(outcome.properties).toEqual({ runs: 40, seed: 42, properties: 6, failed: 0 });
    const notes = outcome.notes.map((note) => note.message);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Security event 4688');
    expect(notes[0]).toContain('event versions 0, 1');
    expect(notes[0]).toContain('ParentImage');
    expect(outcome.notes[0]).toMatchObject({ severity: 'note', code: 'properties/blind-spot', file: 'rules/proc_creation_win_small_shell.yml' });
  });

  it('fails a rule with a removed value: a missed detection, shrunk to a golden event the readers read', async () => {
    const { context, outcome } = await runSmall(smallRule({ child: "Image|endswith: '\\cmd.exe'" }));
    const missed = outcome.failures.find((failure) => failure.message.startsWith('missed detection'));
    expect(missed?.message).toContain('w3wp.exe -> whoami.exe');
    expect(missed?.message).toContain("true-positive space 'iis starts cmd or whoami'");
    // The event's own fields already miss, before any rendering is read back.
    expect(missed?.message).toContain('w3wp.exe -> whoami.exe on its fields');
    expect(missed?.details).toContain('of the shrunk tree, on its fields: w3wp.exe -> whoami.exe');
    // Annotated at the rule's Image item, the one that no longer matches.
    expect(missed).toMatchObject({ check: 'properties', file: 'rules/proc_creation_win_small_shell.yml', line: 11 });
    expect(missed?.details).toContain('replay: seed 42');
    expect(missed?.details).toContain('npx dac test --seed 42');
    const { items } = readGoldenEvent(missed?.details ?? '');
    expect(items).toHaveLength(1);
    const [item] = items;
    if (item?.kind !== 'event') throw new Error('the golden event did not read back');
    expect(String(item.record.get('Image'))).toMatch(/whoami\.exe$/i);
    expect(context.compiled.matches(item.record)).toBe(false);
    expect(missed?.details).toContain('verdict: match');
  });

  it("fails a rule right on every event's fields but wrong in a rendering: a negated parent fires where 4688 has no parent", async () => {
    const rule = smallRule().replace(
      "selection:\n    ParentImage|endswith: '\\w3wp.exe'\n",
      "filter_explorer:\n    ParentImage|endswith: '\\explorer.exe'\n  selection:\n",
    ).replace('condition: selection', 'condition: selection and not filter_explorer');
    expect(rule).toContain('selection and not filter_explorer');
    const { outcome } = await runSmall(rule);
    const messages = outcome.failures.map((failure) => failure.message);
    expect(messages).toContainEqual(expect.stringMatching(/^undocumented false positive: explorer\.exe -> (cmd|whoami)\.exe in security-4688-v[01]-xml /));
    expect(messages.every((message) => !message.includes('on its fields'))).toBe(true);
  });

  it('fails a rule whose modifier was flipped from endswith to contains: it fires on a look-alike', async () => {
    const { context, outcome } = await runSmall(smallRule({ child: "Image|contains:\n      - '\\cmd.exe'\n      - '\\whoami.exe'" }));
    const wrong = outcome.failures.find((failure) => failure.message.startsWith('undocumented false positive'));
    expect(wrong?.message).toContain('w3wp.exe -> cmd.exe.bak');
    // A wrong firing is annotated at the condition.
    expect(wrong?.line).toBe(14);
    const { items } = readGoldenEvent(wrong?.details ?? '');
    const [item] = items;
    if (item?.kind !== 'event') throw new Error('the golden event did not read back');
    expect(String(item.record.get('Image'))).toMatch(/cmd\.exe\.bak$/i);
    expect(context.compiled.matches(item.record)).toBe(true);
    expect(wrong?.details).toContain('verdict: no-match');
  });

  it('fails a rule that lost the backslash before the image name: it fires on a name that only ends alike', async () => {
    const { outcome } = await runSmall(smallRule({ child: "Image|endswith:\n      - 'cmd.exe'\n      - 'whoami.exe'" }));
    expect(outcome.failures.map((failure) => failure.message)).toContainEqual(expect.stringContaining('w3wp.exe -> notcmd.exe'));
  });

  it('fails a rule that fires on shells outside web servers', async () => {
    const { outcome } = await runSmall(smallRule({ parent: "ParentImage|endswith: '.exe'" }));
    expect(outcome.failures.map((failure) => failure.message)).toContainEqual(
      expect.stringMatching(/^undocumented false positive: explorer\.exe -> (cmd|whoami)\.exe/),
    );
  });

  it('is deterministic: the same seed finds the same counterexample', async () => {
    const rule = smallRule({ child: "Image|endswith: '\\cmd.exe'" });
    const first = await runSmall(rule, { seed: 7 });
    const second = await runSmall(rule, { seed: 7 });
    expect(second.outcome.failures).toEqual(first.outcome.failures);
    expect(first.outcome.properties?.seed).toBe(7);
  });

  it('skips a rule without scenarios.yml', async () => {
    const root = await writeTempFolder({ 'README.md': 'empty pack\n' });
    const outcome = await runProperties({ ...(await compileWithMappings(smallRule())), seed: 1, runs: 5, repoRoot: root, testFolder: join(root, SMALL_TEST_FOLDER) });
    expect(outcome).toEqual({ failures: [], notes: [], skipped: 'no scenarios.yml' });
  });

  it('reports spec problems at their place in scenarios.yml instead of running', async () => {
    const spec = SMALL_SPEC.replace('children: { names: [cmd.exe, whoami.exe] }', 'children: { names: [cmd.exe, whoamii.exe] }');
    const { outcome } = await runSmall(smallRule(), { spec });
    expect(outcome.properties).toBeUndefined();
    expect(outcome.failures).toEqual([
      expect.objectContaining({ message: expect.stringContaining("'whoamii.exe' is neither a process of the catalogue"), file: `${SMALL_TEST_FOLDER}/scenarios.yml`, line: 9 }),
    ]);
  });

  it('reports a false-positive space that names a falsepositives entry the rule does not have', async () => {
    const { outcome } = await runSmall(smallRule(), { spec: SMALL_SPEC.replace('falsepositive: 0', 'falsepositive: 3') });
    expect(outcome.failures.map((failure) => failure.message)).toEqual([expect.stringContaining('scenario/unknown-falsepositive')]);
  });

  it('runs the check through the dac test plug-in with the context it is given', async () => {
    const context = await createPropertyPack(smallRule(), { runs: 10 });
    const ruleContext = { ...context, config: DEFAULT_CONFIG, spec: undefined, events: [], renderings: 'rotate' as const };
    const outcome = await propertyCheck.run(ruleContext);
    expect(propertyCheck.name).toBe('properties');
    expect(outcome.properties).toEqual({ runs: 10, seed: 42, properties: 6, failed: 0 });
  });
});

describe('runProperties with filters', () => {
  it('fails when the false-positive space lists no filter and the filter still suppresses it', async () => {
    const { outcome } = await runSmall(smallRule(), { spec: SMALL_SPEC.replace(/ {4}filters: \[.*\]\n/, '') });
    expect(outcome.failures.map((failure) => failure.message)).toEqual([
      expect.stringMatching(/^a filter suppresses a false-positive space that does not list it: health-check-w3wp -> whoami\.exe/),
    ]);
  });

  it('fails a filter that is too broad: it removes true positives of the same pool', async () => {
    const { outcome } = await runSmall(smallRule(), { filter: smallFilter("selection:\n    User: 'IIS APPPOOL\\HealthCheck'") });
    const [failure] = outcome.failures;
    expect(failure?.message).toMatch(/^a filter removes a true positive: health-check-w3wp -> cmd\.exe/);
    // Annotated at the filter's condition.
    expect(failure).toMatchObject({ file: 'filters/mf_small_health_check.yml', line: 11 });
  });

  it('fails a filter that misses its false positive (it misspells the pool)', async () => {
    const { outcome } = await runSmall(smallRule(), { filter: smallFilter("selection:\n    User: 'IIS APPPOOL\\HealthChecks'\n    Image|endswith: '\\whoami.exe'") });
    expect(outcome.failures.map((failure) => failure.message)).toEqual([
      expect.stringMatching(/^a filter leaves its false positive firing: health-check-w3wp -> whoami\.exe/),
    ]);
  });

  it('finds a filter that names the wrong pool: it removes true positives of that pool', async () => {
    const { outcome } = await runSmall(smallRule(), { filter: smallFilter("selection:\n    User: 'IIS APPPOOL\\DefaultAppPool'\n    Image|endswith: '\\whoami.exe'") });
    expect(outcome.failures.map((failure) => failure.message)).toContainEqual(
      expect.stringMatching(/^a filter removes a true positive: w3wp\.exe -> whoami\.exe/),
    );
  });

  it('fails when a false-positive space names a filter the pack does not have', async () => {
    const { outcome } = await runSmall(smallRule(), { filter: null });
    expect(outcome.failures).toEqual([
      expect.objectContaining({ message: expect.stringContaining('scenario/unknown-filter'), file: `${SMALL_TEST_FOLDER}/scenarios.yml` }),
    ]);
  });
});
