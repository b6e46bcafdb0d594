import { describe, expect, it } from 'vitest';
import { getSchemaValidators, readSchema } from '../../../src/validate/sigma-schemas.js';

type Schema = { $defs: Record<string, unknown> };

describe('the Sigma JSON schemas', () => {
  it('compile once, in strict mode, into one validator per kind of document', () => {
    const validators = getSchemaValidators();
    expect(Object.keys(validators).sort()).toEqual(['correlation', 'detection', 'filter']);
    expect(getSchemaValidators()).toBe(validators);
  });

  it('share identical definitions for the fields the three kinds have in common', () => {
    const detection = readSchema('detection') as Schema;
    for (const kind of ['correlation', 'filter'] as const) {
      const other = readSchema(kind) as Schema;
      for (const [name, definition] of Object.entries(other.$defs)) {
        if (name in detection.$defs) expect(definition, `${kind} $defs.${name}`).toEqual(detection.$defs[name]);
      }
    }
  });

  it('are draft 2020-12 schemas that allow custom top-level fields, as the specification does', () => {
    const { detection, correlation, filter } = getSchemaValidators();
    for (const kind of ['detection', 'correlation', 'filter'] as const) {
      expect(readSchema(kind).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
    const logsource = { category: 'process_creation' };
    expect(detection({ title: 't', logsource, detection: { s: { a: 1 }, condition: 's' }, x_custom: { any: ['thing'] } })).toBe(true);
    expect(correlation({ title: 't', correlation: { type: 'temporal', rules: ['a', 'b'], timespan: '1h' }, x_custom: 1 })).toBe(true);
    expect(filter({ title: 't', logsource, filter: { rules: ['a'], selection: { u: 'x' }, condition: 'not selection' }, x_custom: 1 })).toBe(true);
  });

  it.each([
    ['a tag namespace in upper case', { tags: ['Attack.t1059'] }],
    ['a tag without a namespace', { tags: ['t1059'] }],
    ['an empty title', { title: '' }],
    ['a scalar logsource', { logsource: 'windows' }],
    ['a list nested in a keyword list', { detection: { k: [['a']], condition: 'k' } }],
    ['a related entry without type', { related: [{ id: '929a690e-bef0-4204-a928-ef5e620d6fcc' }] }],
    ['a date with a time', { date: '2024-01-01T10:00:00Z' }],
  ])('reject %s', (_name, change) => {
    const rule = { title: 't', logsource: { product: 'windows' }, detection: { s: { a: 1 }, condition: 's' }, ...change };
    expect(getSchemaValidators().detection(rule)).toBe(false);
  });

  it.each([
    ['d3fend artifacts in CamelCase', { tags: ['d3fend.d3f-WindowsNtOpenFile'] }],
    ['a single keyword', { detection: { k: 'evil', condition: 'k' } }],
    ['a single false positive as text', { falsepositives: 'Unknown' }],
    ['the v1 timeframe', { detection: { s: { a: 1 }, condition: 's', timeframe: '5m' } }],
    ['values of every scalar type', { detection: { s: { a: 'x', b: 1, c: 1.5, d: true, e: null, f: ['x', 2, false, null] }, condition: 's' } }],
  ])('accept %s', (_name, change) => {
    const rule = { title: 't', logsource: { product: 'windows' }, detection: { s: { a: 1 }, condition: 's' }, ...change };
    expect(getSchemaValidators().detection(rule)).toBe(true);
  });
});
