import type { SourceBinding } from './mapping.js';

/** A field a rule reads that one of its sources never (or, on some event versions, does not) provide. */
export interface UnavailableFieldReport {
  readonly field: string;
  /** The source's title, e.g. "Security event 4688 (a new process has been created)". */
  readonly source: string;
  readonly reason: string;
}

/**
 * Fields a rule uses that a source cannot provide, for the "blind spot" warning (rule + log source named).
 * One report per field and source, in the order of `fields` then `bindings`; a field unavailable only
 * on some event versions says which.
 */
export function findUnavailableFields(fields: readonly string[], bindings: readonly SourceBinding[]): readonly UnavailableFieldReport[] {
  const reports: UnavailableFieldReport[] = [];
  for (const field of new Set(fields)) {
    for (const binding of bindings) {
      const entry = binding.unavailable.find((candidate) => candidate.field === field);
      if (!entry) continue;
      const reason = entry.versions ? `${entry.reason} (event versions ${entry.versions.join(', ')})` : entry.reason;
      reports.push({ field, source: binding.title, reason });
    }
  }
  return reports;
}
