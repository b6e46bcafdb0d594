import { describe, expect, it } from 'vitest';
import { formatStringValue, formatValue } from '../../../src/model/detection.js';
import { parseSigmaString } from '../../../src/modifiers/sigma-string.js';

describe('formatStringValue', () => {
  it('writes wildcards as * and ? and escapes literal ones, round-tripping the parser', () => {
    for (const text of ['C:\\Windows\\*', 'what\\?', 'a*b?c', 'x\\\\*', 'plain']) {
      const value = parseSigmaString(text);
      expect(parseSigmaString(formatStringValue(value))).toEqual(value);
    }
    expect(formatStringValue(parseSigmaString('a\\*b*'))).toBe('a\\*b*');
  });

  it('shows windash alternatives and placeholders', () => {
    expect(formatStringValue({ kind: 'string', cased: false, encoding: 'text', parts: [{ kind: 'alternatives', options: ['-', '/'] }, { kind: 'placeholder', name: 'Admins' }] })).toBe('[-|/]%Admins%');
  });
});

describe('formatValue', () => {
  it.each([
    [{ kind: 'number', value: 4688 }, '4688'],
    [{ kind: 'null' }, 'null'],
    [{ kind: 'regex', pattern: 'a.b', flags: { i: true, m: false, s: true }, placeholders: false }, '/a.b/is'],
    [{ kind: 'compare', op: 'gte', value: 3 }, 'gte 3'],
    [{ kind: 'exists', value: false }, 'exists false'],
    [{ kind: 'fieldref', field: 'Image', startsWith: false, endsWith: false, cased: false }, 'field Image'],
    [{ kind: 'timepart', unit: 'hour', value: 3 }, 'hour 3'],
    [{ kind: 'expansion', values: [{ kind: 'number', value: 1 }, { kind: 'boolean', value: true }] }, '(1 | true)'],
  ] as const)('%j', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});
