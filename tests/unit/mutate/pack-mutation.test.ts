import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { loadEquivalenceMarks } from '../../../src/mutate/equivalence-marks.js';
import { runMutation } from '../../../src/mutate/run-mutation.js';
import { captureIo } from '../cli/capture-io.js';
import { copyPack, removeGoldenEvent, repoRoot } from './pack-copy.js';

const WEBSHELL_RULE = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const WEBSHELL_TESTS = 'tests/rules/proc_creation_win_webshell_spawn';

describe('the pack under dac mutate', () => {
  it('kills every mutant of every rule, of every log source, that its mutants.yml does not mark equivalent', async () => {
    // No hint search: the marks are held to the golden replay and the properties here; `dac mutate`
    // (default 10,000 samples per survivor) also holds them to generated events, which takes minutes.
    const { report } = await runMutation({ repoRoot, threads: 2, hintRuns: 0 });
    expect(report.rules).toHaveLength(12);
    expect(new Set(report.rules.map((rule) => rule.logsource)).size).toBe(7);
    for (const rule of report.rules) {
      expect(rule.failures, rule.file).toEqual([]);
      expect(rule.checks.filter((check) => check.name === 'mutation'), rule.file).toEqual([{ name: 'mutation', passed: true }]);
      expect(rule.mutation, rule.file).toMatchObject({ survived: 0, score: 100, threshold: 100 });
      // Every mark names a mutant that survives every test: none is stale, none is killed.
      const folder = join(repoRoot, 'tests/rules', rule.file.slice(rule.file.lastIndexOf('/') + 1).replace(/\.yml$/, ''));
      const { marks } = await loadEquivalenceMarks(folder, repoRoot);
      expect(rule.mutation?.equivalent, rule.file).toBe(marks?.marks.length ?? 0);
    }
    expect(report.passed).toBe(true);
  });

  it('names the mutant a removed golden event of the web-shell rule lets through, and the event it needs', async () => {
    const root = await copyPack();
    // IIS starting a renamed cmd.exe: the one golden event that tells `*\cmd.exe` from `*\cmd.exe*`.
    await removeGoldenEvent(root, `${WEBSHELL_TESTS}/events/look-alikes.sysmon.xml`, 'cmd.exe.bak<');
    const capture = captureIo(root);
    // One generated tree per space, so that the golden events alone must kill (at 200 the properties find it too).
    expect(await main(['mutate', WEBSHELL_RULE, '--runs', '1', '--operators', 'wildcard', '--threads', '1'], capture)).toBe(1);
    const out = capture.out();
    expect(out).toMatch(/mutants 88: killed 87 \(golden 87, properties 0\), survived 1, equivalent 0/);
    expect(out).toContain(`${WEBSHELL_RULE}:56:9 mutation: surviving mutant wildcard selection_child/Image: '*\\cmd.exe' -> '*\\cmd.exe*'`);
    expect(out).toMatch(/the event that kills it \(found in \d+ generated samples? from seed 1505003, shrunk \d+ times\): [\w.-]+ -> cmd\.exe\.bak, background: in no true- or false-positive space; the rule says no-match, the mutant match/);
    expect(out).toMatch(/<Data Name="Image">[^<]*\\cmd\.exe\.bak<\/Data>/);
    expect(out).toMatch(/ {6}- file: events\/mutant-[\w-]+-cmd-exe-bak\.sysmon\.xml\n {8}verdict: no-match\n/);
  });
});
