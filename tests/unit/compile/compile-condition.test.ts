import { describe, expect, it } from 'vitest';
import { compileValid } from './rule-fixture.js';
import { createEvent } from './rule-fixture.js';
import { compileSourceBinding } from '../../../src/mapping/mapping.js';

const detection = (condition: string): string =>
  [
    'sel_a:',
    '  A: 1',
    'sel_b:',
    '  B: 1',
    'filter_c:',
    '  C: 1',
    '_hidden:',
    '  H: 1',
    `condition: ${condition}`,
  ].join('\n');

/** Evaluates a condition over all 16 combinations of A, B, C, H and returns the truth table. */
function truthTable(condition: string): string {
  const rule = compileValid(detection(condition));
  let table = '';
  for (let bits = 0; bits < 16; bits += 1) {
    const fields = { A: bits & 1, B: (bits >> 1) & 1, C: (bits >> 2) & 1, H: (bits >> 3) & 1 };
    table += rule.matches(createEvent(fields)) ? '1' : '0';
  }
  return table;
}

/** The same truth table from a JS predicate. */
function expected(predicate: (a: boolean, b: boolean, c: boolean, h: boolean) => boolean): string {
  let table = '';
  for (let bits = 0; bits < 16; bits += 1) table += predicate(!!(bits & 1), !!(bits & 2), !!(bits & 4), !!(bits & 8)) ? '1' : '0';
  return table;
}

describe('conditions (spec "Condition")', () => {
  it.each([
    ['sel_a', (a: boolean) => a],
    ['sel_a and sel_b', (a: boolean, b: boolean) => a && b],
    ['sel_a or sel_b', (a: boolean, b: boolean) => a || b],
    ['not sel_a', (a: boolean) => !a],
    ['sel_a and not filter_c', (a: boolean, _b: boolean, c: boolean) => a && !c],
    ['sel_a or sel_b and filter_c', (a: boolean, b: boolean, c: boolean) => a || (b && c)],
    ['(sel_a or sel_b) and filter_c', (a: boolean, b: boolean, c: boolean) => (a || b) && c],
    ['not sel_a and sel_b', (a: boolean, b: boolean) => !a && b],
    ['not (sel_a and sel_b)', (a: boolean, b: boolean) => !(a && b)],
    ['1 of sel_*', (a: boolean, b: boolean) => a || b],
    ['all of sel_*', (a: boolean, b: boolean) => a && b],
    ['1 of them', (a: boolean, b: boolean, c: boolean) => a || b || c],
    ['all of them', (a: boolean, b: boolean, c: boolean) => a && b && c],
    ['1 of _hid*', (_a: boolean, _b: boolean, _c: boolean, h: boolean) => h],
    ['1 of sel_* and not 1 of filter*', (a: boolean, b: boolean, c: boolean) => (a || b) && !c],
    ['2 of them', (a: boolean, b: boolean, c: boolean) => Number(a) + Number(b) + Number(c) >= 2],
    ['any of sel_*', (a: boolean, b: boolean) => a || b],
  ])('%s', (condition, predicate) => {
    expect(truthTable(condition)).toBe(expected(predicate));
  });

  it('them skips identifiers starting with an underscore', () => {
    expect(truthTable('all of them')).not.toBe(expected((a, b, c, h) => a && b && c && h));
  });

  it('a list of conditions is an OR', () => {
    const rule = compileValid(['sel_a:', '  A: 1', 'sel_b:', '  B: 1', 'condition:', '  - sel_a', '  - sel_b'].join('\n'));
    expect(rule.matches(createEvent({ A: 1 }))).toBe(true);
    expect(rule.matches(createEvent({ B: 1 }))).toBe(true);
    expect(rule.matches(createEvent({ C: 1 }))).toBe(false);
  });

  it('gates on the log source before the detection (an extra AND clause) and sees renamed fields', () => {
    const binding = compileSourceBinding(
      { id: 'security-4688', title: '4688', channel: 'Security', eventIds: [4688], fields: { A: 'NewProcessName' } },
      { category: 'process_creation', product: 'windows' },
      'mapping.yml',
    );
    const rule = compileValid(detection('sel_a'), { bindings: [binding] });
    const windowsEvent = (channel: string, eventId: number, fields: Record<string, number>) => ({ ...createEvent(fields), channel, eventId });
    expect(rule.matches(windowsEvent('Security', 4688, { NewProcessName: 1 }))).toBe(true);
    expect(rule.matches(windowsEvent('Security', 4688, { A: 1 }))).toBe(false);
    expect(rule.matches(windowsEvent('System', 7045, { NewProcessName: 1, A: 1 }))).toBe(false);
    // Flat events (no channel, no event id) are taken as already in Sigma taxonomy.
    expect(rule.matches(createEvent({ A: 1 }))).toBe(true);
    expect(rule.explain(windowsEvent('System', 7045, { A: 1 }))).toMatchObject({ matched: false, logsource: false });
  });
});
