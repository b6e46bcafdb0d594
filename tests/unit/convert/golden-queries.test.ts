/**
 * The queries of the web-shell rule (tuned by its filter) for every target profile, against golden
 * files reviewed by hand (tests/fixtures/queries/); the KQL is parsed by Microsoft's Kusto.Language and
 * the Spark SQL by dt-sql-parser's Spark grammar, so a query that does not parse fails here.
 * After an intended change: `UPDATE_GOLDEN=1 npx vitest run tests/unit/convert/golden-queries.test.ts`.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFilters, selectFilters, type SigmaFilter } from '../../../src/compile/apply-filters.js';
import { convertRule } from '../../../src/convert/convert-rule.js';
import { loadTargetProfiles, type TargetProfile } from '../../../src/convert/target-profiles.js';
import { loadYamlFile } from '../../../src/load/yaml.js';
import type { SigmaRule } from '../../../src/model/rule.js';
import { parseRule } from '../../../src/parse/parse-rule.js';

const ROOT = join(import.meta.dirname, '../../..');
const RULE = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const GOLDEN = join(ROOT, 'tests/fixtures/queries');

let rule: SigmaRule;
let filters: SigmaFilter[];
let profiles: TargetProfile[];
let constructs: SigmaRule;

/** A rule using every value kind the SIEM dialects write. */
const CONSTRUCTS = `title: Constructs
id: 11111111-2222-4333-8444-555555555555
logsource: { category: process_creation, product: windows }
detection:
  a:
    Image|endswith: ['\\cmd.exe', '\\ws_x%.exe']
    CommandLine|contains|windash: ' -enc '
    ParentImage|startswith: 'C:\\Windows\\'
  b:
    CommandLine|re|i: '^x.*\\d+$'
    CommandLine|cased: 'Exact'
    IntegrityLevel|fieldref|endswith: CommandLine
  c:
    ProcessId|gt: 4
    LogonId: null
    CurrentDirectory|exists: true
    Image: 'a?b*c'
  condition: a or b or not c
`;

beforeAll(async () => {
  const loaded = await loadYamlFile(join(ROOT, RULE), RULE);
  rule = parseRule(loaded.documents[0]!, RULE).rule!;
  filters = selectFilters(rule, (await loadFilters(join(ROOT, 'filters'), ROOT)).filters).selected;
  profiles = (await loadTargetProfiles()).profiles;
  const { parseYaml } = await import('../../../src/load/yaml.js');
  constructs = parseRule(parseYaml(CONSTRUCTS, 'constructs.yml').documents[0]!, 'constructs.yml').rule!;
});

/** Kusto.Language's parse diagnostics of a query. */
function parseKql(query: string): string[] {
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const kusto = (globalThis as unknown as { Kusto: { Language: { KustoCode: { Parse(text: string): { GetDiagnostics(): { Count: number; getItem(index: number): { Message: string } } } } } } }).Kusto;
  const diagnostics = kusto.Language.KustoCode.Parse(query).GetDiagnostics();
  return Array.from({ length: diagnostics.Count }, (_, index) => diagnostics.getItem(index).Message);
}

describe('golden queries of the web-shell rule', () => {
  const cases = ['sql/duckdb', 'spark/spark', 'kql/defender', 'kql/sentinel', 'spl/sysmon', 'spl/security-4688', 'esql/ecs'];
  it.each(cases)('%s matches its golden file', async (key) => {
    const profile = profiles.find((p) => `${p.target}/${p.profile}` === key)!;
    const { query, diagnostics } = convertRule(rule, profile, { filters });
    expect(diagnostics).toEqual([]);
    const path = join(GOLDEN, `webshell.${key.replace('/', '.')}.txt`);
    if (process.env.UPDATE_GOLDEN || !existsSync(path)) await writeFile(path, query!.text);
    expect(query!.text).toBe(await readFile(path, 'utf8'));
  });

  it('writes KQL that Kusto.Language parses without errors, and it would catch one that does not', () => {
    for (const key of ['kql/defender', 'kql/sentinel']) {
      const profile = profiles.find((p) => `${p.target}/${p.profile}` === key)!;
      expect(parseKql(convertRule(rule, profile, { filters }).query!.text)).toEqual([]);
      expect(parseKql(convertRule(constructs, profile).query!.text)).toEqual([]);
    }
    expect(parseKql('T | where a endswith and').length).toBeGreaterThan(0);
  });

  it('writes Spark SQL that the Spark grammar of dt-sql-parser accepts, and it would catch one that does not', async () => {
    const { SparkSQL } = await import('dt-sql-parser');
    const parser = new SparkSQL();
    const profile = profiles.find((p) => p.target === 'spark')!;
    // Every construct the Spark dialect writes, in one small rule (the grammar is slow on long OR chains).
    const text = convertRule(constructs, profile).query!.text;
    expect(text).toContain('RLIKE');
    expect(parser.validate(text)).toEqual([]);
    expect(parser.validate('SELECT * FROM events WHERE lower(`Image`) LIKE').length).toBeGreaterThan(0);
  });
});
