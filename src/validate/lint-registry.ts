import type { Lint } from './lint.js';
import { unknownCorrelationRuleLint } from './lints/correlation/unknown-rule.js';
import { unknownFilterRuleLint } from './lints/filter/unknown-rule.js';
import { unmappedLogSourceLint } from './lints/logsource/unmapped.js';
import { deprecatedWithoutRelatedLint } from './lints/rule/deprecated-without-related.js';
import { duplicateIdLint } from './lints/rule/duplicate-id.js';
import { duplicateNameLint } from './lints/rule/duplicate-name.js';
import { misspelledFieldLint } from './lints/rule/misspelled-field.js';
import { missingIdLint } from './lints/rule/missing-id.js';
import { modifiedBeforeDateLint } from './lints/rule/modified-before-date.js';
import { deprecatedAttackIdLint } from './lints/tag/deprecated-attack-id.js';
import { invalidTagValueLint } from './lints/tag/invalid-value.js';
import { oldTacticNameLint } from './lints/tag/old-tactic-name.js';
import { tacticMismatchLint } from './lints/tag/tactic-mismatch.js';
import { unknownAttackIdLint } from './lints/tag/unknown-attack-id.js';

/**
 * Every lint `dac validate` runs, by code. Each lives in `lints/<code>.ts`; the registry is closed with
 * `satisfies` so a lint's key and its module stay in one place.
 */
export const lintRegistry = {
  'rule/duplicate-id': duplicateIdLint,
  'rule/duplicate-name': duplicateNameLint,
  'rule/missing-id': missingIdLint,
  'rule/modified-before-date': modifiedBeforeDateLint,
  'rule/deprecated-without-related': deprecatedWithoutRelatedLint,
  'rule/misspelled-field': misspelledFieldLint,
  'tag/unknown-attack-id': unknownAttackIdLint,
  'tag/deprecated-attack-id': deprecatedAttackIdLint,
  'tag/old-tactic-name': oldTacticNameLint,
  'tag/tactic-mismatch': tacticMismatchLint,
  'tag/invalid-value': invalidTagValueLint,
  'correlation/unknown-rule': unknownCorrelationRuleLint,
  'filter/unknown-rule': unknownFilterRuleLint,
  'logsource/unmapped': unmappedLogSourceLint,
} as const satisfies Record<string, Lint>;

/** A code of a registered lint. */
export type LintCode = keyof typeof lintRegistry;

/** The registered lints, in registry order. */
export function listLints(): readonly Lint[] {
  return Object.values(lintRegistry);
}
