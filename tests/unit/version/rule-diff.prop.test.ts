import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compareVerdicts } from '../../../src/version/rule-diff.js';

// Two versions' verdicts over the same events.
const verdictPairs = fc
  .integer({ min: 0, max: 12 })
  .chain((length) => fc.tuple(fc.array(fc.boolean(), { minLength: length, maxLength: length }), fc.array(fc.boolean(), { minLength: length, maxLength: length })));

const firing = (verdicts: readonly boolean[]): Set<number> => new Set(verdicts.flatMap((fired, index) => (fired ? [index] : [])));

describe('compareVerdicts properties', () => {
  test.prop([verdictPairs])('swapping the versions swaps widened and narrowed', ([before, after]) => {
    const swap = { widened: 'narrowed', narrowed: 'widened', changed: 'changed', same: 'same' } as const;
    expect(compareVerdicts(after, before)).toBe(swap[compareVerdicts(before, after)]);
  });

  test.prop([verdictPairs])('the judgement is the relation between the sets of events each version fires on', ([before, after]) => {
    const was = firing(before);
    const is = firing(after);
    const gained = [...is].some((event) => !was.has(event));
    const lost = [...was].some((event) => !is.has(event));
    const expected = gained && lost ? 'changed' : gained ? 'widened' : lost ? 'narrowed' : 'same';
    expect(compareVerdicts(before, after)).toBe(expected);
  });

  test.prop([fc.array(fc.boolean(), { maxLength: 12 })])('a version compared with itself is the same', (verdicts) => {
    expect(compareVerdicts(verdicts, verdicts)).toBe('same');
  });
});
