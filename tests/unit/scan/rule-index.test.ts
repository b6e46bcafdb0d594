import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../../../src/compile/compile-rule.js';
import type { EventRecord, FieldValue } from '../../../src/compile/event-record.js';
import { compileSourceBinding } from '../../../src/mapping/mapping.js';
import { RuleIndex } from '../../../src/scan/rule-index.js';
import { compileValid, createEvent } from '../compile/rule-fixture.js';

/** A rule that counts how often it is evaluated. */
function counted(rule: CompiledRule): CompiledRule & { evaluations: number } {
  const wrapper = {
    ...rule,
    evaluations: 0,
    detect: (bound: EventRecord) => {
      wrapper.evaluations += 1;
      return rule.detect(bound);
    },
    matches: (event: EventRecord) => {
      wrapper.evaluations += 1;
      return rule.matches(event);
    },
  };
  return wrapper;
}

const tools = Array.from({ length: 12 }, (_, index) => compileValid(`sel:\n  Image|endswith: '\\tool${index}.exe'\n  CommandLine|contains: ' /x${index}'\ncondition: sel`));

const sysmon1 = compileSourceBinding({ id: 'sysmon-1', title: 'Sysmon 1', channel: 'Microsoft-Windows-Sysmon/Operational', eventIds: [1] }, { category: 'process_creation', product: 'windows' }, 'm.yml');
const security4688 = compileSourceBinding(
  { id: 'security-4688', title: '4688', channel: 'Security', eventIds: [4688], fields: { Image: 'NewProcessName' } },
  { category: 'process_creation', product: 'windows' },
  'm.yml',
);
const sysmon3 = compileSourceBinding({ id: 'sysmon-3', title: 'Sysmon 3', channel: 'Microsoft-Windows-Sysmon/Operational', eventIds: [3] }, { category: 'network_connection', product: 'windows' }, 'm.yml');

const windowsEvent = (channel: string, eventId: number, fields: Readonly<Record<string, FieldValue>>): EventRecord => ({ ...createEvent(fields), channel, eventId });
const naive = (rules: readonly CompiledRule[], event: EventRecord): number[] => rules.flatMap((rule, index) => (rule.matches(event) ? [index] : []));

describe('RuleIndex', () => {
  it('evaluates only the rules whose requirements an event meets, and finds the same matches as evaluating all', () => {
    const rules = tools.map(counted);
    const index = new RuleIndex(rules);
    const event = createEvent({ Image: 'C:\\TOOL7.exe', CommandLine: 'tool7 /X7 /x3', ParentImage: 'c:\\tool3.exe' });
    expect(index.matchEvent(event)).toEqual([7]);
    expect(rules.map((rule) => rule.evaluations)).toEqual(rules.map((_, index) => (index === 7 ? 1 : 0)));
    expect(index.matchEvent(createEvent({ Image: 'C:\\tool3.exe', CommandLine: 'nothing' }))).toEqual([]);
    expect(rules[3]?.evaluations).toBe(0);
  });

  it('evaluates a small group outright, except a keyword rule, which is evaluated only on events holding one of its keywords', () => {
    const fieldRules = tools.slice(0, 2).map(counted);
    const keywordRule = counted(compileValid(`keywords:\n  - 'sekurlsa::'\n  - 'mimikatz'\ncondition: keywords`));
    const quiet = createEvent({ Image: 'C:\\tool0.exe', CommandLine: 'notepad', ParentImage: 'C:\\explorer.exe' });
    const loud = createEvent({ Image: 'C:\\x.exe', CommandLine: 'x.exe "SEKURLSA::logonpasswords"' });
    // Two field rules alone: fewer than the selection threshold, so each is evaluated on each event.
    const small = new RuleIndex(fieldRules);
    expect(small.matchEvent(quiet)).toEqual([]);
    expect(fieldRules.map((rule) => rule.evaluations)).toEqual([1, 1]);
    // A keyword rule searches every value: its group selects by atoms, so an event without a keyword costs no evaluation.
    const keywords = new RuleIndex([keywordRule]);
    expect(keywords.matchEvent(quiet)).toEqual([]);
    expect(keywordRule.evaluations).toBe(0);
    expect(keywords.matchEvent(loud)).toEqual([0]);
    expect(keywordRule.evaluations).toBe(1);
  });

  it('evaluates every rule without selection, with the same result', () => {
    const rules = tools.map(counted);
    const event = createEvent({ Image: 'C:\\TOOL7.exe', CommandLine: 'tool7 /X7' });
    expect(new RuleIndex(rules, { select: false }).matchEvent(event)).toEqual([7]);
    expect(rules.every((rule) => rule.evaluations === 1)).toBe(true);
  });

  it('lets an event meet only the rules of its log source, seen through their renames', () => {
    const processRules = Array.from({ length: 10 }, (_, index) => counted(compileValid(`sel:\n  Image|endswith: '\\tool${index}.exe'\ncondition: sel`, { bindings: [sysmon1, security4688] })));
    const networkRules = Array.from({ length: 10 }, (_, index) => counted(compileValid(`sel:\n  Image|endswith: '\\tool${index}.exe'\ncondition: sel`, { bindings: [sysmon3] })));
    const rules = [...processRules, ...networkRules];
    const index = new RuleIndex(rules);
    const created = windowsEvent('Security', 4688, { NewProcessName: 'C:\\tool2.exe' });
    expect(index.matchEvent(created)).toEqual([2]);
    expect(rules.map((rule) => rule.evaluations)).toEqual(rules.map((_, index) => (index === 2 ? 1 : 0)));
    const connection = windowsEvent('Microsoft-Windows-Sysmon/Operational', 3, { Image: 'C:\\tool4.exe' });
    expect(index.matchEvent(connection)).toEqual([14]);
    // A flat event has no source to tell: every rule may see it.
    expect(index.matchEvent(createEvent({ Image: 'C:\\tool5.exe' }))).toEqual([5, 15]);
    expect(index.matchEvent(created)).toEqual(naive(rules, created));
    expect(index.matchEvent(connection)).toEqual(naive(rules, connection));
  });

  it('finds needles outside ASCII, and ASCII needles written with characters that fold to them', () => {
    const rules = [
      ...tools,
      compileValid("sel:\n  CommandLine|contains: ['😀', '⠀⠀.exe']\ncondition: sel"),
      compileValid("sel:\n  CommandLine|contains: 'system32'\ncondition: sel"),
      compileValid("kw:\n  - 'mimikatz'\ncondition: kw"),
    ];
    const index = new RuleIndex(rules);
    const cases: readonly Readonly<Record<string, FieldValue>>[] = [
      { CommandLine: 'echo 😀 done' },
      { CommandLine: 'C:\\x⠀⠀.EXE' },
      { CommandLine: 'C:\\Windows\\Sy\u017ftem32\\x' },
      { User: 'MIMIKATZ' },
      { CommandLine: 'é plain' },
    ];
    for (const fields of cases) {
      const event = createEvent(fields);
      expect(index.matchEvent(event)).toEqual(naive(rules, event));
    }
    expect(index.matchEvent(createEvent({ CommandLine: 'echo 😀' }))).toEqual([12]);
    expect(index.matchEvent(createEvent({ CommandLine: 'C:\\Windows\\Sy\u017ftem32\\x' }))).toEqual([13]);
  });
});
