/**
 * Table-driven conformance corpus: every file in cases/ lists detections, events and the verdicts the
 * Sigma specification v2.1 (or pySigma, where it is silent) gives; `source` says which. Invalid rules
 * list the diagnostic codes they must produce.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../src/compile/event-record.js';
import { buildRule, createEvent } from '../unit/compile/rule-fixture.js';

interface EventCase {
  readonly event: Record<string, FieldValue>;
  readonly match: boolean;
  readonly note?: string;
}

interface ConformanceCase {
  readonly name: string;
  readonly source: string;
  readonly detection: string;
  readonly events?: readonly EventCase[];
  readonly diagnostics?: readonly string[];
  readonly valid?: boolean;
}

const CASES = fileURLToPath(new URL('./cases/', import.meta.url));
const files = readdirSync(CASES).filter((name) => name.endsWith('.yml')).sort();

describe.each(files)('%s', (file) => {
  const cases = load(readFileSync(path.join(CASES, file), 'utf8')) as ConformanceCase[];

  it('is well-formed: every case names its source and has events or expected diagnostics', () => {
    for (const entry of cases) {
      expect(entry.name, file).toBeTypeOf('string');
      expect(entry.source, entry.name).toBeTypeOf('string');
      expect((entry.events?.length ?? 0) + (entry.diagnostics?.length ?? 0), entry.name).toBeGreaterThan(0);
    }
  });

  describe.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const { compiled, diagnostics } = buildRule(entry.detection);

    if (entry.diagnostics) {
      it(`reports ${entry.diagnostics.join(', ')}`, () => {
        expect(diagnostics.map((d) => d.code).sort()).toEqual([...entry.diagnostics!].sort());
        expect(compiled !== undefined).toBe(entry.valid === true);
      });
    }

    for (const [index, { event, match, note }] of (entry.events ?? []).entries()) {
      it(`event ${index} ${match ? 'matches' : 'does not match'}${note ? ` (${note})` : ''}: ${JSON.stringify(event)}`, () => {
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(compiled?.matches(createEvent(event))).toBe(match);
      });
    }
  });
});
