import { describe, expect, it } from 'vitest';
import { InvalidOffsetQueue } from '../../../src/events/invalid-offsets.js';

describe('InvalidOffsetQueue', () => {
  it('says whether a range holds an offset and consumes the offsets before its end', () => {
    const queue = new InvalidOffsetQueue();
    queue.add([3, 10]);
    queue.add([25]);
    expect(queue.take(0, 3)).toBe(false);
    expect(queue.peek()).toBe(3);
    expect(queue.take(11, 12)).toBe(false); // 3 and 10 lie before the range: consumed, not found
    expect(queue.peek()).toBe(25);
    expect(queue.take(20, 30)).toBe(true);
    expect(queue.peek()).toBeUndefined();
  });

  it('stays right after dropping what it consumed', () => {
    const queue = new InvalidOffsetQueue();
    queue.add(Array.from({ length: 3000 }, (_, i) => i * 2));
    for (let i = 0; i < 1500; i += 1) expect(queue.take(i * 2, i * 2 + 1)).toBe(true);
    expect(queue.peek()).toBe(3000);
    expect(queue.take(3001, 3002)).toBe(false);
    expect(queue.take(3003, 3005)).toBe(true);
  });
});
