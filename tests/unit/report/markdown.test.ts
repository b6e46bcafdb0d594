import { describe, expect, it } from 'vitest';
import { countRun, formatPercent, renderMarkdownSummary } from '../../../src/report/markdown.js';
import type { RuleReport, TestReport } from '../../../src/harness/test-report.js';
import { GOLDEN_DETAILS, failingRule, passingReport, sampleReport } from './fixtures.js';

/** Splits a GFM table row into cells at unescaped pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

const summary = renderMarkdownSummary(sampleReport);
const lines = summary.split('\n');
const ruleRows = lines.filter((l) => /^\| (✅ pass|❌ fail) \|/.test(l));

describe('renderMarkdownSummary', () => {
  it('starts with the verdict and counts', () => {
    expect(lines[0]).toBe('## ❌ FAIL: sigma-dac 0.1.0: 4 rules: 2 passed, 2 failed; 4 failures');
    expect(lines[2]).toBe('15 checks (3 failed, 1 skipped) · 1 error and 1 warning in diagnostics');
    expect(renderMarkdownSummary(passingReport).split('\n')[0]).toBe('## ✅ PASS: sigma-dac 0.1.0: 1 rule: 1 passed, 0 failed; 0 failures');
  });

  it('writes one row per rule with status, title, verdict counts, coverage, runs and seed', () => {
    expect(ruleRows).toHaveLength(4);
    expect(cells(ruleRows[0]!)).toEqual([
      '✅ pass',
      'Shell or Recon Tool Spawned by a Web Server Process<br>`rules/windows/process_creation/proc_creation_win_webshell_spawn.yml`',
      'high',
      '7',
      '5',
      '1',
      '100%',
      '200 × 3',
      '1505003',
    ]);
    expect(cells(ruleRows[1]!).slice(0, 1)).toEqual(['❌ fail']);
    expect(cells(ruleRows[1]!).slice(3)).toEqual(['3', '4', '0', '75%', '100 × 2', '42']);
  });

  it('says how many rules cover how many log sources, and each rule\'s log source', () => {
    const rules: RuleReport[] = [
      { ...sampleReport.rules[0]!, logsource: 'windows/process_creation' },
      { ...sampleReport.rules[0]!, id: 'b', logsource: 'windows/registry_set' },
      { ...sampleReport.rules[0]!, id: 'c', logsource: 'windows/process_creation' },
    ];
    const text = renderMarkdownSummary({ ...sampleReport, rules });
    expect(text).toContain('3 rules over 2 log sources: `windows/process_creation` (2), `windows/registry_set` (1)');
    expect(text).toContain('<br>`windows/registry_set` |');
    expect(renderMarkdownSummary({ ...sampleReport, rules: [] })).not.toContain('log source');
  });

  it('keeps Chinese text and rounds coverage to one decimal', () => {
    expect(cells(ruleRows[2]!)[1]).toBe('Web服务产生的可疑进程<br>`rules/windows/process_creation/web服务 可疑进程.yml`');
    expect(cells(ruleRows[2]!)[6]).toBe('33.3%');
    expect(cells(ruleRows[2]!)[7]).toBe('–');
  });

  it('escapes pipes, line breaks and markup in cells', () => {
    const row = cells(ruleRows[3]!);
    // Nine cells: the `|` in the title did not split it, the line break did not end the row.
    expect(row).toHaveLength(9);
    expect(row[1]).toBe(
      "\\<script\\>alert(1)\\</script\\> \\| \\<img src=x onerror=alert(2)\\> \"quoted\" \\& 'single'<br>`rules/windows/hostile.yml`",
    );
    // Outside fenced blocks every `<` is escaped, except the <br> the table uses between title and file.
    const prose = summary.replace(/^(`{3,})[a-z]*\n[\s\S]*?\n\1$/gm, '');
    expect(prose.replace(/<br>/g, '')).not.toMatch(/(?<!\\)</);
    expect(prose).toContain('\\<script\\>');
  });

  it('lists every failure with its location and its details in a fenced block', () => {
    expect(summary).toContain(
      '`rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml:14:7` event #3 of events.ndjson: expected match, got no-match',
    );
    expect(summary).toContain(`\`\`\`text\n${GOLDEN_DETAILS}\n\`\`\`\n`);
    // Unified-diff details get GitHub's diff colouring.
    const unified = renderMarkdownSummary({
      ...sampleReport,
      rules: [{ ...failingRule, failures: [{ ...failingRule.failures[0]!, details: '+ wanted\n- found' }] }],
    });
    expect(unified).toContain('```diff\n+ wanted\n- found\n```');
    expect(summary).toContain('```text\nuncovered value: Image|endswith: /dash\n```');
    expect(lines.filter((l) => l.startsWith('#### ❌ '))).toHaveLength(4);
  });

  it('fences details containing backticks with a longer fence, and shows control characters escaped', () => {
    expect(summary).toContain('````text\n```\n<b>not bold</b> ]]> --> & \\x07bell\n````');
    expect(summary).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(summary).toContain('`rules/windows/hostile.yml:0:0` title must not contain \\<markup\\> \\| or line breaks\\\\x00');
  });

  it('tabulates the diagnostics', () => {
    expect(summary).toContain('| error | `rules/windows/broken.yml:1:1` | `schema/required` | missing property "logsource" |');
  });

  it('stays within its size budget, counting what it leaves out', () => {
    const many: RuleReport = {
      ...failingRule,
      failures: Array.from({ length: 500 }, (_, i) => ({ ...failingRule.failures[0]!, message: `failure ${i}`, details: 'x\n'.repeat(500) })),
    };
    const big: TestReport = { ...sampleReport, rules: [many], diagnostics: [] };
    const limited = renderMarkdownSummary(big, { detailChars: 300, detailLines: 10, totalChars: 20_000 });
    expect(limited.length).toBeLessThan(21_000);
    expect(limited).toMatch(/\*\d+ more failures not shown here; see report\.html or junit\.xml\.\*/);
    expect(limited).toContain('more characters cut)');
    const shown = limited.split('\n').filter((l) => l.startsWith('#### ')).length;
    const omitted = Number(/\*(\d+) more failures/.exec(limited)?.[1]);
    expect(shown + omitted).toBe(500);
  });
});

