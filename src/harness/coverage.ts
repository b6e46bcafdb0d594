import type { RuleExplanation } from '../compile/explanation.js';
import type { ConditionNode } from '../model/condition.js';
import type { Detection } from '../model/detection.js';
import { selectIdentifiers } from '../parse/condition.js';
import type { ReplayedEvent } from './golden.js';
import type { CoverageResult } from './test-report.js';

/** Whether an identifier counts towards a match (positive), against one (negative, under `not`), or both. */
export type Polarity = { positive: boolean; negative: boolean };

/** Finds each identifier's polarity in the conditions, so filter values are covered by the events they exclude. */
export function findPolarities(detection: Detection): Map<string, Polarity> {
  const names = [...detection.identifiers.keys()];
  const polarities = new Map<string, Polarity>(names.map((name) => [name, { positive: false, negative: false }]));
  const mark = (name: string, negated: boolean): void => {
    const polarity = polarities.get(name);
    if (polarity) polarity[negated ? 'negative' : 'positive'] = true;
  };
  const walk = (node: ConditionNode, negated: boolean): void => {
    switch (node.kind) {
      case 'identifier':
        return mark(node.name, negated);
      case 'of':
        return selectIdentifiers(node.target, names).forEach((name) => mark(name, negated));
      case 'not':
        return walk(node.operand, !negated);
      case 'and':
      case 'or':
        return node.operands.forEach((operand) => walk(operand, negated));
    }
  };
  for (const condition of detection.conditions) walk(condition.ast, false);
  return polarities;
}

const isTruePositive = (event: ReplayedEvent): boolean => event.result.expected !== 'no-match' && event.result.got === 'match';
const isTrueNegative = (event: ReplayedEvent): boolean => event.result.expected === 'no-match' && event.result.got === 'no-match';

/** A condition of the MC/DC analysis: an identifier, or one item inside an identifier. */
interface Condition {
  readonly label: string;
  readonly read: (explanation: RuleExplanation) => boolean;
  /** The other conditions that must stay equal while this one flips. */
  readonly peers: () => readonly Condition[];
}

function listConditions(sample: RuleExplanation): Condition[] {
  const identifierConditions: Condition[] = [];
  const itemConditions: Condition[] = [];
  sample.identifiers.forEach((identifier, i) => {
    identifierConditions.push({
      label: `identifier ${identifier.name}`,
      read: (explanation) => explanation.identifiers[i]?.matched ?? false,
      peers: () => identifierConditions,
    });
    if (identifier.items.length < 2) return;
    identifier.items.forEach((item, j) => {
      itemConditions.push({
        label: `${identifier.name}: ${item.field ?? 'keywords'}${item.modifiers.map((m) => `|${m}`).join('')} (line ${item.source.position.line})`,
        read: (explanation) => explanation.identifiers[i]?.items[j]?.matched ?? false,
        peers: () => itemConditions,
      });
    });
  });
  return [...identifierConditions, ...itemConditions];
}

/** True when two events differ in `condition` alone among its peers, and the verdicts differ (unique-cause MC/DC). */
function showsIndependence(condition: Condition, a: RuleExplanation, b: RuleExplanation): boolean {
  if (condition.read(a) === condition.read(b) || a.matched === b.matched) return false;
  return condition.peers().every((peer) => peer === condition || peer.read(a) === peer.read(b));
}

const percent = (covered: number, total: number): number => (total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10);

/**
 * Logic coverage of a rule by its golden events: every value hit by a true positive (values of
 * filters: by a true negative they excluded), and every identifier and detection item shown to matter
 * by a pair of events that differ in it alone and get different verdicts.
 */
export function computeCoverage(detection: Detection, events: readonly ReplayedEvent[]): CoverageResult {
  const polarities = findPolarities(detection);
  const relevant = events.filter((event) => event.explanation.logsource);
  const sample = relevant[0]?.explanation ?? events[0]?.explanation;
  if (!sample) {
    return { values: { covered: 0, total: 0, uncovered: [] }, conditions: { covered: 0, total: 0, uncovered: [] }, percent: 0 };
  }

  const uncoveredValues: string[] = [];
  let totalValues = 0;
  sample.identifiers.forEach((identifier, i) => {
    const polarity = polarities.get(identifier.name) ?? { positive: true, negative: false };
    identifier.items.forEach((item, j) => {
      item.values.forEach((value, k) => {
        totalValues += 1;
        const covered = relevant.some((event) => {
          const hit = event.explanation.identifiers[i]?.items[j]?.values[k]?.matched ?? false;
          return hit && ((polarity.positive && isTruePositive(event)) || (polarity.negative && isTrueNegative(event)));
        });
        if (!covered) {
          uncoveredValues.push(`${identifier.name}: ${item.field ?? 'keywords'} = ${value.value} (line ${value.source.position.line})`);
        }
      });
    });
  });

  const conditions = listConditions(sample);
  const uncoveredConditions = conditions
    .filter((condition) => !relevant.some((a, index) => relevant.slice(index + 1).some((b) => showsIndependence(condition, a.explanation, b.explanation))))
    .map((condition) => condition.label);

  const values = { covered: totalValues - uncoveredValues.length, total: totalValues, uncovered: uncoveredValues };
  const conditionCoverage = { covered: conditions.length - uncoveredConditions.length, total: conditions.length, uncovered: uncoveredConditions };
  return {
    values,
    conditions: conditionCoverage,
    percent: Math.min(percent(values.covered, values.total), percent(conditionCoverage.covered, conditionCoverage.total)),
  };
}
