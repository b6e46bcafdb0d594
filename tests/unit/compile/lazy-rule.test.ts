import { describe, expect, it } from 'vitest';
import { createLazyRule } from '../../../src/compile/lazy-rule.js';
import { parseYaml } from '../../../src/load/yaml.js';
import type { SigmaRule } from '../../../src/model/rule.js';
import { parseRule } from '../../../src/parse/parse-rule.js';
import { compileValid, createEvent, ruleText } from './rule-fixture.js';

const detection = "sel:\n  Image|endswith: '\\cmd.exe'\n  CommandLine|contains: 'whoami'\ncondition: sel";

function parse(text: string): SigmaRule {
  const document = parseYaml(text, 'rule.yml').documents[0];
  const rule = document ? parseRule(document, 'rule.yml').rule : undefined;
  if (!rule) throw new Error('the test rule does not parse');
  return rule;
}

describe('createLazyRule', () => {
  it('parses and compiles on first use only, and then matches as the rule compiled at once', () => {
    const eager = compileValid(detection);
    let loads = 0;
    const lazy = createLazyRule(() => {
      loads += 1;
      return parse(ruleText(detection));
    }, {}, eager);
    expect(lazy.requirements).toBe(eager.requirements);
    expect(lazy.needles).toEqual(eager.needles);
    expect(loads).toBe(0);
    const events = [createEvent({ Image: 'C:\\CMD.exe', CommandLine: 'whoami /all' }), createEvent({ Image: 'C:\\cmd.exe', CommandLine: 'dir' })];
    expect(events.map((event) => lazy.matches(event))).toEqual(events.map((event) => eager.matches(event)));
    expect(events.map((event) => lazy.detect(event))).toEqual([true, false]);
    expect(lazy.explain(events[0] as ReturnType<typeof createEvent>).matched).toBe(true);
    expect(lazy.rule.title).toBe('Test rule');
    expect(loads).toBe(1);
  });

  it('throws, as a programmer error, when a rule known to compile no longer does', () => {
    const lazy = createLazyRule(() => parse(ruleText("sel:\n  Image|expand: '%unknown%'\ncondition: sel")), {}, { requirements: [] });
    expect(() => lazy.matches(createEvent({ Image: 'x' }))).toThrow(/no longer compiles/);
  });
});
