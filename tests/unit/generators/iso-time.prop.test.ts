import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoSeconds, millisecondsOf } from '../../../generators/iso-time.js';

describe('ISO times of the renderers', () => {
  it('agree with Date.prototype.toISOString for any time, in any order (the per-second cache never goes stale)', () => {
    const time = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });
    fc.assert(
      fc.property(fc.array(time, { minLength: 1, maxLength: 8 }), (times) => {
        for (const ms of times) {
          const iso = new Date(ms).toISOString();
          expect(`${formatIsoSeconds(ms)}.${String(millisecondsOf(ms)).padStart(3, '0')}Z`).toBe(iso);
        }
      }),
    );
  });

  it('keeps neighbouring times in the same second and across a second boundary apart', () => {
    expect(formatIsoSeconds(Date.UTC(2026, 10, 28, 12, 0, 0, 999))).toBe('2026-11-28T12:00:00');
    expect(formatIsoSeconds(Date.UTC(2026, 10, 28, 12, 0, 1, 0))).toBe('2026-11-28T12:00:01');
    expect(millisecondsOf(-1)).toBe(999);
  });
});
