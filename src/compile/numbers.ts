/**
 * Reading numbers out of event values: Sigma compares numbers with numeric strings, since event
 * sources disagree on whether `EventID` is `4688` or `"4688"`.
 */
import type { Scalar } from './field-view.js';

const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const HEXADECIMAL = /^0[xX][0-9a-fA-F]+$/;

/** The number a scalar stands for: a number, or a decimal or `0x` hexadecimal string; else undefined. */
export function readNumber(scalar: Scalar): number | undefined {
  if (typeof scalar === 'number') return scalar;
  if (typeof scalar !== 'string') return undefined;
  const text = scalar.trim();
  if (text.length === 0 || text.length > 64) return undefined;
  if (DECIMAL.test(text)) return Number(text);
  // Windows logs write flags and ids in hex ("0x3e7"); YAML reads an unquoted 0x3e7 as the number 999.
  if (HEXADECIMAL.test(text)) return parseInt(text.slice(2), 16);
  return undefined;
}
