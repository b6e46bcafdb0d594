import { describe, expect, it } from 'vitest';
import { CappedText } from '../../../src/events/capped-text.js';

describe('CappedText', () => {
  it('joins the pieces of a record up to the cap', () => {
    const text = new CappedText(6);
    expect(text.isEmpty).toBe(true);
    text.append('abc');
    text.append('');
    text.append('def');
    expect([text.isEmpty, text.overflowed, text.text()]).toEqual([false, false, 'abcdef']);
  });

  it('keeps nothing once the record passes the cap, until reset', () => {
    const text = new CappedText(6);
    text.append('abcd');
    text.append('efg');
    text.append('h');
    expect([text.isEmpty, text.overflowed, text.text()]).toEqual([false, true, '']);
    text.reset();
    expect(text.isEmpty).toBe(true);
    text.append('xy');
    expect(text.text()).toBe('xy');
    text.markOverflowed();
    expect([text.overflowed, text.text()]).toEqual([true, '']);
  });
});
