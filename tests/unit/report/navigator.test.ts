import { describe, expect, it } from 'vitest';
import { renderNavigatorLayer } from '../../../src/report/navigator.js';
import { chineseRule, failingRule, passingRule, sampleReport, smallAttack } from './fixtures.js';

describe('renderNavigatorLayer', () => {
  const layer = renderNavigatorLayer(sampleReport, smallAttack);

  it('declares layer format 4.5 for enterprise-attack and the ATT&CK major version', () => {
    expect(layer.versions).toEqual({ attack: '18', navigator: '4.9.0', layer: '4.5' });
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.name).toBe('sigma-dac 0.1.0');
    expect(renderNavigatorLayer(sampleReport).versions).toEqual({ navigator: '4.9.0', layer: '4.5' });
  });

  it('has one entry per technique tag, in id order, scored by the number of rules', () => {
    expect(layer.techniques.map((t) => [t.techniqueID, t.score])).toEqual([
      ['T1059.001', 1],
      ['T1078', 1],
      ['T1190', 1],
      ['T1505.003', 3],
      ['T1685', 1],
      ['T9999', 1],
    ]);
    expect(layer.gradient).toEqual({ colors: ['#dbeafe', '#1e3a8a'], minValue: 0, maxValue: 3 });
  });

  it('names the rules in the comment and the metadata, marking failing ones', () => {
    const webShell = layer.techniques.find((t) => t.techniqueID === 'T1505.003');
    expect(webShell?.comment).toBe(
      `3 rules, 1 failing: ${passingRule.title} (${passingRule.file}); ${failingRule.title} (${failingRule.file}) [failing]; ${chineseRule.title} (${chineseRule.file})`,
    );
    expect(webShell?.metadata).toEqual([
      { name: 'rule', value: `${passingRule.title} [${passingRule.id}]` },
      { name: 'rule (failing)', value: `${failingRule.title} [${failingRule.id}]` },
      { name: 'rule', value: `${chineseRule.title} [${chineseRule.id}]` },
    ]);
  });

  it('lists the ids the ATT&CK data does not know', () => {
    expect(layer.metadata).toContainEqual({ name: 'not in ATT&CK v18.1', value: 'T1685, T9999' });
  });

  it('survives JSON round-trip with Chinese text and hostile titles intact', () => {
    const parsed = JSON.parse(JSON.stringify(layer)) as typeof layer;
    expect(parsed).toEqual(layer);
    expect(parsed.techniques.find((t) => t.techniqueID === 'T1059.001')?.comment).toContain('Web服务产生的可疑进程');
  });

  it('gives an empty pack a valid gradient', () => {
    const empty = renderNavigatorLayer({ ...sampleReport, rules: [] }, smallAttack);
    expect(empty.techniques).toEqual([]);
    expect(empty.gradient.maxValue).toBeGreaterThan(empty.gradient.minValue);
  });
});