describe('renderMarkdownSummary for a large pack', () => {
  it('lists every failing rule but only as many passing rules as fit in half the budget', () => {
    const rules = Array.from({ length: 400 }, (_, i) => ({ ...(i % 40 === 39 ? failingRule : passingReport.rules[0]!), id: `r${i}`, title: `rule ${i}` }));
    const text = renderMarkdownSummary({ ...sampleReport, rules, diagnostics: [] }, { detailChars: 100, detailLines: 5, totalChars: 40_000 });
    const rows = text.split('\n').filter((l) => /^\| (✅ pass|❌ fail) \|/.test(l));
    expect(rows.filter((r) => r.startsWith('| ❌ fail'))).toHaveLength(10);
    const passing = rows.filter((r) => r.startsWith('| ✅ pass')).length;
    expect(passing).toBeGreaterThan(0);
    expect(passing).toBeLessThan(390);
    expect(text).toContain(`*${390 - passing} more passing rules not listed here; see report.html.*`);
    // Half the budget for the table, plus the failing rows, which are never dropped.
    expect(rows.join('').length).toBeLessThanOrEqual(20_000 + rows.filter((r) => r.startsWith('| ❌')).join('').length);
  });
});

describe('countRun', () => {
  it('counts rules, checks, skips, failures and diagnostics', () => {
    expect(countRun(sampleReport)).toEqual({
      rules: 4,
      rulesPassed: 2,
      rulesFailed: 2,
      rulesNotLoaded: 0,
      rulesWithGaps: 0,
      checks: 15,
      checksFailed: 3,
      checksSkipped: 1,
      failures: 4,
      errors: 1,
      warnings: 1,
    });
  });
});

describe('formatPercent', () => {
  it('rounds to one decimal and clamps to 0..100', () => {
    expect([formatPercent(87.54), formatPercent(100), formatPercent(-3), formatPercent(140), formatPercent(Number.NaN)]).toEqual([
      '87.5',
      '100',
      '0',
      '100',
      '0',
    ]);
  });
});
