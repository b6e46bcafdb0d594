import type { Diagnostic, Severity } from './diagnostic.js';

/** Warnings and notes of one code shown in text output before the rest are counted instead. */
export const SHOWN_PER_CODE = 10;

/** The diagnostics of one code left out of a condensed listing. */
export interface HiddenDiagnostics {
  readonly code: string;
  readonly severity: Severity;
  readonly count: number;
}

/**
 * Condenses a listing for people: every error is kept, and of the warnings and notes of each code only
 * the first `perCode` (in the given order); the rest are counted per code, so a corpus where one lint fires
 * thousands of times still shows the few other findings. Machine formats never condense.
 */
export function condenseDiagnostics(
  diagnostics: readonly Diagnostic[],
  perCode: number = SHOWN_PER_CODE,
): { readonly shown: Diagnostic[]; readonly hidden: HiddenDiagnostics[] } {
  const seen = new Map<string, number>();
  const hidden = new Map<string, { severity: Severity; count: number }>();
  const shown: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const key = `${diagnostic.severity} ${diagnostic.code}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (diagnostic.severity === 'error' || count <= perCode) {
      shown.push(diagnostic);
      continue;
    }
    const entry = hidden.get(key) ?? { severity: diagnostic.severity, count: 0 };
    entry.count += 1;
    hidden.set(key, entry);
  }
  return {
    shown,
    hidden: [...hidden].map(([key, { severity, count }]) => ({ code: key.slice(key.indexOf(' ') + 1), severity, count })),
  };
}

const plural = (count: number, word: string): string => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

/** The line that stands for diagnostics left out: `... and 2,400 more tag/unknown-attack-id warnings; --verbose lists them`. */
export function formatHidden(hidden: HiddenDiagnostics): string {
  return `... and ${plural(hidden.count, `more ${hidden.code} ${hidden.severity}`)}; --verbose lists them`;
}

/** Counts per code, most frequent first: `121 tag/tactic-mismatch, 3 rule/missing-id`. */
export function countByCode(diagnostics: readonly Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const diagnostic of diagnostics) counts.set(diagnostic.code, (counts.get(diagnostic.code) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([code, count]) => `${count.toLocaleString('en-US')} ${code}`)
    .join(', ');
}
