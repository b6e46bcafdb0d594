import { RE2JS } from 're2js';
import { reject, succeed, type ValueModifier } from './modifier.js';

/** Why re2js cannot compile a pattern (backreferences, lookaround, bad syntax), or undefined when it can. */
export function checkRegex(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * `re`: the value is a regular expression, case-sensitive unless `i` follows (spec appendix "Regular
 * Expression"). As in pySigma it takes the value exactly as written (no wildcard or escape processing)
 * and must come first in the chain. Patterns run on re2js, so matching is linear in the input.
 */
export const re = {
  id: 're',
  scope: 'value',
  description: 'the value is a regular expression',
  apply(_value, context) {
    if (context.applied.length > 0) return reject('re', `must be the first modifier, not after '${context.applied.join('|')}'`);
    if (typeof context.raw !== 'string') return reject('re', `expects a string pattern, got ${context.raw === null ? 'null' : typeof context.raw}`);
    const problem = checkRegex(context.raw);
    if (problem !== undefined) {
      return { ok: false, code: 'value/invalid-regex', message: `the regular expression cannot be compiled in linear time (re2 syntax): ${problem}` };
    }
    return succeed({ kind: 'regex', pattern: context.raw, flags: { i: false, m: false, s: false }, placeholders: false });
  },
} as const satisfies ValueModifier;
