import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { runMutation } from '../../../src/mutate/run-mutation.js';
import { captureIo } from '../cli/capture-io.js';
import { copyWebshellPack, removeGoldenEvent, repoRoot, WEBSHELL_RULE, WEBSHELL_TESTS } from './webshell-pack.js';

describe('the pack under dac mutate', () => {
  it('kills every mutant of every rule that is not marked equivalent', async () => {
    const { report, mutations } = await runMutation({ repoRoot, threads: 2 });
    expect(report.rules.length).toBeGreaterThan(0);
    for (const rule of report.rules) {
      expect(rule.failures).toEqual([]);
      expect(rule.mutation).toMatchObject({ survived: 0, score: 100, threshold: 100 });
      expect(rule.mutation?.mutants).toBeGreaterThan(100);
      // Every mutant is killed, or marked equivalent with a reason that no generated event contradicts.
      for (const result of rule.mutation?.results ?? []) expect(['killed', 'equivalent']).toContain(result.status);
    }
    expect(mutations.find((mutation) => mutation.file === WEBSHELL_RULE)?.result?.equivalent).toBe(1);
    expect(report.passed).toBe(true);
  });

  it('names the mutant a removed golden event of the web-shell rule lets through, and the event it needs', async () => {
    const root = await copyWebshellPack();
    // IIS starting a renamed cmd.exe: the one golden event that tells `*\cmd.exe` from `*\cmd.exe*`.
    await removeGoldenEvent(root, `${WEBSHELL_TESTS}/events/look-alikes.sysmon.xml`, 'cmd.exe.bak<');
    const capture = captureIo(root);
    // One generated tree per space, so that the golden events alone must kill (at 200 the properties find it too).
    expect(await main(['mutate', '--runs', '1', '--operators', 'wildcard', '--threads', '1'], capture)).toBe(1);
    const out = capture.out();
    expect(out).toMatch(/mutants 88: killed 87 \(golden 87, properties 0\), survived 1, equivalent 0/);
    expect(out).toContain(`${WEBSHELL_RULE}:56:9 mutation: surviving mutant wildcard selection_child/Image: '*\\cmd.exe' -> '*\\cmd.exe*'`);
    expect(out).toMatch(/the event that kills it \(found in \d+ generated trees? from seed 1505003, shrunk \d+ times\): [\w.-]+ -> cmd\.exe\.bak, background: in no true- or false-positive space; the rule says no-match, the mutant match/);
    expect(out).toMatch(/<Data Name="Image">[^<]*\\cmd\.exe\.bak<\/Data>/);
    expect(out).toMatch(/ {6}- file: events\/mutant-[\w-]+-cmd-exe-bak\.sysmon\.xml\n {8}verdict: no-match\n/);
  });
});
