/**
 * The places of a rule's detection an operator can change: its detection items with the map they sit
 * in, its lists of alternatives, and the names mutants give them.
 */
import type { DetectionAnd, DetectionItem, DetectionNode, DetectionOr, YamlPath } from '../model/detection.js';
import type { SigmaRule } from '../model/rule.js';

/** A detection item, with its search identifier and the map (AND of fields) it is an entry of, if any. */
export interface ItemSite {
  readonly identifier: string;
  readonly item: DetectionItem;
  readonly map?: DetectionAnd;
}

/** Every detection item of a rule, in the order written. */
export function listItems(rule: SigmaRule): ItemSite[] {
  const sites: ItemSite[] = [];
  const visit = (identifier: string, node: DetectionNode, map: DetectionAnd | undefined): void => {
    if (node.kind === 'item') sites.push({ identifier, item: node, ...(map === undefined ? {} : { map }) });
    else for (const child of node.items) visit(identifier, child, node.kind === 'and' ? node : undefined);
  };
  for (const identifier of rule.detection.identifiers.values()) visit(identifier.name, identifier.body, undefined);
  return sites;
}

/** Every map (AND of fields) and list of alternatives (OR of bodies) of a rule's detection. */
export function listGroups(rule: SigmaRule): (DetectionAnd | DetectionOr)[] {
  const groups: (DetectionAnd | DetectionOr)[] = [];
  const visit = (node: DetectionNode): void => {
    if (node.kind === 'item') return;
    groups.push(node);
    node.items.forEach(visit);
  };
  for (const identifier of rule.detection.identifiers.values()) visit(identifier.body);
  return groups;
}

/** Names a place of the detection by its YAML path below `detection`: `selection_child/Image|endswith`. */
export function describePath(path: YamlPath): string {
  const below = path[0] === 'detection' ? path.slice(1) : path;
  return below.map(String).join('/');
}

/** True when an item's values were written as a YAML list (each value has a path of its own). */
export function isWrittenAsList(item: DetectionItem): boolean {
  return item.valueRefs.some((ref) => ref.path.length > item.key.path.length);
}

/** The field name and modifier chain of an item's key, as written. */
export function splitKey(item: DetectionItem): { field: string; chain: string[] } {
  const key = String(item.key.path[item.key.path.length - 1] ?? '');
  const [field = '', ...chain] = key.split('|');
  return { field, chain };
}

/** Writes a key from its field and modifier chain. */
export function joinKey(field: string, chain: readonly string[]): string {
  return [field, ...chain].join('|');
}

/** Shows a value as its rule text, quoted, for mutant names. */
export function showOriginal(original: string): string {
  return `'${original}'`;
}
