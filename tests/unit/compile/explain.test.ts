import { describe, expect, it } from 'vitest';
import { compileValid, createEvent } from './rule-fixture.js';

const rule = compileValid(
  [
    'selection:',
    "  ParentImage|endswith: ['\\w3wp.exe', '\\httpd.exe']",
    "  Image|endswith: '\\cmd.exe'",
    'keywords:',
    "  - 'whoami'",
    'condition: selection or keywords',
  ].join('\n'),
);

describe('explain', () => {
  it('tells per identifier, item and value what matched, and where the value is', () => {
    const explanation = rule.explain(createEvent({ ParentImage: 'C:\\inetsrv\\w3wp.exe', Image: 'C:\\x\\notepad.exe', CommandLine: 'whoami /all' }));
    expect(explanation.matched).toBe(true);
    expect(explanation.logsource).toBe(true);
    const [selection, keywords] = explanation.identifiers;
    expect(selection).toMatchObject({ name: 'selection', matched: false });
    expect(selection?.items[0]).toMatchObject({
      field: 'ParentImage',
      modifiers: ['endswith'],
      matched: true,
      values: [
        { value: '\\w3wp.exe', matched: true, fields: ['ParentImage'], source: { position: { line: 9 } } },
        { value: '\\httpd.exe', matched: false, fields: [] },
      ],
    });
    expect(selection?.items[1]).toMatchObject({ field: 'Image', matched: false });
    expect(keywords).toMatchObject({ name: 'keywords', matched: true, items: [{ field: undefined, values: [{ value: 'whoami', fields: ['CommandLine'] }] }] });
  });

  it('agrees with matches', () => {
    const samples: Record<string, string>[] = [{}, { CommandLine: 'whoami' }, { ParentImage: 'a\\httpd.exe', Image: 'b\\cmd.exe' }, { ParentImage: 'a\\httpd.exe' }];
    for (const fields of samples) {
      const event = createEvent(fields);
      expect(rule.explain(event).matched).toBe(rule.matches(event));
    }
  });
});
