import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/load/yaml.js';
import { parseDetection } from '../../../src/parse/parse-detection.js';

function parse(yaml: string) {
  const { documents } = parseYaml(yaml, 'r.yml');
  const document = documents[0];
  if (!document) throw new Error('no document');
  const raw = (document.value as { detection?: unknown }).detection;
  return parseDetection(raw, document, 'r.yml');
}

describe('parseDetection: structure (spec "Detection")', () => {
  it('builds items with fields, modifiers, values and positions', () => {
    const { detection, diagnostics } = parse(
      ['detection:', '  selection:', "    Image|endswith: ['\\a.exe', '\\b.exe']", '    EventID: 1', '  condition: selection'].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    const body = detection?.identifiers.get('selection')?.body;
    expect(body?.kind).toBe('and');
    const [image, eventId] = body?.kind === 'and' ? body.items : [];
    expect(image).toMatchObject({
      kind: 'item',
      field: 'Image',
      modifiers: ['endswith'],
      linking: 'or',
      negated: false,
      originals: ['\\a.exe', '\\b.exe'],
      key: { path: ['detection', 'selection', 'Image|endswith'], position: { line: 3, column: 5 } },
      valueRefs: [
        { path: ['detection', 'selection', 'Image|endswith', 0], position: { line: 3, column: 22 } },
        { path: ['detection', 'selection', 'Image|endswith', 1], position: { line: 3, column: 32 } },
      ],
    });
    expect(eventId).toMatchObject({ field: 'EventID', values: [{ kind: 'number', value: 1 }] });
    expect(detection?.conditions[0]).toMatchObject({ text: 'selection', ast: { kind: 'identifier', name: 'selection' } });
  });

  it('reads keyword lists, |all keyword maps, lists of maps and mixed lists', () => {
    const { detection, diagnostics } = parse(
      [
        'detection:',
        '  keywords: [a, b]',
        "  all_keywords:\n    '|all': [c, d]",
        '  maps:',
        '    - A: 1',
        '    - B: 2',
        '  mixed:',
        '    - plain',
        '    - C: 3',
        '  condition: 1 of them',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(detection?.identifiers.get('keywords')?.body).toMatchObject({ kind: 'item', field: undefined, linking: 'or', values: [{ kind: 'string' }, { kind: 'string' }] });
    expect(detection?.identifiers.get('all_keywords')?.body).toMatchObject({ kind: 'item', field: undefined, linking: 'and', modifiers: ['all'] });
    expect(detection?.identifiers.get('maps')?.body).toMatchObject({ kind: 'or', items: [{ field: 'A' }, { field: 'B' }] });
    expect(detection?.identifiers.get('mixed')?.body).toMatchObject({ kind: 'or', items: [{ field: undefined }, { field: 'C' }] });
  });

  it('keeps the timeframe and a list of conditions', () => {
    const { detection } = parse(['detection:', '  a: {A: 1}', '  b: {B: 1}', '  timeframe: 5m', '  condition: [a, b]'].join('\n'));
    expect(detection?.timeframe).toBe('5m');
    expect(detection?.conditions.map((c) => c.text)).toEqual(['a', 'b']);
  });
});

describe('parseDetection: diagnostics', () => {
  it('reports a missing condition', () => {
    const { detection, diagnostics } = parse(['detection:', '  a: {A: 1}'].join('\n'));
    expect(detection).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['detection/missing-condition']);
  });

  it('reports a detection that is not a map', () => {
    expect(parse('detection: [a]').diagnostics.map((d) => d.code)).toEqual(['detection/invalid-type']);
  });

  it('points inside the condition string for undefined identifiers and empty patterns', () => {
    const { detection, diagnostics } = parse(['detection:', '  selection: {A: 1}', '  condition: selection and not filter or 1 of x*'].join('\n'));
    expect(detection).toBeUndefined();
    expect(diagnostics).toMatchObject([
      { code: 'condition/undefined-identifier', line: 3, column: 32 },
      { code: 'condition/empty-pattern', line: 3, column: 42 },
    ]);
  });

  it('reports condition syntax errors at their offset', () => {
    const { diagnostics } = parse(['detection:', '  selection: {A: 1}', '  condition: selection and'].join('\n'));
    expect(diagnostics).toMatchObject([{ code: 'condition/syntax', line: 3, column: 27 }]);
  });

  it('warns about unused identifiers and unsatisfiable counts', () => {
    const { detection, diagnostics } = parse(['detection:', '  sel1: {A: 1}', '  sel2: {B: 1}', '  unused: {C: 1}', '  condition: 3 of sel*'].join('\n'));
    expect(detection).toBeDefined();
    expect(diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['condition/unsatisfiable', 'warning', 5],
      ['detection/unused-identifier', 'warning', 4],
    ]);
  });

  it('refuses null keywords and empty identifiers, and goes on with the rest', () => {
    const { detection, diagnostics } = parse(
      ['detection:', '  kw: [a, null]', '  empty: {}', '  nothing: []', "  bad: {'A|nope': 1}", '  condition: kw or empty or nothing or bad'].join('\n'),
    );
    expect(detection).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['value/null-keyword', 2],
      ['detection/empty', 3],
      ['detection/empty', 4],
      ['modifier/unknown', 5],
    ]);
  });

  it('does not choke on hostile shapes', () => {
    // Nested lists are nested ORs (pySigma recurses the same way); YAML's depth limit bounds them.
    const deep = `detection:\n  a: ${'['.repeat(40)}x${']'.repeat(40)}\n  condition: a`;
    expect(parse(deep).detection?.identifiers.get('a')?.body).toMatchObject({ kind: 'item', originals: ['x'] });
    const { diagnostics } = parse('detection:\n  condition: 42');
    expect(diagnostics.map((d) => d.code)).toEqual(['condition/invalid-type']);
  });
});
