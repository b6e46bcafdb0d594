import { describe, expect, it } from 'vitest';
import { computeCrc32, updateCrc32 } from '../../../../src/events/evtx/crc32.js';

describe('computeCrc32', () => {
  it('matches the RFC 1952 check value for "123456789"', () => {
    expect(computeCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('is 0 for no bytes and honours the range', () => {
    const bytes = new TextEncoder().encode('xx123456789yy');
    expect(computeCrc32(bytes, 0, 0)).toBe(0);
    expect(computeCrc32(bytes, 2, 11)).toBe(0xcbf43926);
  });

  it('continues across split ranges as if they were one', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(updateCrc32(computeCrc32(bytes, 0, 4), bytes, 4, 9)).toBe(0xcbf43926);
  });
});
