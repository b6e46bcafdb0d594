import type { TestReport } from '../harness/test-report.js';
import type { AttackCatalog } from '../attack/catalog.js';
import { readAttackTags } from '../attack/tags.js';
import { compareTechniqueIds, referRule, type RuleRef } from './attack.js';

/** One technique entry of an ATT&CK Navigator layer (layer format 4.5, Technique object). */
export interface NavigatorTechnique {
  readonly techniqueID: string;
  readonly score: number;
  readonly comment: string;
  readonly enabled: boolean;
  readonly metadata: readonly { readonly name: string; readonly value: string }[];
}

/** An ATT&CK Navigator layer, the subset of layer format 4.5 this project writes. */
export interface NavigatorLayer {
  readonly name: string;
  readonly versions: { readonly attack?: string; readonly navigator: string; readonly layer: '4.5' };
  readonly domain: 'enterprise-attack';
  readonly description: string;
  readonly sorting: number;
  readonly layout: {
    readonly layout: 'side';
    readonly showID: boolean;
    readonly showName: boolean;
    readonly expandedSubtechniques: 'annotated';
  };
  readonly hideDisabled: boolean;
  readonly techniques: readonly NavigatorTechnique[];
  readonly gradient: { readonly colors: readonly string[]; readonly minValue: number; readonly maxValue: number };
  readonly legendItems: readonly { readonly label: string; readonly color: string }[];
  readonly metadata: readonly { readonly name: string; readonly value: string }[];
}

// Layer format 4.5 requires versions.navigator to be at least 4.9.0, the release that introduced it.
const NAVIGATOR_VERSION = '4.9.0';

/** Builds an ATT&CK Navigator layer with one entry per technique the pack tags, scored by rule count. */
export function renderNavigatorLayer(report: TestReport, attack?: AttackCatalog): NavigatorLayer {
  const byTechnique = new Map<string, RuleRef[]>();
  for (const rule of report.rules) {
    for (const id of readAttackTags(rule.tags).techniques) {
      const list = byTechnique.get(id) ?? [];
      list.push(referRule(rule));
      byTechnique.set(id, list);
    }
  }
  const techniques = [...byTechnique.entries()]
    .sort(([a], [b]) => compareTechniqueIds(a, b))
    .map(([techniqueID, rules]): NavigatorTechnique => {
      const failing = rules.filter((r) => !r.passed).length;
      const listed = rules.map((r) => `${r.title} (${r.file})${r.passed ? '' : ' [failing]'}`).join('; ');
      const comment = `${rules.length} rule${rules.length === 1 ? '' : 's'}${failing > 0 ? `, ${failing} failing` : ''}: ${listed}`;
      return {
        techniqueID,
        score: rules.length,
        comment,
        enabled: true,
        metadata: rules.map((r) => ({ name: r.passed ? 'rule' : 'rule (failing)', value: `${r.title} [${r.id}]` })),
      };
    });
  const maxScore = Math.max(1, ...techniques.map((t) => t.score));
  // versions.attack is the major release, as Navigator names its data sets ("18").
  const attackMajor = attack?.version.split('.')[0];
  const unknown = attack === undefined ? [] : [...byTechnique.keys()].filter((id) => attack.technique(id) === undefined);
  return {
    name: `${report.pack.name} ${report.pack.version}`,
    versions: { ...(attackMajor === undefined || attackMajor === '' ? {} : { attack: attackMajor }), navigator: NAVIGATOR_VERSION, layer: '4.5' },
    domain: 'enterprise-attack',
    description: `Techniques named by the attack.* tags of the rule pack ${report.pack.name} ${report.pack.version}; score = number of rules.`,
    // 3: techniques sorted by descending score inside each tactic.
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques,
    gradient: { colors: ['#dbeafe', '#1e3a8a'], minValue: 0, maxValue: maxScore },
    legendItems: [],
    metadata: [
      { name: 'rules', value: String(report.rules.length) },
      { name: 'verdict', value: report.passed ? 'pass' : 'fail' },
      ...(unknown.length === 0 ? [] : [{ name: `not in ATT&CK v${attack?.version ?? ''}`, value: unknown.join(', ') }]),
    ],
  };
}
