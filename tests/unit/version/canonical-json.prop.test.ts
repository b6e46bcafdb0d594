import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { formatCanonicalJson } from '../../../src/version/canonical-json.js';

/** Rebuilds a value with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) copy[key] = reverseKeys((value as Record<string, unknown>)[key]);
  return copy;
}

// YAML-like values: what a parsed rule can hold. `__proto__` is left out, as the YAML loader drops it.
const key = fc.string({ maxLength: 6 }).filter((text) => text !== '__proto__');
const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('formatCanonicalJson properties', () => {
  test.prop([yamlValue])('key insertion order never changes the text', (value) => {
    expect(formatCanonicalJson(reverseKeys(value))).toBe(formatCanonicalJson(value));
  });

  test.prop([yamlValue])('finite JSON values read back to an equal value', (value) => {
    const text = formatCanonicalJson(value);
    fc.pre(!/NaN|Infinity/.test(text));
    // -0 is written as 0, as JSON.stringify does.
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  test.prop([fc.array(fc.string({ maxLength: 4 }), { minLength: 2, maxLength: 6 })])('list order is kept', (items) => {
    const reversed = [...items].reverse();
    fc.pre(JSON.stringify(reversed) !== JSON.stringify(items));
    expect(formatCanonicalJson(reversed)).not.toBe(formatCanonicalJson(items));
  });
});
