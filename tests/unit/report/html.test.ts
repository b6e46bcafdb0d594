import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeHeatLevel, renderHtmlReport } from '../../../src/report/html.js';
import { GOLDEN_DETAILS, failingRule, passingReport, passingRule, sampleReport, smallAttack } from './fixtures.js';

const html = renderHtmlReport(sampleReport, {
  attack: smallAttack,
  extraDiagnostics: [{ code: 'report/attack-data', severity: 'warning', message: 'extra <note>', file: 'data/attack/x.json', line: 1, column: 1 }],
});

function matchAll(re: RegExp, text = html): RegExpMatchArray[] {
  return [...text.matchAll(re)];
}

describe('renderHtmlReport', () => {
  it('is one self-contained page: no external URL, one inline script allowed by its hash', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:|\/\/|file:)/i);
    expect(html).not.toMatch(/@import|url\(|<link\b|<iframe\b|<img\b|<object\b/i);
    const scripts = matchAll(/<script>([\s\S]*?)<\/script>/g);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]![1]!).digest('base64');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
  });

  it('shows the verdict and the counts', () => {
    expect(html).toContain('<span id="verdict" class="verdict fail">FAIL</span>');
    expect(html).toMatch(/<span id="counts">4 rules: 2 passed, 2 failed · 15 checks, 3 failed, 1 skipped · 4 failures/);
    expect(renderHtmlReport(passingReport)).toContain('<span id="verdict" class="verdict pass">PASS</span>');
  });

  it('has a table row per rule with its status, counts and coverage bar width', () => {
    const rows = matchAll(/<tr data-status="(pass|fail)" data-rule-id="[^"]*">([\s\S]*?)<\/tr>/g);
    expect(rows.map((r) => r[1])).toEqual(['pass', 'fail', 'pass', 'fail']);
    const widths = rows.map((r) => /style="width: ([\d.]+)%"/.exec(r[2]!)?.[1]);
    expect(widths).toEqual(['100', '75', '33.3', undefined]);
    expect(rows[0]?.[2]).toContain('<td class="num tp">7</td>\n<td class="num tn">5</td>\n<td class="num fp">1</td>');
    expect(rows[0]?.[2]).toContain('200 runs × 3<div class="muted">seed 1505003</div>');
    expect(rows[1]?.[2]).toContain('<span class="check skipped" data-check="version" title="skipped: no rules.lock.json yet">version</span>');
  });

  it('escapes hostile text everywhere, attributes included', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | &lt;img src=x onerror=alert(2)&gt;\n&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('data-rule-id="hostile&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
    expect(html).toContain('&lt;b&gt;not bold&lt;/b&gt; ]]&gt; --&gt; &amp; \uFFFDbell');
    expect(html).not.toContain('\u0000');
  });

  it('keeps Chinese text', () => {
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('Web服务产生的可疑进程');
    expect(html).toContain('web服务 可疑进程.yml');
  });

  it('draws the ATT&CK matrix: tactic columns in kill-chain order, cells coloured by rule count', () => {
    const columns = matchAll(/<div class="tactic" data-tactic="([^"]+)">\n<h3>([^<]+)<\/h3>/g).map((m) => [m[1], m[2]]);
    expect(columns).toEqual([
      ['reconnaissance', 'Reconnaissance'],
      ['initial-access', 'Initial Access'],
      ['execution', 'Execution'],
      ['persistence', 'Persistence'],
      ['privilege-escalation', 'Privilege Escalation'],
      ['defense-evasion', 'Defense Evasion'],
      ['stealth', 'Stealth'],
    ]);
    const cells = matchAll(/<div class="cell heat-(\d)( unknown)?(?: failing)?" data-technique="([^"]+)" data-count="(\d+)" data-failing="\d+" data-level="(\d)"/g);
    const persistence = cells.find((c) => c[3] === 'T1505.003');
    expect(persistence?.slice(1, 6)).toEqual(['5', undefined, 'T1505.003', '3', '5']);
    expect(cells.find((c) => c[3] === 'T1190')?.slice(1, 6)).toEqual(['2', undefined, 'T1190', '1', '2']);
    expect(cells.filter((c) => c[2] !== undefined).map((c) => c[3])).toEqual(['T1685', 'T9999', 'T1685', 'T9999']);
    expect(html).toContain('Server Software Component: Web Shell');
    expect(html).toContain('ATT&amp;CK Enterprise v18.1 · 6 techniques');
  });

  it('lists every failure with its location and its diff', () => {
    const failures = matchAll(/<article class="failure" data-check="(\w+)"/g).map((m) => m[1]);
    expect(failures).toEqual(['golden', 'golden', 'coverage', 'validate']);
    expect(html).toContain('<code class="location">rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml:14:7</code>');
    expect(html).toContain('<span class="expected">expected: match</span>\n<span class="got">got:      no-match</span>');
    expect(html).toContain(GOLDEN_DETAILS.split('\n').slice(3).join('\n'));
    // Unified-diff lines are coloured the same way.
    const unified = renderHtmlReport({
      ...passingReport,
      rules: [{ ...failingRule, failures: [{ ...failingRule.failures[0]!, details: '+ wanted\n- found\n  same' }] }],
    });
    expect(unified).toContain('<span class="expected">+ wanted</span>\n<span class="got">- found</span>\n  same');
  });

  it('shows the run diagnostics and the extra ones', () => {
    expect(html).toContain('<h2>Diagnostics (3)</h2>');
    expect(html).toContain('<td>extra &lt;note&gt;</td>');
  });

  it('opens the golden events of failing rules', () => {
    const details = matchAll(/<details id="rule-(\d)"( open)?>/g).map((m) => [m[1], m[2] === ' open']);
    expect(details).toEqual([
      ['0', false],
      ['1', true],
      ['2', false],
      ['3', true],
    ]);
    expect(html).toContain('<code>tests/rules/webshell_linux/events.ndjson#3</code>');
    expect(html).toContain('Not exercised: <code>value Image|endswith: /dash</code>');
  });
});

describe('renderHtmlReport with many golden events', () => {
  it('lists every failing event but caps the passing ones per rule', () => {
    const pass = passingRule.cases[0]!;
    const fail = failingRule.cases[0]!;
    const cases = [...Array.from({ length: 150 }, (_, i) => ({ ...pass, event: i })), { ...fail, event: 150 }];
    const page = renderHtmlReport({ ...passingReport, rules: [{ ...passingRule, cases }] });
    expect(matchAll(/<tr class="pass">/g, page)).toHaveLength(100);
    expect(matchAll(/<tr class="fail">/g, page)).toHaveLength(1);
    expect(page).toContain('events.ndjson#150</code>');
    expect(page).toContain('50 more passing events not listed.');
  });
});

describe('computeHeatLevel', () => {
  it('maps counts to five steps relative to the busiest cell', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => computeHeatLevel(n, 10))).toEqual([0, 1, 1, 2, 2, 3, 5]);
    expect(computeHeatLevel(1, 1)).toBe(5);
    expect(computeHeatLevel(3, 0)).toBe(0);
  });
});
