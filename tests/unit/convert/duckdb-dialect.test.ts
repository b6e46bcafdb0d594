/**
 * The DuckDB dialect against the engine on chosen cases (each modifier's edge: wildcards one by one,
 * LIKE's own characters, the Unicode fold, numbers as text, numeric strings, lists, null and absent),
 * the fold table against the Node and DuckDB in use, and the errors of what has no exact form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldValue } from '../../../src/compile/event-record.js';
import { compileRule } from '../../../src/compile/compile-rule.js';
import { foldCase } from '../../../src/compile/case-fold.js';
import { FlatRecord } from '../../../src/events/flat-record.js';
import { parseYaml } from '../../../src/load/yaml.js';
import { parseRule } from '../../../src/parse/parse-rule.js';
import { convertRule } from '../../../src/convert/convert-rule.js';
import { loadTargetProfiles, SQL_PROFILES, type TargetProfile } from '../../../src/convert/target-profiles.js';
import { FOLD_EXCEPTIONS } from '../../../src/convert/targets/fold-exceptions.js';
import { loadEventsTable, openDuckDb, selectMatchingKeys, type DuckDbSession } from '../../../src/backtest/duckdb-session.js';
import { readRulesForConversion } from '../../../src/convert/convert-files.js';
import { ruleText } from '../compile/rule-fixture.js';

const duckdb = SQL_PROFILES.find((p) => p.target === 'sql')!;
let session: DuckDbSession;
let profiles: TargetProfile[];
beforeAll(async () => {
  session = await openDuckDb({ threads: 1 });
  profiles = (await loadTargetProfiles()).profiles;
});
afterAll(() => session.close());

function parse(detection: string) {
  const parsed = parseRule(parseYaml(ruleText(detection), 'rule.yml').documents[0]!, 'rule.yml');
  if (!parsed.rule) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.rule;
}

/** The engine's and DuckDB's verdicts on each value of field F. */
async function verdicts(detection: string, values: readonly (FieldValue | undefined)[]): Promise<{ engine: boolean[]; sql: boolean[] }> {
  const rule = parse(detection);
  const compiled = compileRule(rule).compiled!;
  const converted = convertRule(rule, duckdb);
  expect(converted.diagnostics).toEqual([]);
  const records = values.map((value): Record<string, FieldValue> => (value === undefined ? {} : { F: value, G: 'abc' }));
  await loadEventsTable(session, records.map((record, index) => ({ file: 'f', event: index, record })), converted.query!.columns);
  const matched = await selectMatchingKeys(session, converted.query!.condition);
  return { engine: records.map((record, index) => compiled.matches(new FlatRecord('f', index, record))), sql: records.map((_, index) => matched.has(index)) };
}

const cases: [string, string, (FieldValue | undefined)[], boolean[]][] = [
  ['? is exactly one character', "sel:\n  F: 'a?'\ncondition: sel", ['ab', 'a', 'abc', 'A_'], [true, false, false, true]],
  ['LIKE characters are literal', "sel:\n  F|contains: '%_\\'\ncondition: sel", ['x%_\\y', 'x%a\\', 'xx'], [true, false, false]],
  ['the fold is the engine\'s', "sel:\n  F: 'STRASSE'\ncondition: sel", ['straße', 'STRASSE', 'strase'], [true, true, false]],
  ['cased keeps case', "sel:\n  F|cased: 'Ab'\ncondition: sel", ['Ab', 'ab'], [true, false]],
  ['numbers as JavaScript writes them', "sel:\n  F: '0'\ncondition: sel", [0, -0, 0.0, '0', 1e-7], [true, true, true, true, false]],
  ['small numbers as text', "sel:\n  F|startswith: '0.00001'\ncondition: sel", [0.00001, 1e-5, 1.5e-7], [true, true, false]],
  ['numeric strings and hex', "sel:\n  F: 31\ncondition: sel", ['31', ' 31 ', '0x1F', 31, '3l', 31.5], [true, true, true, true, false, false]],
  ['comparisons', "sel:\n  F|gte: 10\ncondition: sel", [10, '12', '0x0A', 9, 'x', [1, 20]], [true, true, true, false, false, true]],
  ['lists match by any element', "sel:\n  F|endswith: '.exe'\ncondition: sel", [['a', 'b.exe'], ['a'], [['c.EXE']], { k: 'x.exe' }], [true, false, true, false]],
  ['null and absent', "sel:\n  F: null\ncondition: sel", [null, undefined, '', 'x'], [true, true, false, false]],
  ['exists counts null', "sel:\n  F|exists: true\ncondition: sel", [null, undefined, ''], [true, false, true]],
  ['booleans', "sel:\n  F: true\ncondition: sel", [true, ' TRUE ', 'yes', 1], [true, true, false, false]],
  ['regex flags', "sel:\n  F|re|i|m: '^b$'\ncondition: sel", ['a\nB', 'ab'], [true, false]],
  ['cidr reads addresses as the engine', "sel:\n  F|cidr: '172.16.0.0/12'\ncondition: sel", ['172.31.255.255', ' 172.16.0.1', '172.32.0.1', '172.016.0.1'], [true, true, false, false]],
  ['windash alternatives', "sel:\n  F|windash|contains: ' -x'\ncondition: sel", ['a /x', 'a –x', 'a -x', 'a x'], [true, true, true, false]],
  ['fieldref', "sel:\n  F|fieldref|startswith: G\ncondition: sel", ['ABCD', 'xabc'], [true, false]],
  ['time parts', "sel:\n  F|week: 9\ncondition: sel", ['2024-02-31 10:00', '2024-02-26', 'x'], [true, true, false]],
  ['keywords search every value', "keywords:\n  - 'needle'\ncondition: keywords", [['hay', { deep: 'a NEEDLE b' }], 'none'], [true, false]],
  ['not and 2 of', "a:\n  F|contains: 'a'\nb:\n  F|contains: 'b'\nc:\n  F|contains: 'c'\ncondition: 2 of them or not (a or b or c)", ['ab', 'a', '', 'abc'], [true, false, true, true]],
];

