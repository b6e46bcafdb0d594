import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { quote, reportAt, type CollectionLint, type LintDocument } from './lint.js';

/**
 * Reports every document whose top-level `field` (text) is shared with another document, at each place,
 * naming the other places; shared by the duplicate id and duplicate name lints.
 */
export function findDuplicates(lint: CollectionLint, documents: readonly LintDocument[], field: 'id' | 'name'): Diagnostic[] {
  const byValue = new Map<string, LintDocument[]>();
  for (const document of documents) {
    const value = document.raw[field];
    if (typeof value !== 'string' || value.trim() === '') continue;
    // UUIDs compare case-insensitively (RFC 4122 §3); names as written.
    const key = field === 'id' ? value.trim().toLowerCase() : value.trim();
    byValue.set(key, [...(byValue.get(key) ?? []), document]);
  }
  const diagnostics: Diagnostic[] = [];
  for (const holders of byValue.values()) {
    if (holders.length < 2) continue;
    const places = holders.map((holder) => {
      const at = holder.source.locate([field]);
      return `${holder.file}:${at.line}:${at.column}`;
    });
    holders.forEach((holder, index) => {
      const others = places.filter((_, other) => other !== index);
      const listed = others.slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
      const written = String(holder.raw[field]).trim();
      diagnostics.push(reportAt(lint, holder, [field], `the ${field} ${quote(written)} is also used at ${listed}; every rule needs its own ${field}`));
    });
  }
  return diagnostics;
}
