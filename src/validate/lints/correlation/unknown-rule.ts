import { readMapping, type CollectionLint } from '../../lint.js';
import { findUnknownReferences } from '../../rule-references.js';

/**
 * `correlation/unknown-rule` (warning): a correlation rule refers (in `correlation.rules`, or as a rule name in
 * `correlation.aliases`) to a rule that no validated document has as id or name (correlation rules
 * specification v2.1, "Related rules", "Aliases"). A warning: the rule may live outside the validated paths.
 */
export const unknownCorrelationRuleLint: CollectionLint = {
  scope: 'collection',
  code: 'correlation/unknown-rule',
  severity: 'warning',
  summary: 'A correlation rule refers to a rule that was not found.',
  help: 'Correlation rules refer to other rules by id or by name; check the spelling, add a name to the referred rule, or validate the folder that holds it too.',
  check(documents) {
    return findUnknownReferences(this, documents, 'correlation', (_document, section) => {
      const aliases = readMapping(section.aliases);
      if (!aliases) return [];
      return Object.entries(aliases).flatMap(([alias, mapping]) =>
        Object.keys(readMapping(mapping) ?? {}).map((reference) => ({
          reference,
          path: ['correlation', 'aliases', alias, reference],
          at: 'key' as const,
        })),
      );
    });
  },
};