describe('DuckDB SQL against the engine', () => {
  it.each(cases)('%s', async (_name, detection, values, expected) => {
    const { engine, sql } = await verdicts(detection, values);
    expect(engine).toEqual(expected);
    expect(sql).toEqual(engine);
  });

  it('folds every code point as the engine does (the fold table matches this Node and DuckDB)', async () => {
    // The whole Basic Multilingual Plane, and the supplementary planes' letters with case (Deseret .. Adlam).
    const rows = await session.query(
      "SELECT i, sigma_fold(chr(CAST(i AS INTEGER))) FROM range(128, 125300) t(i) WHERE (i < 55296 OR i > 57343) AND i <> 65279 AND (i < 65536 OR i BETWEEN 66560 AND 125300)",
    );
    const differing = rows.filter(([i, folded]) => foldCase(String.fromCodePoint(Number(i))) !== folded).map(([i]) => Number(i).toString(16));
    expect(differing).toEqual([]);
    expect(FOLD_EXCEPTIONS.length).toBeGreaterThan(100);
  });
});

describe('conversion errors name the rule, the item and the target', () => {
  const convert = (detection: string, key: string) => convertRule(parse(detection), profiles.find((p) => `${p.target}/${p.profile}` === key)!);

  it('IPv6 networks have no exact SQL', () => {
    const { query, diagnostics } = convert("sel:\n  F|cidr: '2001:db8::/32'\ncondition: sel", 'sql/duckdb');
    expect(query).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'convert/unsupported', file: 'rule.yml' });
    expect(diagnostics[0]!.message).toMatch(/rule 00000000-0000-4000-8000-000000000000 \(Test rule\): item F\|cidr: IPv6 .*target sql, profile duckdb/);
  });

  it('ES|QL refuses RE2 regular expressions, KQL keywords, and unknown fields', () => {
    expect(convert("sel:\n  Image|re: 'a+'\ncondition: sel", 'esql/ecs').diagnostics[0]!.message).toMatch(/item Image\|re: ES\|QL's RLIKE .*target esql, profile ecs/);
    expect(convert("kw:\n  - 'x'\ncondition: kw", 'kql/defender').diagnostics[0]!.message).toMatch(/item keywords: keyword searches .*target kql, profile defender/);
    expect(convert("sel:\n  Nonsense: 'x'\ncondition: sel", 'kql/sentinel').diagnostics[0]!.message).toMatch(/the field Nonsense has no name in this target/);
  });

  it('SPL falls back to where for what search terms cannot say', () => {
    const { query } = convert("sel:\n  Image: 'a?b'\ncondition: sel", 'spl/sysmon');
    expect(query!.text).toContain('| where match(\'Image\', "(?si)^a.b$")');
  });

  it('writes a field the source lacks as the engine judges an absent field, and says so', () => {
    const { query } = convert("sel:\n  Image|endswith: '\\cmd.exe'\n  ParentCommandLine|contains: 'x'\nflt:\n  ParentCommandLine|contains: 'y'\ncondition: sel or not flt", 'kql/sentinel');
    expect(query!.text).toContain('| where true');
    expect(query!.notes[0]).toMatch(/ParentCommandLine is not in this source/);
  });

  it('refuses correlation rules with a clear error', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'dac-convert-'));
    try {
      await writeFile(join(dir, 'mr.yml'), 'title: Many\nid: 9f0c6c5e-0000-4000-8000-000000000001\ncorrelation:\n  type: event_count\n  rules: [x]\n  timespan: 1h\n  condition: { gte: 10 }\n');
      const read = await readRulesForConversion(['mr.yml'], dir, 'kql');
      expect(read.rules).toEqual([]);
      expect(read.diagnostics.map((d) => d.code)).toContain('convert/correlation');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
