/**
 * The SQL conversion held to the engine: generated rules (every modifier family, conditions with not,
 * and, or, `N of`) over generated events (strings with wildcard, escape and case-folding characters,
 * numbers, booleans, nulls, lists, absent fields) get the same verdicts from DuckDB as from the engine.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlatRecord } from '../../../src/events/flat-record.js';
import type { FieldValue } from '../../../src/compile/event-record.js';
import { parseYaml } from '../../../src/load/yaml.js';
import { parseRule } from '../../../src/parse/parse-rule.js';
import { compileRule } from '../../../src/compile/compile-rule.js';
import { convertRule } from '../../../src/convert/convert-rule.js';
import { SQL_PROFILES } from '../../../src/convert/target-profiles.js';
import { loadEventsTable, openDuckDb, selectMatchingKeys, type DuckDbSession } from '../../../src/backtest/duckdb-session.js';
import { ruleText } from '../compile/rule-fixture.js';

const profile = SQL_PROFILES.find((p) => p.target === 'sql')!;
const FIELDS = ['Image', 'CommandLine', 'Count', 'Tags'] as const;

// Characters that stress wildcards, LIKE escapes, SQL quoting and the Unicode case fold (BMP only:
// the engine's `?` counts UTF-16 units, README's known limits).
// Two alphabets: a small one, so rule values and event values meet often (both verdicts get exercised),
// and a wide one for the rarer characters.
const common = fc.constantFrom('a', 's', 'S', '\\', '%', '_', '0', 'ß', '*', '?');
const rare = fc.constantFrom('B', 'i', "'", '"', '.', ' ', '1', 'ſ', 'İ', 'K', 'Σ', 'ς', 'ﬀ', '\n', '-', '/', 'x');
const char = fc.oneof({ weight: 4, arbitrary: common }, { weight: 1, arbitrary: rare });
const ruleString = fc.string({ unit: char, minLength: 1, maxLength: 3 });
/** Event text made of a run's rule words (wildcards taken literally) and other characters. */
const textOf = (words: readonly string[]): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.constantFrom(...words), fc.constantFrom(...words).map((w) => w.replace(/[*?]/g, 'x')), char), { maxLength: 3 }).map((pieces) => pieces.join(''));
// JSON strings are YAML double-quoted scalars, line breaks and all.
const quote = (value: string): string => JSON.stringify(value);
const ipText = fc.constantFrom('10.1.2.3', ' 172.20.0.1 ', '010.0.0.1', '256.1.1.1', '172.32.0.1', '192.168.1.77', '10.0.0', '::1');
const timeText = fc.constantFrom('2024-02-31 13:45', '0050-01-01', '2021-01-01T00:00:00Z', '2024/5/7', ' 2023-12-31T23:59:59.5', 'x2024-01-01', '2024-13-01');
const numberText = fc.constantFrom('12', ' 12 ', '0x1F', '1e3', '1.', '.5', '+7', '-0', '1e400', 'abc', 'true', ' TRUE ', 'false');

const scalarOf = (text: fc.Arbitrary<string>): fc.Arbitrary<FieldValue> => fc.oneof(
  { weight: 5, arbitrary: text },
  { weight: 2, arbitrary: fc.oneof(ipText, timeText, numberText) },
  { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -100, max: 5000 }), fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.constantFrom(0, -0, 0.00001, 1.5e-7, 2 ** 60, 31, 12)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const fieldValueOf = (scalar: fc.Arbitrary<FieldValue>): fc.Arbitrary<FieldValue> => fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('x', 'y'), scalar, { maxKeys: 2 }) },
);
const eventOf = (words: readonly string[]): fc.Arbitrary<Record<string, FieldValue>> => {
  const fieldValue = fieldValueOf(scalarOf(textOf(words)));
  return fc.record({ Image: fieldValue, CommandLine: fieldValue, Count: fieldValue, Tags: fieldValue }, { requiredKeys: [] });
};

