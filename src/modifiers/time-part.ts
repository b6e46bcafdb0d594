import type { TimePartUnit } from '../model/detection.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** The values each time part can take (spec v2.1 appendix "Time Modifiers"; ISO weeks run to 53). */
export const TIME_PART_RANGES: Readonly<Record<TimePartUnit, readonly [number, number]>> = {
  minute: [0, 59],
  hour: [0, 23],
  day: [1, 31],
  week: [1, 53],
  month: [1, 12],
  year: [0, 9999],
};

/** Builds the modifier for one time part: an integer compared with that part of the field's timestamp. */
export function timePartModifier<U extends TimePartUnit>(unit: U): ValueModifier & { readonly id: U } {
  const [low, high] = TIME_PART_RANGES[unit];
  return {
    id: unit,
    scope: 'value',
    description: `the ${unit} of the timestamp in the field equals the number`,
    apply(value) {
      if (value.kind !== 'number') return rejectKind(unit, value, 'a number');
      if (!Number.isInteger(value.value) || value.value < low || value.value > high) {
        return { ok: false, code: 'value/out-of-range', message: `'${unit}' expects an integer between ${low} and ${high}, got ${value.value}` };
      }
      return succeed({ kind: 'timepart', unit, value: value.value });
    },
  };
}
