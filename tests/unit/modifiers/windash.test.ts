import { describe, expect, it } from 'vitest';
import { windash } from '../../../src/modifiers/windash.js';
import { parseSigmaString } from '../../../src/modifiers/sigma-string.js';
import type { ValueModifier } from '../../../src/modifiers/modifier.js';
import type { SigmaValue } from '../../../src/model/detection.js';
import { matches, selection } from '../compile/rule-fixture.js';

const context = { field: 'CommandLine', applied: [], chain: ['windash'], raw: '' };
const apply = (value: SigmaValue) => (windash as ValueModifier).apply(value, context);

describe('windash', () => {
  it('turns flag dashes into the five alternatives', () => {
    const result = apply(parseSigmaString(' -exec bypass'));
    expect(result.ok && result.value.kind === 'string' && result.value.parts).toEqual([
      { kind: 'text', text: ' ' },
      { kind: 'alternatives', options: ['-', '/', '\u2013', '\u2014', '\u2015'] },
      { kind: 'text', text: 'exec bypass' },
    ]);
  });

  it('leaves dashes inside words alone, as pySigma does', () => {
    const result = apply(parseSigmaString('-param-name'));
    expect(result.ok && result.value.kind === 'string' && result.value.parts).toEqual([
      { kind: 'alternatives', options: ['-', '/', '\u2013', '\u2014', '\u2015'] },
      { kind: 'text', text: 'param-name' },
    ]);
  });

  it.each(['-', '/', '\u2013', '\u2014', '\u2015'])('matches the flag written with %s', (dash) => {
    const rule = selection('CommandLine|windash|contains', "' -decode '");
    expect(matches(rule, { CommandLine: `certutil ${dash}decode a b` })).toBe(true);
  });

  it('does not match other characters in the flag position', () => {
    const rule = selection('CommandLine|windash|contains', "' -decode '");
    expect(matches(rule, { CommandLine: 'certutil +decode a b' })).toBe(false);
    expect(matches(rule, { CommandLine: 'certutil /decode-x a b' })).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(apply({ kind: 'number', value: 1 }).ok).toBe(false);
  });
});
