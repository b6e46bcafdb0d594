import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { validateSources } from '../../../src/validate/validate-files.js';

const SIGMA_KEYS = ['title', 'id', 'name', 'related', 'status', 'description', 'author', 'references', 'date', 'modified',
  'logsource', 'detection', 'fields', 'falsepositives', 'level', 'tags', 'scope', 'correlation', 'filter'] as const;

/** Documents shaped like Sigma documents, whose fields hold anything JSON can. */
const sigmaLikeDocument = fc.dictionary(fc.constantFrom(...SIGMA_KEYS), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 });

function expectWellFormed(diagnostics: readonly Diagnostic[], file: string): void {
  for (const d of diagnostics) {
    expect(d.file).toBe(file);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(['error', 'warning', 'note']).toContain(d.severity);
    expect(d.code).toMatch(/^[a-z]+\/[A-Za-z-]+$/);
    expect(d.message).not.toMatch(/[\n\r\u2028\u2029]/);
  }
}

describe('validateSources on arbitrary documents', () => {
  it('never throws, and every diagnostic is well formed and on one line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }), sigmaLikeDocument), (document) => {
        // JSON is YAML 1.2 flow style, so any JSON value is a rule text the loader reads.
        const diagnostics = validateSources([{ file: 'p.yml', text: JSON.stringify(document) ?? 'null' }]);
        expectWellFormed(diagnostics, 'p.yml');
        if (typeof document !== 'object' || document === null || Array.isArray(document)) {
          expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const RULE = (status: string) => `title: Property
id: 0c5e8a3b-6f2d-4e1a-9b7c-8d9e0f1a2b3c
status: ${status}
date: 2025-01-01
logsource:
    product: windows
detection:
    selection:
        EventID: 1
    condition: selection
level: low
`;

const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
// Printable text: YAML refuses control and unassigned characters even inside quotes.
const printableText = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => /^\P{C}*$/u.test(s) && !STATUSES.includes(s));

describe('one defect, one diagnostic', () => {
  it('reports any status outside the enum once, at the status value, quoting it', () => {
    fc.assert(
      fc.property(printableText, (status) => {
        const diagnostics = validateSources([{ file: 'status.yml', text: RULE(JSON.stringify(status)) }]);
        expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['schema/enum 3:9']);
        expect(diagnostics[0]?.message).toContain('must be one of stable, test, experimental, deprecated or unsupported');
      }),
      { numRuns: 200 },
    );
  });

  it('accepts every status of the enum', () => {
    for (const status of STATUSES.filter((s) => s !== 'deprecated')) {
      expect(validateSources([{ file: 'ok.yml', text: RULE(status) }])).toEqual([]);
    }
  });
});
