import { describe, expect, it } from 'vitest';
import { appendGoldenEntry, type GoldenEntry } from '../../../src/harness/edit-rule-test.js';

const ENTRY: GoldenEntry = { file: 'events/new.xml', verdict: 'match', provenance: 'captured: lab host, "quoted" and: colons' };

const SPEC = `# A comment the author wrote
rule: 0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b   # the rule
events:
  # the first capture
  - file: events/a.xml
    verdict: no-match
    provenance: >-
      written by hand, folded
      over two lines
    overrides:
      - { event: 1, verdict: match }
  # a commented-out entry stays where it is
  # - file: events/old.xml
`;

describe('appendGoldenEntry', () => {
  it("appends after the last entry, in the list's indentation, keeping every other byte", () => {
    const { text, problem } = appendGoldenEntry(SPEC, ENTRY, 'rule-test.yml');
    expect(problem).toBeUndefined();
    expect(text).toBe(`${SPEC.split('  # a commented-out')[0]}  - file: events/new.xml
    verdict: match
    provenance: "captured: lab host, \\"quoted\\" and: colons"
  # a commented-out entry stays where it is
  # - file: events/old.xml
`);
  });

  it('turns an empty events: [] into a block list', () => {
    const { text } = appendGoldenEntry('rule: 0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b\nevents: []   # none yet\n', { ...ENTRY, verdict: 'false-positive', falsepositive: 0 }, 'x.yml');
    expect(text).toBe('rule: 0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b\nevents: # none yet\n  - file: events/new.xml\n    verdict: false-positive\n    falsepositive: 0\n    provenance: "captured: lab host, \\"quoted\\" and: colons"\n');
  });

  it("follows a list written at the key's own indentation, and keys after the list", () => {
    const spec = 'events:\n- file: a.xml\n  verdict: match\n  provenance: written by hand\nrule: 0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b\n';
    expect(appendGoldenEntry(spec, ENTRY, 'x.yml').text).toBe(
      'events:\n- file: a.xml\n  verdict: match\n  provenance: written by hand\n- file: events/new.xml\n  verdict: match\n  provenance: "captured: lab host, \\"quoted\\" and: colons"\nrule: 0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b\n',
    );
  });

  it('refuses what it cannot edit safely: broken YAML, no list, a flow list with entries', () => {
    expect(appendGoldenEntry('rule: [\n', ENTRY, 'x.yml').problem).toMatch(/does not parse/);
    expect(appendGoldenEntry('rule: x\n', ENTRY, 'x.yml').problem).toMatch(/no 'events' list/);
    expect(appendGoldenEntry('rule: x\nevents: [{ file: a.xml, verdict: match, provenance: written by hand }]\n', ENTRY, 'x.yml').problem).toMatch(/flow list/);
  });

  it('quotes a file name YAML would read as something else', () => {
    expect(appendGoldenEntry('events: []\n', { ...ENTRY, file: 'true' }, 'x.yml').text).toContain('- file: "true"');
    expect(appendGoldenEntry('events: []\n', { ...ENTRY, file: 'events/a b#c.xml' }, 'x.yml').text).toContain('- file: "events/a b#c.xml"');
    expect(appendGoldenEntry('events: []\n', { ...ENTRY, file: 'events/plain-1.xml' }, 'x.yml').text).toContain('- file: events/plain-1.xml');
  });
});
