import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRule } from '../../../src/compile/compile-rule.js';
import { FlatRecord } from '../../../src/events/flat-record.js';
import { parseYaml } from '../../../src/load/yaml.js';
import { parseRule } from '../../../src/parse/parse-rule.js';
import { closeSqlCheck, sqlCheck } from '../../../src/harness/sql-check.js';
import type { RuleContext } from '../../../src/harness/run-tests.js';
import { DEFAULT_CONFIG } from '../../../src/harness/config.js';
import { ruleText } from '../compile/rule-fixture.js';

const rule = (detection: string) => parseRule(parseYaml(ruleText(detection), 'rule.yml').documents[0]!, 'rule.yml').rule!;

async function check(sqlRule: string, engineRule: string, values: string[]) {
  const repoRoot = await mkdtemp(join(tmpdir(), 'dac-sql-check-'));
  try {
    const events = values.map((value, index) => ({
      record: new FlatRecord('events.ndjson', index, { Image: value }),
      result: { file: 'events.ndjson', event: index },
    }));
    // The rule converted to SQL is `sqlRule`; the engine's verdicts come from `engineRule`.
    const context = {
      rule: rule(sqlRule),
      compiled: compileRule(rule(engineRule)).compiled!,
      bindings: [],
      spec: undefined,
      events,
      config: DEFAULT_CONFIG,
      repoRoot,
    } as unknown as RuleContext;
    return await sqlCheck.run(context);
  } finally {
    await rm(repoRoot, { recursive: true, force: true });
  }
}

afterAll(() => closeSqlCheck());

describe('sql check', () => {
  it('passes when DuckDB gives the engine\'s verdicts, and says on how many events', async () => {
    const outcome = await check("sel:\n  Image|endswith: '.exe'\ncondition: sel", "sel:\n  Image|endswith: '.exe'\ncondition: sel", ['a.exe', 'a.dll']);
    expect(outcome.failures).toEqual([]);
    expect(outcome.notes?.[0]?.message).toContain("gives the engine's verdicts on 2 golden events");
  });

  it('fails on every event where the verdicts differ, naming it', async () => {
    const outcome = await check("sel:\n  Image|endswith: '.exe'\ncondition: sel", "sel:\n  Image|endswith: '.dll'\ncondition: sel", ['a.exe', 'a.dll', 'a.txt']);
    expect(outcome.failures.map((failure) => failure.message)).toEqual([
      'SQL: events.ndjson #0: the engine says no-match, DuckDB says match',
      'SQL: events.ndjson #1: the engine says match, DuckDB says no-match',
    ]);
    expect(outcome.failures[0]).toMatchObject({ check: 'sql', file: 'rule.yml' });
  });

  it('is skipped, with the reason, when the rule has no exact SQL, and when there are no golden events', async () => {
    const v6 = await check("sel:\n  Image|cidr: '2001:db8::/32'\ncondition: sel", "sel:\n  Image|cidr: '2001:db8::/32'\ncondition: sel", ['::1']);
    expect(v6.skipped).toMatch(/no exact SQL conversion: .*IPv6/);
    const none = await check("sel:\n  Image: 'x'\ncondition: sel", "sel:\n  Image: 'x'\ncondition: sel", []);
    expect(none.skipped).toBe('no golden events');
  });
});
