import { describe, expect, it } from 'vitest';
import { applyModifierChain } from '../../../src/modifiers/apply-modifiers.js';
import { isModifierId, modifierRegistry } from '../../../src/modifiers/registry.js';
import { buildRule, codesOf, selection } from '../compile/rule-fixture.js';

// Every identifier of the Sigma v2.1 modifiers appendix.
const SPEC_MODIFIERS = [
  'all', 'startswith', 'endswith', 'contains', 'exists', 'cased', 'neq', 'windash', 're', 'i', 'm', 's',
  'base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'lt', 'lte', 'gt', 'gte', 'minute',
  'hour', 'day', 'week', 'month', 'year', 'cidr', 'expand', 'fieldref',
];

describe('modifier registry', () => {
  it('knows exactly the modifiers of the specification', () => {
    expect(Object.keys(modifierRegistry).sort()).toEqual([...SPEC_MODIFIERS].sort());
    for (const [id, modifier] of Object.entries(modifierRegistry)) expect(modifier.id).toBe(id);
  });

  it('does not treat Object.prototype names as modifiers', () => {
    expect(isModifierId('toString')).toBe(false);
    expect(isModifierId('__proto__')).toBe(false);
  });
});

describe('applyModifierChain', () => {
  it('applies modifiers in the order written', () => {
    const result = applyModifierChain('F', ['contains', 'all'], ['a', 'b'], true);
    expect(result.linking).toBe('and');
    expect(result.values.map((v) => v?.kind === 'string' && v.parts.length)).toEqual([3, 3]);
  });

  it('reports unknown modifiers at the key, with the known ones listed', () => {
    const { diagnostics } = buildRule(selection('CommandLine|contians', "'x'"));
    expect(diagnostics).toMatchObject([{ code: 'modifier/unknown', line: 9, column: 5 }]);
    expect(diagnostics[0]?.message).toContain("unknown modifier 'contians'");
  });

  it('reports an empty modifier name', () => {
    expect(codesOf(selection('CommandLine||contains', "'x'"))).toEqual(['modifier/unknown']);
  });

  it('warns about a modifier applied twice, except base64', () => {
    expect(codesOf(selection('CommandLine|contains|contains', "'x'"))).toEqual(['modifier/duplicate']);
    expect(codesOf(selection('CommandLine|base64|base64|contains', "'x'"))).toEqual([]);
  });

  it('refuses null inside a list, at the null', () => {
    const { diagnostics, compiled } = buildRule(selection('CommandLine', "['a', null]"));
    expect(diagnostics).toMatchObject([{ code: 'value/null-in-list', severity: 'error', line: 9, column: 24 }]);
    expect(compiled).toBeUndefined();
  });

  it('refuses nested lists and maps as values', () => {
    expect(codesOf(selection('CommandLine', "['a', ['b']]"))).toEqual(['value/invalid-type']);
    expect(codesOf(selection('CommandLine', '{a: 1}'))).toEqual(['value/invalid-type']);
  });

  it('collects one problem per bad value and goes on', () => {
    expect(codesOf(selection('Count|gt', "['1', 2, 'x']"))).toEqual(['modifier/incompatible', 'modifier/incompatible']);
  });
});
