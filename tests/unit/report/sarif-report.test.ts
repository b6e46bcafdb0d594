import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CHECK_HELP } from '../../../src/report/check-help.js';
import { formatSarif, renderSarifReport, type SarifFailureResult } from '../../../src/report/sarif-report.js';
import { GOLDEN_DETAILS, chineseRule, passingReport, sampleReport } from './fixtures.js';

// ajv and ajv-formats are CommonJS: under NodeNext their default export sits on `.default`.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

const log = renderSarifReport(sampleReport, { repoRoot: '/work/repo' });
const run = log.runs[0]!;

describe('renderSarifReport', () => {
  it('is valid SARIF 2.1.0', () => {
    const parsed: unknown = JSON.parse(formatSarif(log));
    expect(validateSarif(parsed), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(validateSarif(JSON.parse(formatSarif(renderSarifReport(passingReport))))).toBe(true);
  });

  it('is checked for real by the schema (a region with line 0 is refused)', () => {
    const broken = JSON.parse(formatSarif(log)) as { runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    broken.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validateSarif(broken)).toBe(false);
  });

  it('has one error result per failure, then the diagnostics', () => {
    expect(run.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['test/golden', 'error'],
      ['test/golden', 'error'],
      ['test/coverage', 'error'],
      ['test/validate', 'error'],
      ['fixture/unknown-field', 'warning'],
      ['schema/required', 'error'],
    ]);
    expect(run.tool.driver).toMatchObject({ name: 'dac', version: '0.1.0' });
    expect(run.properties).toEqual({ pack: { name: 'sigma-dac', version: '0.1.0' }, passed: false, rules: 4 });
    expect(run.automationDetails.id).toBe('dac-test/');
  });

  it('locates failures on their rule file line and column, relative to SRCROOT', () => {
    expect(run.results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml', uriBaseId: 'SRCROOT' },
      region: { startLine: 14, startColumn: 7 },
    });
    expect(run.results[2]?.locations[0]?.physicalLocation.region).toEqual({ startLine: 20, startColumn: 9 });
    // A failure without a position points at the start of the file.
    expect(run.results[3]?.locations[0]?.physicalLocation.region).toEqual({ startLine: 1, startColumn: 1 });
    expect(run.originalUriBaseIds?.['SRCROOT']?.uri).toBe('file:///work/repo/');
  });

  it('percent-encodes file names with spaces and Chinese characters', () => {
    const report = { ...passingReport, rules: [{ ...chineseRule, failures: [{ check: 'golden' as const, message: '未命中', file: chineseRule.file, line: 3, column: 1 }] }] };
    const result = renderSarifReport(report).runs[0]?.results[0];
    const uri = result?.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
    expect(uri).toBe('rules/windows/process_creation/web%E6%9C%8D%E5%8A%A1%20%E5%8F%AF%E7%96%91%E8%BF%9B%E7%A8%8B.yml');
    expect(decodeURIComponent(uri)).toBe(chineseRule.file);
    expect(result?.message.text).toBe('Web服务产生的可疑进程: 未命中');
  });

  it('carries the rule title, message and details, in text and Markdown', () => {
    const first = run.results[0] as SarifFailureResult;
    expect(first.message.text).toBe(`Linux Web Server Spawning a Shell: event #3 of events.ndjson: expected match, got no-match\n\n${GOLDEN_DETAILS}`);
    expect(first.message.markdown).toContain(`\`\`\`text\n${GOLDEN_DETAILS}\n\`\`\``);
    expect(first.properties).toEqual({
      check: 'golden',
      ruleId: '7d3f1c2e-0b7a-4c59-9a63-3b1f2b7f0c11',
      ruleTitle: 'Linux Web Server Spawning a Shell',
      ruleFile: 'rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml',
    });
    const second = run.results[1] as SarifFailureResult;
    expect(second.message.markdown).toBeUndefined();
    expect(first.partialFingerprints['dacTestFailure/v1']).toMatch(/^[0-9a-f]{64}$/);
    expect(first.partialFingerprints['dacTestFailure/v1']).not.toBe(second.partialFingerprints['dacTestFailure/v1']);
    // The fingerprint survives the failure moving to another line.
    const moved = renderSarifReport({
      ...sampleReport,
      rules: sampleReport.rules.map((r) => ({ ...r, failures: r.failures.map((f) => ({ ...f, line: f.line + 10 })) })),
    }).runs[0]?.results[0] as SarifFailureResult;
    expect(moved.partialFingerprints).toEqual(first.partialFingerprints);
  });

  it('describes every rule id with a summary and help text, and indexes results into them', () => {
    const rules = run.tool.driver.rules;
    for (const result of run.results) {
      expect(rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
    const golden = rules.find((r) => r.id === 'test/golden');
    expect(golden?.shortDescription.text).toBe(CHECK_HELP.golden.summary);
    expect(golden?.help.text).toBe(CHECK_HELP.golden.help);
    expect(rules.find((r) => r.id === 'schema/required')?.shortDescription.text).toContain('Sigma JSON schema');
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('keeps hostile text as data: control characters replaced, markup escaped in Markdown', () => {
    const hostile = run.results[3] as SarifFailureResult;
    expect(hostile.message.text).not.toContain('\u0000');
    expect(hostile.message.text).toContain('<b>not bold</b>');
    expect(hostile.message.markdown).toContain('\\<script\\>alert(1)\\</script\\>');
    // The details contain a ``` line, so the Markdown fence is longer.
    expect(hostile.message.markdown).toMatch(/````text\n```\n<b>not bold<\/b>/);
  });
});
