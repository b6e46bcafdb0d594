import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMarkdownSummary } from '../../../src/report/markdown.js';
import { formatSarif, renderSarifReport } from '../../../src/report/sarif-report.js';
import { mutatedRule, mutationReport, passingReport } from './fixtures.js';

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
const SCHEMAS = join(import.meta.dirname, '../../fixtures/schemas');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'sarif-schema-2.1.0.json'), 'utf8')) as object);
const dir = mkdtempSync(join(tmpdir(), 'dac-mutation-reports-'));

describe('the mutation score in every report', () => {
  it('JUnit: a mutation testcase with the survivor, and the score among the suite properties, valid against both schemas', () => {
    const xml = renderJunit(mutationReport, { timestamp: new Date('2026-11-28T04:30:15Z'), hostname: 'ci' });
    for (const schema of ['junit-jenkins.xsd', 'junit-ant.xsd']) {
      const file = join(dir, `${schema}.xml`);
      writeFileSync(file, xml);
      expect(() => execFileSync('xmllint', ['--noout', '--schema', join(SCHEMAS, schema), file], { stdio: 'pipe' })).not.toThrow();
    }
    expect(xml).toContain('<property name="mutation.score" value="66.7"/>');
    expect(xml).toContain('<property name="mutation.equivalent" value="1"/>');
    expect(xml).toMatch(/<testcase name="mutation" [^>]*>\s*<failure type="dac.mutation" message="surviving mutant wildcard selection\/Image: &apos;\*&lt;b&gt;x&lt;\/b&gt;&apos; -&gt; &apos;\*&lt;b&gt;x&lt;\/b&gt;\*&apos;">/);
  });

  it('SARIF: the survivor as a result on its line, every score in the run properties, valid SARIF 2.1.0', () => {
    const log = renderSarifReport(mutationReport);
    expect(validateSarif(JSON.parse(formatSarif(log))), JSON.stringify(validateSarif.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.results[0]).toMatchObject({ ruleId: 'test/mutation', level: 'error', locations: [{ physicalLocation: { region: { startLine: 33, startColumn: 9 } } }] });
    expect(run.properties.mutation).toEqual([{ ruleId: mutatedRule.id, ruleFile: mutatedRule.file, score: 66.7, threshold: 100, mutants: 4, killed: 2, survived: 1, equivalent: 1 }]);
    expect(renderSarifReport(passingReport).runs[0]!.properties).not.toHaveProperty('mutation');
  });

  it('summary.md: a mutation table, and the survivor among the failures with its diff', () => {
    const summary = renderMarkdownSummary(mutationReport);
    expect(summary).toContain('| Score | Rule | Killed | Survived | Equivalent | Mutants | Threshold |');
    expect(summary).toContain('| ❌ 66.7% | Shell or Recon Tool Spawned by a Web Server Process<br>`rules/windows/process_creation/proc_creation_win_webshell_spawn.yml` | 2 (golden 1, properties 1) | 1 | 1 | 4 | 100% |');
    expect(summary).toMatch(/#### ❌ Shell or Recon Tool Spawned by a Web Server Process — mutation[\s\S]*```diff\n--- r\.yml/);
    expect(renderMarkdownSummary(passingReport)).not.toContain('Mutation score');
  });

  it('summary.md: keeps the rules below their score in a large pack, and counts the passing ones it leaves out', () => {
    const passing = { ...mutatedRule, mutation: { ...mutatedRule.mutation!, score: 100, survived: 0 } };
    const rules = [mutatedRule, ...Array.from({ length: 50 }, (_, index) => ({ ...passing, id: `r${index}`, title: `rule ${index}` }))];
    const summary = renderMarkdownSummary({ ...mutationReport, rules }, { detailChars: 100, detailLines: 5, totalChars: 4000 });
    expect(summary).toContain('| ❌ 66.7% | Shell or Recon Tool Spawned by a Web Server Process');
    expect(summary).toMatch(/\*4[0-9] more rules reaching their score not listed here; see report\.html\.\*/);
  });

  it('report.html: a mutation column in the rule list, and every mutant in the rule\'s opened row, survivors first, their text escaped', () => {
    const html = renderHtmlReport(mutationReport);
    // The column: a header, and the rule's cell sorting by its distance to the threshold (below it: first).
    expect(html).toMatch(/data-sort="mutation"[^>]*>Mutation</);
    const cell = /<span data-col="mutation" data-value="([^"]+)"[^>]*>(.*?)<\/span>(?=<span data-col|\s*<\/summary>)/s.exec(html);
    expect(cell?.[1]).toBe(String(66.7 - 100));
    expect(cell?.[2]).toContain('aria-label="mutation score 66.7%"');
    expect(cell?.[2]).toContain('<span class="percent fail-text">66.7%</span>');
    // The rule's row: the score against its threshold, then the mutants, the survivor first.
    const part = html.slice(html.indexOf('<h3>Mutants</h3>'), html.indexOf('</table>', html.indexOf('<h3>Mutants</h3>')));
    expect(part).toContain('mutation score 66.7% (threshold 100%)');
    expect(part).toContain('2 killed (golden 1, properties 1), <span class="fail-text">1 survived</span>, 1 marked equivalent');
    expect(part).toContain('<code>wildcard selection/Image: &#39;*&lt;b&gt;x&lt;/b&gt;&#39; -&gt; &#39;*&lt;b&gt;x&lt;/b&gt;*&#39;</code>');
    expect(part).not.toContain('<b>x</b>');
    const statuses = [...part.matchAll(/<tr class="(killed|survived|equivalent)">/g)].map((match) => match[1]);
    expect(statuses).toEqual(['survived', 'equivalent', 'killed', 'killed']);
    // Killed mutants are listed up to 50 a rule; survivors and equivalents always.
    const killed = Array.from({ length: 60 }, (_, index) => ({ id: `drop-value selection/CommandLine[${index}]`, operator: 'drop-value', line: 40 + index, status: 'killed' as const, detail: 'golden: x' }));
    const many = { ...mutatedRule, mutation: { ...mutatedRule.mutation!, results: [...killed, ...mutatedRule.mutation!.results] } };
    const big = renderHtmlReport({ ...mutationReport, rules: [many] });
    const bigPart = big.slice(big.indexOf('<h3>Mutants</h3>'), big.indexOf('</details>', big.indexOf('<h3>Mutants</h3>')));
    expect(bigPart.match(/<tr class="killed">/g)).toHaveLength(50);
    expect(bigPart.match(/<tr class="(survived|equivalent)">/g)).toHaveLength(2);
    expect(bigPart).toContain('12 more killed mutants not listed; report.json lists every one.');
    // A report of `dac test` (no rule mutated) has neither.
    const plain = renderHtmlReport(passingReport);
    expect(plain).not.toContain('data-col="mutation"');
    expect(plain).not.toContain('<h3>Mutants</h3>');
    expect(plain).toContain("A row opens the rule's failures, facts and golden events.");
    expect(html).toContain("A row opens the rule's failures, facts, mutants and golden events.");
  });
});
