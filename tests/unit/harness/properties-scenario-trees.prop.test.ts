import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/load/yaml.js';
import { readScenarioDocument, type ScenarioSpec } from '../../../src/harness/scenario-spec.js';
import { createClassifier, listScenarioEvents, scenarioTree } from '../../../src/harness/scenario-trees.js';

const SPEC = `rule: 7d3f9a52-1b4c-4e8d-9f60-2a5b8c7d1e03
variants:
  - { name: notcmd.exe, of: cmd.exe, fileName: notcmd.exe }
  - { name: w3wp.exe.bak, of: w3wp.exe, fileName: w3wp.exe.bak }
  - { name: health-check-w3wp, of: w3wp.exe, appPool: HealthCheck }
  - name: jenkins-java
    of: java.exe
    arguments: ['-jar jenkins.war --httpPort=8080', '-jar "C:\\Program Files\\Jenkins\\jenkins.war"']
truePositives:
  - name: iis and pools start shells
    parents: { names: [w3wp.exe, health-check-w3wp, w3wp.exe.bak, jenkins-java] }
    children: { names: [cmd.exe, notcmd.exe, whoami.exe] }
    descendants: { names: [conhost.exe, notcmd.exe] }
    depth: 2
falsePositives:
  - name: health pool runs whoami
    falsepositive: 0
    parents: { names: [health-check-w3wp] }
    children: { names: [ipconfig.exe] }
`;

function loadSpec(): ScenarioSpec {
  const { documents } = parseYaml(SPEC, 'scenarios.yml');
  const { spec, diagnostics } = readScenarioDocument(documents[0]!, 'scenarios.yml');
  if (spec === undefined) throw new Error(JSON.stringify(diagnostics));
  return spec;
}

const spec = loadSpec();
const trees = scenarioTree(spec.spaces[0]!, spec.variants);
const lower = (text: string) => text.toLowerCase();

describe('scenarioTree', () => {
  it('renames look-alike variants in the image, the install path and argv[0], and keeps the tree consistent', () => {
    fc.assert(
      fc.property(trees, (scenario) => {
        const events = listScenarioEvents(scenario);
        const byPid = new Map(events.map((event) => [event.creation.ProcessId, event]));
        for (const event of events) {
          const { creation, identity } = event;
          if (identity === 'notcmd.exe' || identity === 'w3wp.exe.bak') {
            expect(lower(creation.Image).endsWith(`\\${identity}`)).toBe(true);
            expect(lower(creation.context.installPath).endsWith(`\\${identity}`)).toBe(true);
            expect(lower(creation.CommandLine)).toContain(identity.replace(/\.exe$/, ''));
            expect(creation.Description).toBe('-');
          } else if (identity === 'cmd.exe') {
            expect(lower(creation.Image).endsWith('\\cmd.exe')).toBe(true);
          }
          // A child's parent fields are its parent's own, whatever the variant did to the parent.
          const parent = byPid.get(creation.ParentProcessId);
          if (parent !== undefined) {
            expect(creation.ParentImage).toBe(parent.creation.Image);
            expect(creation.ParentCommandLine).toBe(parent.creation.CommandLine);
            expect(event.parentIdentity).toBe(parent.identity);
          }
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it("gives an application-pool variant the pool's command line and identity, inherited by its descendants", () => {
    fc.assert(
      fc.property(trees, (scenario) => {
        const events = listScenarioEvents(scenario);
        const poolPids = new Set<number>();
        for (const event of events) {
          const inPool = event.identity === 'health-check-w3wp' || poolPids.has(event.creation.ParentProcessId);
          if (!inPool) continue;
          poolPids.add(event.creation.ProcessId);
          expect(event.creation.User).toBe('IIS APPPOOL\\HealthCheck');
          if (event.identity === 'health-check-w3wp') {
            expect(event.creation.CommandLine).toContain('-ap "HealthCheck"');
            expect(event.creation.CommandLine).toContain('\\HealthCheck\\HealthCheck.config');
            expect(event.creation.Description).toBe('IIS Worker Process');
          }
        }
      }),
      { numRuns: 150, seed: 12 },
    );
  });

  it('gives an arguments variant one of its argument strings after argv[0]', () => {
    fc.assert(
      fc.property(trees, (scenario) => {
        for (const event of listScenarioEvents(scenario)) {
          if (event.identity !== 'jenkins-java') continue;
          // argv[0] is written as the catalogue's java.exe command lines write it: path, name or bare name.
          expect(event.creation.CommandLine).toMatch(/^("[^"]*java(\.exe)?"|\S*java(\.exe)?) -jar (jenkins\.war --httpPort=8080|"C:\\Program Files\\Jenkins\\jenkins\.war")$/i);
          expect(event.creation.CommandLine).not.toContain('catalina');
        }
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('draws every parent and child the space selects, variants and catalogue entries alike', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(trees, (scenario) => {
        for (const event of listScenarioEvents(scenario)) seen.add(`${event.parentIdentity} -> ${event.identity}`);
      }),
      { numRuns: 300, seed: 14 },
    );
    for (const parent of ['w3wp.exe', 'health-check-w3wp', 'w3wp.exe.bak', 'jenkins-java']) {
      for (const child of ['cmd.exe', 'notcmd.exe', 'whoami.exe']) expect(seen).toContain(`${parent} -> ${child}`);
    }
    expect([...seen].some((pair) => pair.endsWith('-> conhost.exe'))).toBe(true);
  });
});

describe('createClassifier', () => {
  it('judges events by the identities of parent and process', () => {
    const classify = createClassifier(spec);
    expect(classify('w3wp.exe', 'cmd.exe')).toMatchObject({ kind: 'true-positive', space: { name: 'iis and pools start shells' } });
    expect(classify('health-check-w3wp', 'ipconfig.exe')).toMatchObject({ kind: 'false-positive', space: { name: 'health pool runs whoami' } });
    expect(classify('w3wp.exe', 'ipconfig.exe')).toEqual({ kind: 'background' });
    expect(classify('cmd.exe', 'conhost.exe')).toEqual({ kind: 'background' });
    expect(classify('explorer.exe', 'cmd.exe')).toEqual({ kind: 'background' });
  });
});
