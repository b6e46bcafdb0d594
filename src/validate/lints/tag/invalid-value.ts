import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { readTags } from '../../../attack/tags.js';
import { reportAt, type DocumentLint } from '../../lint.js';

// The closed or formatted namespaces of the Sigma tags appendix v2.1; other namespaces are free.
const RULES: ReadonlyMap<string, { readonly valid: RegExp; readonly expected: string }> = new Map(Object.entries({
  detection: { valid: /^(?:dfir|emerging-threats|threat-hunting)$/, expected: 'detection.dfir, detection.emerging-threats or detection.threat-hunting' },
  tlp: { valid: /^(?:red|amber|amber-strict|green|clear)$/, expected: 'tlp.red, tlp.amber, tlp.amber-strict, tlp.green or tlp.clear' },
  stp: { valid: /^[1-5][auk]?$/, expected: 'stp.N or stp.NX with N from 1 to 5 and X one of a, u, k (e.g. stp.3k)' },
  cve: { valid: /^\d{4}-\d{4,}$/, expected: 'cve.YYYY-NNNN, such as cve.2021-44228' },
  car: { valid: /^\d{4}-\d{2}-\d{3}$/, expected: 'car.YYYY-MM-NNN, such as car.2016-04-005' },
}));

/**
 * `tag/invalid-value` (warning): a tag of a namespace whose values the Sigma tags appendix v2.1 fixes, with a
 * value it does not allow: `detection.*` (dfir, emerging-threats, threat-hunting), `tlp.*` (FIRST TLP levels),
 * `stp.*` (Summiting the Pyramid scores), `cve.YYYY-NNNN` and `car.YYYY-MM-NNN`. Other namespaces are free.
 */
export const invalidTagValueLint: DocumentLint = {
  scope: 'document',
  code: 'tag/invalid-value',
  severity: 'warning',
  summary: 'A tag of a standard namespace has a value the Sigma tags appendix does not define.',
  help: 'Use the values of the Sigma tags appendix: detection.dfir|emerging-threats|threat-hunting, tlp.red|amber|amber-strict|green|clear, stp.1-5 with optional a/u/k, cve.YYYY-NNNN, car.YYYY-MM-NNN.',
  check(document) {
    const diagnostics: Diagnostic[] = [];
    for (const { tag, index } of readTags(document.raw)) {
      const dot = tag.indexOf('.');
      if (dot <= 0) continue;
      // A Map, not an object: a tag such as `constructor.x` must not find Object.prototype members.
      const rule = RULES.get(tag.slice(0, dot));
      if (!rule || rule.valid.test(tag.slice(dot + 1))) continue;
      diagnostics.push(reportAt(this, document, ['tags', index], `'${tag}' is not a valid ${tag.slice(0, dot)} tag; expected ${rule.expected}`));
    }
    return diagnostics;
  },
};
