import { describe, expect, it } from 'vitest';
import { measureEditDistance, quote, suggestClosest } from '../../../src/validate/lint.js';

describe('measureEditDistance', () => {
  it.each([
    ['high', 'high', 0],
    ['hihg', 'high', 1],
    ['hig', 'high', 1],
    ['highs', 'high', 1],
    ['hgh', 'high', 1],
    ['low', 'high', 4],
  ])('%s -> %s is %i', (a, b, distance) => {
    expect(measureEditDistance(a, b, 5)).toBe(distance);
  });

  it('stops counting past its limit', () => {
    expect(measureEditDistance('informational', 'x', 2)).toBe(3);
    expect(measureEditDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

describe('suggestClosest', () => {
  it('finds the closest candidate within a few edits, ignoring case', () => {
    expect(suggestClosest('Falsepositive', ['falsepositives', 'fields'])).toBe('falsepositives');
    expect(suggestClosest('exfiltraton', ['execution', 'exfiltration'])).toBe('exfiltration');
    expect(suggestClosest('frobnicate', ['execution', 'exfiltration'])).toBeUndefined();
  });

  it('lets two-letter words match only by case', () => {
    expect(suggestClosest('ID', ['id'])).toBe('id');
    expect(suggestClosest('ip', ['id'])).toBeUndefined();
  });
});

describe('quote', () => {
  it('keeps a message on one line and short', () => {
    expect(quote('a\nb\tc\u0001')).toBe("'a\\nb\\tc\\u0001'");
    expect(quote('x'.repeat(100), 10)).toBe(`'${'x'.repeat(9)}…'`);
    expect(quote('规则')).toBe("'规则'");
  });
});
