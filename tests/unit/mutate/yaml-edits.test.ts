import { load } from 'js-yaml';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/load/yaml.js';
import { applyEdits } from '../../../src/mutate/text-diff.js';
import { deleteListElement, deleteMapEntry, formatScalar, renameKey, replaceScalar, type EditResult } from '../../../src/mutate/yaml-edits.js';

const rule = `detection:
  selection:
    # the servers
    ParentImage:
      - '*\\w3wp.exe'
      - "*\\\\httpd.exe"   # Apache
      - '*\\nginx.exe'
    Image|endswith: [cmd.exe, 'whoami.exe', pwsh.exe]
  alternatives:
    - Image: a
      CommandLine: b
    - Image: c
  condition: selection
`;

function edit(result: EditResult): string {
  if (!('edit' in result)) throw new Error(result.reason);
  return applyEdits(rule, [result.edit]);
}

const document = parseYaml(rule, 'r.yml').documents[0]!;
const valueOf = (text: string): unknown => parseYaml(text, 'r.yml').documents[0]?.value;

describe('YAML edits', () => {
  it('deletes an element of a block list with its line, keeping comments', () => {
    const text = edit(deleteListElement(document, ['detection', 'selection', 'ParentImage', 1]));
    expect(text).toContain("      - '*\\w3wp.exe'\n      - '*\\nginx.exe'\n");
    expect(text).toContain('# the servers');
    expect((valueOf(text) as { detection: { selection: { ParentImage: string[] } } }).detection.selection.ParentImage).toEqual(['*\\w3wp.exe', '*\\nginx.exe']);
  });

  it('deletes the first, a middle and the last element of a flow list', () => {
    const list = (index: number): unknown => (valueOf(edit(deleteListElement(document, ['detection', 'selection', 'Image|endswith', index]))) as { detection: { selection: Record<string, unknown> } }).detection.selection['Image|endswith'];
    expect(list(0)).toEqual(['whoami.exe', 'pwsh.exe']);
    expect(list(1)).toEqual(['cmd.exe', 'pwsh.exe']);
    expect(list(2)).toEqual(['cmd.exe', 'whoami.exe']);
  });

  it('deletes an element that is a map, and a map entry, also the first entry of a map in a list', () => {
    const alternatives = (text: string): unknown => (valueOf(text) as { detection: { alternatives: unknown } }).detection.alternatives;
    expect(alternatives(edit(deleteListElement(document, ['detection', 'alternatives', 0])))).toEqual([{ Image: 'c' }]);
    expect(alternatives(edit(deleteMapEntry(document, ['detection', 'alternatives', 0, 'Image'])))).toEqual([{ CommandLine: 'b' }, { Image: 'c' }]);
    expect(alternatives(edit(deleteMapEntry(document, ['detection', 'alternatives', 0, 'CommandLine'])))).toEqual([{ Image: 'a' }, { Image: 'c' }]);
    const withoutParent = valueOf(edit(deleteMapEntry(document, ['detection', 'selection', 'ParentImage']))) as { detection: { selection: object } };
    expect(Object.keys(withoutParent.detection.selection)).toEqual(['Image|endswith']);
  });

  it('renames a key and replaces a scalar, keeping quotes where the text had them', () => {
    const renamed = edit(renameKey(document, ['detection', 'selection', 'Image|endswith'], 'Image|contains|cased'));
    expect(renamed).toContain('    Image|contains|cased: [cmd.exe');
    const replaced = edit(replaceScalar(document, ['detection', 'selection', 'ParentImage', 0], "*\\w3wp.exe*'s"));
    expect(replaced).toContain("      - '*\\w3wp.exe*''s'\n");
    expect(edit(replaceScalar(document, ['detection', 'condition'], 'not selection'))).toContain('  condition: not selection\n');
  });

  it('says why an edit cannot be made instead of guessing', () => {
    const folded = parseYaml('a: >\n  long\nb: [x, {c: d}]\n', 'f.yml').documents[0]!;
    expect(replaceScalar(folded, ['a'], 'x')).toEqual({ reason: 'the value is a block scalar' });
    expect(deleteListElement(folded, ['b', 1])).toEqual({ reason: 'a collection inside a flow list' });
    expect(deleteMapEntry(folded, ['b', 1, 'c'])).toEqual({ reason: 'the mapping is written in flow style' });
  });
});

test.prop([fc.string({ maxLength: 30 })])('formatScalar writes any one-line string so YAML reads back the same string', (text) => {
  const oneLine = text.replace(/[\r\n\u0085\u2028\u2029]/g, ' ');
  expect(load(`k: ${formatScalar(oneLine)}\n`)).toEqual({ k: oneLine });
  expect(load(`k: ${formatScalar(oneLine, { quoted: true })}\n`)).toEqual({ k: oneLine });
});
