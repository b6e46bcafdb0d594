import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { YamlPath } from '../load/yaml.js';
import { quote, readMapping, reportAt, suggestClosest, type CollectionLint, type LintDocument } from './lint.js';

/** The ids (any case) and names of every document validated, to resolve rule references. */
export interface ReferenceIndex {
  has(reference: string): boolean;
  readonly names: readonly string[];
}

/** Indexes the `id` and `name` of every document. */
export function indexReferences(documents: readonly LintDocument[]): ReferenceIndex {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const document of documents) {
    if (typeof document.raw.id === 'string') ids.add(document.raw.id.trim().toLowerCase());
    if (typeof document.raw.name === 'string') names.add(document.raw.name.trim());
  }
  return {
    has: (reference) => names.has(reference.trim()) || ids.has(reference.trim().toLowerCase()),
    names: [...names],
  };
}

/** The references of a `rules` field (a list, or a single text), each with its path. */
export function readRuleReferences(section: Readonly<Record<string, unknown>>, sectionKey: string): { reference: string; path: YamlPath }[] {
  const rules = section.rules;
  if (typeof rules === 'string') return [{ reference: rules, path: [sectionKey, 'rules'] }];
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((reference, index) => (typeof reference === 'string' ? [{ reference, path: [sectionKey, 'rules', index] }] : []));
}

/**
 * Reports the references of every document of `kind` that name no validated document, for the correlation and
 * filter reference lints. `wildcard` is a reference that means "every rule" (filters' `any`).
 */
export function findUnknownReferences(
  lint: CollectionLint,
  documents: readonly LintDocument[],
  kind: 'correlation' | 'filter',
  extraReferences: (document: LintDocument, section: Readonly<Record<string, unknown>>) => { reference: string; path: YamlPath; at: 'key' | 'value' }[],
  wildcard?: string,
): Diagnostic[] {
  const index = indexReferences(documents);
  const diagnostics: Diagnostic[] = [];
  for (const document of documents) {
    if (document.kind !== kind) continue;
    const section = readMapping(document.raw[kind]);
    if (!section) continue;
    const references = [
      ...readRuleReferences(section, kind).map((entry) => ({ ...entry, at: 'value' as const })),
      ...extraReferences(document, section),
    ];
    for (const { reference, path, at } of references) {
      if (reference === wildcard || index.has(reference)) continue;
      const suggestion = suggestClosest(reference, index.names);
      const hint = suggestion ? `; did you mean '${suggestion}'?` : '';
      diagnostics.push(reportAt(lint, document, path,
        `the ${kind} refers to the rule ${quote(reference)}, but no validated rule has that id or name${hint}`, at));
    }
  }
  return diagnostics;
}
