/**
 * What an `attack.*` tag names (Sigma tags appendix v2.1, namespace `attack`): a technique `tNNNN[.NNN]`,
 * a group `gNNNN`, software `sNNNN`, a data source, mitigation or asset (`dsNNNN`, `mNNNN`, `aNNNN`),
 * or else a tactic by its shortname.
 */
export type AttackTag =
  | { readonly kind: 'technique'; readonly id: string }
  | { readonly kind: 'group'; readonly id: string }
  | { readonly kind: 'software'; readonly id: string }
  | { readonly kind: 'other-object'; readonly id: string }
  | {
      readonly kind: 'tactic';
      /** The shortname with underscores turned into hyphens (`privilege-escalation`). */
      readonly shortname: string;
      /** The name as written after `attack.`. */
      readonly written: string;
    };

const TECHNIQUE = /^t\d{4}(?:\.\d{3})?$/i;
const GROUP = /^g\d{4}$/i;
const SOFTWARE = /^s\d{4}$/i;
// Data sources, mitigations and assets: valid tags, but the project's ATT&CK copy does not list them.
const OTHER_OBJECT = /^(?:ds|m|a)\d{4}$/i;

/** Reads an `attack.*` tag; undefined for tags of other namespaces. */
export function classifyAttackTag(tag: string): AttackTag | undefined {
  if (!tag.toLowerCase().startsWith('attack.')) return undefined;
  const value = tag.slice('attack.'.length);
  if (TECHNIQUE.test(value)) return { kind: 'technique', id: value.toUpperCase() };
  if (GROUP.test(value)) return { kind: 'group', id: value.toUpperCase() };
  if (SOFTWARE.test(value)) return { kind: 'software', id: value.toUpperCase() };
  if (OTHER_OBJECT.test(value)) return { kind: 'other-object', id: value.toUpperCase() };
  return { kind: 'tactic', shortname: value.toLowerCase().replaceAll('_', '-'), written: value };
}

/** The tags of a document with their positions in the `tags` list (non-text items are skipped). */
export function readTags(raw: Readonly<Record<string, unknown>>): { readonly tag: string; readonly index: number }[] {
  const tags = raw.tags;
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((tag, index) => (typeof tag === 'string' ? [{ tag, index }] : []));
}

/** The ATT&CK ids a rule's tags name: techniques upper-cased (`T1505.003`), tactics as shortnames. */
export interface AttackTags {
  readonly techniques: readonly string[];
  readonly tactics: readonly string[];
}

// A tactic is written as words joined by hyphens, or underscores in older rules
// (`attack.privilege_escalation`); anything else, e.g. a malformed technique id like
// `t1505.03`, names nothing the reports can place.
const TACTIC_WRITTEN = /^[a-z]+(?:[-_][a-z]+)*$/i;

/** Reads the `attack.*` tags of a rule into technique ids and tactic shortnames, without duplicates. */
export function readAttackTags(tags: readonly string[]): AttackTags {
  const techniques = new Set<string>();
  const tactics = new Set<string>();
  for (const tag of tags) {
    const attack = classifyAttackTag(tag);
    if (attack?.kind === 'technique') techniques.add(attack.id);
    else if (attack?.kind === 'tactic' && TACTIC_WRITTEN.test(attack.written)) tactics.add(attack.shortname);
  }
  return { techniques: [...techniques], tactics: [...tactics] };
}
