import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMarkdownSummary } from '../../../src/report/markdown.js';
import { renderSarifReport } from '../../../src/report/sarif-report.js';
import { describeUntestedRules, formatRuleLines, formatRunSummary } from '../../../src/cli/test.js';
import { brokenPackReport, gappyRule, notLoadedRule, smallAttack } from './fixtures.js';
import { findAll, parseXml } from './xml-tree.js';

/** A pack of two rules, one of which does not load: no report may lose it or miscount. */
describe('a rule that does not load, and gaps, in every report', () => {
  it('console: counts as without golden events only the rules with no rule-test.yml, not a rule that did not load', () => {
    expect(describeUntestedRules(brokenPackReport)).toBeUndefined();
    const untestedRule = { ...gappyRule, gaps: [{ kind: 'no-golden-events' as const, message: 'no golden events: tests/rules/x/rule-test.yml does not exist', fails: false }] };
    expect(describeUntestedRules({ ...brokenPackReport, rules: [notLoadedRule, untestedRule, gappyRule] })).toBe(
      '1 of 3 rules have no golden events (no rule-test.yml in their test folder): they were validated and checked, not replayed',
    );
  });

  it('console: says 2 rules, 1 passed, 1 failed, the load error, the gap and the golden files', () => {
    expect(formatRunSummary(brokenPackReport)).toBe('2 rules: 1 passed, 1 failed; 1 with gaps in their tests');
    const [broken, gappy] = brokenPackReport.rules.map(formatRuleLines);
    expect(broken).toEqual([`FAIL  ${notLoadedRule.file}  did not load`, `      ${notLoadedRule.loadError}`]);
    expect(gappy?.join('\n')).toContain('gap: no scenario spec: tests/rules/proc_creation_win_webshell_spawn/scenarios.yml does not exist, so no property is checked (allowed by dac.config.yml)');
    expect(gappy?.join('\n')).toContain('golden events: 1 file, 5 records read: 3 recognised, 1 not recognised, 1 skipped');
    expect(gappy?.join('\n')).toContain('skipped: 1 × events/malformed-json (first #4: not valid JSON: Unexpected end of JSON input)');
  });

  it('summary.md: the counts, the failed rule with its error and line, the gap, the golden files', () => {
    const markdown = renderMarkdownSummary(brokenPackReport);
    expect(markdown.split('\n')[0]).toBe('## ❌ FAIL: sigma-dac 0.1.0: 2 rules: 1 passed, 1 failed (1 did not load); 1 with gaps in their tests; 1 failure');
    expect(markdown).toMatch(/\| ❌ fail \| Encoded PowerShell From Office<br>`rules\/windows\/process_creation\/proc_creation_win_office_encoded_powershell\.yml`<br>❌ the rule could not be loaded: yaml\/tab-indentation/);
    expect(markdown).toContain('`rules/windows/process_creation/proc_creation_win_office_encoded_powershell.yml:13:1` yaml/tab-indentation');
    expect(markdown).toContain('### Gaps in the tests');
    expect(markdown).toContain('### Golden event files');
    expect(markdown).not.toContain('Failures: None');
  });

  it('report.html: the failed rule in the table with its error, its technique marked failing on the map', () => {
    const html = renderHtmlReport(brokenPackReport, { attack: smallAttack });
    expect(html).toContain('<p id="counts">2 rules: 1 passed, 1 failed (1 did not load); 1 with gaps in their tests');
    // The rule that did not load comes first, failed, and says why in its row.
    const rows = [...html.matchAll(/<details class="rule[^"]*" id="rule-(\d+)"[^>]* data-rule-id="([^"]*)" data-states="([^"]*)"/g)].map((m) => [m[2], m[3]]);
    expect(rows).toEqual([[notLoadedRule.id, 'fail not-loaded'], [brokenPackReport.rules[1]!.id, 'pass gaps']]);
    expect(html).toContain('<span class="why" title="the rule could not be loaded: yaml/tab-indentation');
    expect(html).toContain('<p class="load-error fail-text">the rule could not be loaded: yaml/tab-indentation');
    expect(html).toMatch(/<div class="cell heat-\d failing" data-technique="T1059.001" data-count="1" data-failing="1"[^>]*>.*✘ 1 failing<\/div><\/div>/);
    expect(html).toContain('<article class="failure" data-check="validate" data-rule-id="5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e">');
    expect(html).toContain('data-gap="no-scenario-spec"');
    expect(html).toContain('<p>5 records read: 3 recognised, 1 not recognised, 1 skipped.</p>');
    // The summary counts the rule that did not load among the failed (neither fixture names a log source).
    expect(html).toMatch(/id="tile-fail">Failed<strong>1<\/strong><span class="muted">1 did not load<\/span>/);
    expect(html).toContain('<tr data-source="(unknown)"><td><a href="#rules-section" data-filter="source=(unknown)">(unknown)</a></td><td class="num">2</td><td class="num">1</td><td class="num bad">1</td><td class="num">1</td></tr>');
  });

  it('junit.xml: a suite per rule, the failed one failing validate, the gap a skipped testcase', () => {
    const root = parseXml(renderJunit(brokenPackReport, { timestamp: new Date(0), hostname: 'h' }));
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => [s.attributes['name'], s.attributes['failures']])).toEqual([['Encoded PowerShell From Office', '1'], ['Shell or Recon Tool Spawned by a Web Server Process', '0']]);
    expect(findAll(suites[1]!, 'testcase').map((c) => c.attributes['name'])).toContain('gap: no-scenario-spec');
  });

  it('results.sarif: an error result at the failed rule\'s line, a note for the allowed gap', () => {
    const run = renderSarifReport(brokenPackReport).runs[0]!;
    expect(run.results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.region.startLine])).toEqual([
      ['test/validate', 'error', 13],
      ['test/gap-no-scenario-spec', 'note', 1],
    ]);
    expect(run.properties.rules).toBe(2);
  });
});