/** One detection item as rule text: `field|modifiers: values`. */
const itemOf = (word: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('', '|contains', '|startswith', '|endswith', '|contains|all', '|cased', '|contains|cased', '|windash', '|contains|windash', '|base64offset|contains', '|neq'), fc.array(word, { minLength: 1, maxLength: 3 }))
    .map(([field, modifiers, values]) => `${field}${modifiers}:\n${values.map((v) => `  - ${quote(v)}`).join('\n')}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('a.b', '^B', 'ss$', '[0-9]+', 'ß', 'x|S', '\\\\', '(?i)İ', '^$', '.'), fc.constantFrom('', '|i', '|m', '|s', '|i|s'))
    .map(([field, pattern, flags]) => `${field}|re${flags}: ${quote(pattern)}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('10.0.0.0/8', '172.16.0.0/12', '192.168.1.64/26', '0.0.0.0/0'))
    .map(([field, cidr]) => `${field}|cidr: ${quote(cidr)}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('gt', 'gte', 'lt', 'lte'), fc.constantFrom('0', '12', '31', '1000', '-1.5'))
    .map(([field, op, bound]) => `${field}|${op}: ${bound}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('12', '31', '-0', '0', 'true', 'false', 'null', "''", '0x1F'))
    .map(([field, value]) => `${field}: ${value}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.boolean()).map(([field, value]) => `${field}|exists: ${value}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...FIELDS), fc.constantFrom('', '|startswith', '|endswith', '|contains', '|cased'))
    .map(([field, other, modifiers]) => `${field}|fieldref${modifiers}: ${other}`),
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('year', 'month', 'day', 'week', 'hour', 'minute'), fc.constantFrom(1, 2, 5, 9, 13, 45, 1950, 2024))
    .map(([field, unit, value]) => `${field}|${unit}: ${value}`),
);
const condition: fc.Arbitrary<string> = fc.constantFrom('sel0', 'not sel0', 'sel0 and not sel1', 'sel0 or sel1', '1 of sel*', 'all of sel*', '2 of sel*', 'sel0 or (sel1 and not sel2)');
const selectionOf = (word: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof(
  { weight: 5, arbitrary: fc.array(itemOf(word), { minLength: 1, maxLength: 2 }).map((items) => items.map((line) => line.split('\n').map((l) => `  ${l}`).join('\n')).join('\n')) },
  { weight: 1, arbitrary: fc.array(fc.oneof(word.map(quote), fc.constantFrom('12', 'true')), { minLength: 1, maxLength: 2 }).map((values) => `\n${values.map((v) => `  - ${v}`).join('\n')}`) },
);
/** A run: rule words, three selections over them, a condition, and events made from the same words. */
const scenario = fc.array(ruleString, { minLength: 2, maxLength: 5 }).chain((words) =>
  fc.tuple(fc.array(selectionOf(fc.constantFrom(...words)), { minLength: 3, maxLength: 3 }), condition, fc.array(eventOf(words), { minLength: 1, maxLength: 12 })));

let session: DuckDbSession;
// What the runs exercised: a property that only ever saw rejected rules or one verdict would prove nothing.
const tally = { rules: 0, matches: 0, misses: 0 };
beforeAll(async () => {
  session = await openDuckDb({ threads: 1 });
});
afterAll(() => session.close());

describe('SQL conversion (properties)', () => {
  it('DuckDB gives the engine\'s verdict on every generated rule and event', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([selections, cond, events]) => {
        const detection = `${selections.map((body, index) => `sel${index}:${body.startsWith('\n') ? body : `\n${body}`}`).join('\n')}\ncondition: ${cond}`;
        const { documents } = parseYaml(ruleText(detection), 'rule.yml');
        if (documents[0] === undefined) return;
        const parsed = parseRule(documents[0], 'rule.yml');
        if (!parsed.rule || parsed.diagnostics.some((d) => d.severity === 'error')) return; // e.g. a modifier combination Sigma rejects
        const { compiled } = compileRule(parsed.rule);
        if (!compiled) return;
        tally.rules += 1;
        const converted = convertRule(parsed.rule, profile);
        expect(converted.diagnostics).toEqual([]);
        // What both read: the JSON of the event, as NDJSON carries it.
        const records = events.map((object) => JSON.parse(JSON.stringify(object)) as Record<string, FieldValue>);
        await loadEventsTable(session, records.map((record, index) => ({ file: 'f', event: index, record })), converted.query!.columns);
        const matched = await selectMatchingKeys(session, converted.query!.condition);
        records.forEach((record, index) => {
          const engine = compiled.matches(new FlatRecord('f', index, record));
          tally[engine ? 'matches' : 'misses'] += 1;
          if (engine !== matched.has(index)) {
            throw new Error(`verdicts differ on ${JSON.stringify(record)}: engine ${engine}, DuckDB ${matched.has(index)}\n${detection}\n${converted.query!.condition}`);
          }
        });
      }),
      { numRuns: Number(process.env.SQL_PROPERTY_RUNS ?? 150), seed: Number(process.env.SQL_PROPERTY_SEED ?? 17) },
    );
    expect(tally.rules).toBeGreaterThan(50);
    expect(tally.matches).toBeGreaterThan(20);
    expect(tally.misses).toBeGreaterThan(20);
    if (process.env.SQL_PROPERTY_RUNS) console.log(tally);
  });
});
