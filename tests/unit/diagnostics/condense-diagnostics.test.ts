import { describe, expect, it } from 'vitest';
import { condenseDiagnostics, countByCode, formatHidden } from '../../../src/diagnostics/condense-diagnostics.js';
import { createDiagnostic, type Diagnostic, type Severity } from '../../../src/diagnostics/diagnostic.js';

const at = (line: number, code: string, severity: Severity = 'warning'): Diagnostic =>
  createDiagnostic('rule.yml', { line, column: 1 }, code, severity, `finding ${line}`);

describe('condenseDiagnostics', () => {
  it('keeps the first warnings of each code, counts the rest, and keeps every error', () => {
    const many = Array.from({ length: 25 }, (_, i) => at(i + 1, 'tag/tactic-mismatch'));
    const errors = Array.from({ length: 12 }, (_, i) => at(100 + i, 'schema/required', 'error'));
    const others = [at(200, 'tag/unknown-attack-id'), at(201, 'tag/unknown-attack-id', 'note')];
    const { shown, hidden } = condenseDiagnostics([...many, ...errors, ...others], 10);
    expect(shown).toEqual([...many.slice(0, 10), ...errors, ...others]);
    expect(hidden).toEqual([{ code: 'tag/tactic-mismatch', severity: 'warning', count: 15 }]);
  });

  it('hides nothing when no code passes the limit', () => {
    const few = [at(1, 'a/b'), at(2, 'a/b'), at(3, 'c/d')];
    expect(condenseDiagnostics(few, 2)).toEqual({ shown: few, hidden: [] });
  });
});

describe('formatHidden and countByCode', () => {
  it('word the left-out count and the counts per code for people', () => {
    expect(formatHidden({ code: 'tag/unknown-attack-id', severity: 'warning', count: 2400 })).toBe(
      '... and 2,400 more tag/unknown-attack-id warnings; --verbose lists them',
    );
    expect(formatHidden({ code: 'x/y', severity: 'note', count: 1 })).toBe('... and 1 more x/y note; --verbose lists them');
    expect(countByCode([at(1, 'b/x'), at(2, 'a/y'), at(3, 'b/x')])).toBe('2 b/x, 1 a/y');
  });
});
