import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeHeatLevel, renderHtmlReport } from '../../../src/report/html.js';
import { listColumns, orderRules } from '../../../src/report/html-rule-list.js';
import { findMainFolder } from '../../../src/report/html-rule-details.js';
import { GOLDEN_DETAILS, chineseRule, failingRule, gappyRule, passingReport, passingRule, sampleReport, smallAttack } from './fixtures.js';
import { createManyRulesReport } from './many-rules.js';

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
    expect(html).toMatch(/<p id="counts">4 rules: 2 passed, 2 failed · 15 checks, 3 failed, 1 skipped · 4 failures/);
    expect(renderHtmlReport(passingReport)).toContain('<span id="verdict" class="verdict pass">PASS</span>');
  });

  it('lists the rules failing first, each a row with its status, counts and coverage bar width', () => {
    const rows = matchAll(/<details class="rule[^"]*" id="rule-(\d+)"[^>]*>\n<summary>([\s\S]*?)<\/summary>/g);
    // Failing rules first (by file), then the passing ones; the anchor keeps the report's index.
    expect(rows.map((r) => r[1])).toEqual(['1', '3', '0', '2']);
    const status = rows.map((r) => /<span data-col="status" data-value="(\d)" class="status (pass|fail)">/.exec(r[2]!)?.slice(1));
    expect(status).toEqual([['1', 'fail'], ['1', 'fail'], ['3', 'pass'], ['3', 'pass']]);
    const widths = rows.map((r) => /style="width: ([\d.]+)%"/.exec(r[2]!)?.[1]);
    expect(widths).toEqual(['75', undefined, '100', '33.3']);
    const passing = rows[2]![2]!;
    expect(passing).toContain('<span data-col="tp" class="num">7</span><span data-col="tn" class="num">5</span><span data-col="fp" class="num">1</span>');
    expect(rows[0]![2]).toContain('<span data-col="check-version" data-value="1" class="mark skipped" data-check="version" role="img" title="version: skipped: no rules.lock.json yet">–</span>');
    // A failing rule says its first failure in its row.
    expect(rows[0]![2]).toContain('<span class="why" title="golden: event #3 of events.ndjson: expected match, got no-match (+2 more)">');
  });

  it('shows each check once per rule, in check order, even from a report that lists one twice', () => {
    const twice = { ...passingRule, checks: [...passingRule.checks, { name: 'golden' as const, passed: false }, { name: 'validate' as const, passed: true }] };
    const page = renderHtmlReport({ ...passingReport, rules: [twice, failingRule] });
    const summaries = matchAll(/<summary>([\s\S]*?)<\/summary>/g, page).filter((m) => m[1]!.includes('data-col="status"'));
    for (const [, summary] of summaries) {
      const checks = [...summary!.matchAll(/data-check="(\w+)"/g)].map((m) => m[1]);
      expect(checks).toEqual(['validate', 'golden', 'policy', 'coverage', 'properties', 'version']);
    }
    // Merged, the twice-listed golden check failed: a failure says more than a pass.
    expect(page).toContain('class="mark fail" data-check="golden" role="img" title="golden: failed">✘</span>');
    expect(matchAll(/<span data-sort="check-golden"/g, page)).toHaveLength(1);
  });

  it('sums up the run on top: tiles that filter, checks by rules failed, log sources failing first', () => {
    expect(html).toMatch(/<a class="tile rules" href="#rules-section" data-filter="status=" id="tile-rules">Rules<strong>4<\/strong><\/a>/);
    expect(html).toMatch(/id="tile-fail">Failed<strong>2<\/strong><\/a>/);
    expect(html).toMatch(/id="tile-pass">Passed<strong>2<\/strong><\/a>/);
    const checks = matchAll(/<tr data-check="(\w+)"><td>(?:<a[^>]*>)?\w+(?:<\/a>)?<\/td><td class="num[^"]*">(\d+)<\/td><td class="num[^"]*">(\d+)<\/td><td class="num[^"]*">(\d+)<\/td><\/tr>/g).map((m) => m.slice(1, 5));
    expect(checks).toEqual([
      ['validate', '1', '0', '3'],
      ['golden', '1', '0', '2'],
      ['policy', '0', '0', '2'],
      ['coverage', '1', '0', '1'],
      ['properties', '0', '0', '2'],
      ['version', '0', '1', '1'],
    ]);
    expect(html).toContain('<a href="#rules-section" data-filter="check=golden">golden</a>');
    // A tile takes its colour only when it counts something.
    expect(renderHtmlReport(passingReport)).toMatch(/<a class="tile" href="#rules-section" data-filter="status=fail" id="tile-fail">Failed<strong>0<\/strong>/);
    const report = { ...passingReport, rules: [{ ...passingRule, logsource: 'windows/process_creation' }, { ...failingRule, logsource: 'linux/process_creation' }, { ...chineseRule, logsource: 'windows/process_creation' }] };
    const sources = matchAll(/<tr data-source="([^"]+)">/g, renderHtmlReport(report)).map((m) => m[1]);
    expect(sources).toEqual(['linux/process_creation', 'windows/process_creation']);
  });

  it('writes the filter bar hidden, for the script to show, with the values the rules have and their counts', () => {
    expect(html).toMatch(/<form id="rule-filters" class="filters" role="search" aria-label="Filter the rules" hidden>/);
    const options = (id: string, page = html): string[] => {
      const select = new RegExp(`<select id="${id}">([\\s\\S]*?)</select>`).exec(page)?.[1] ?? '';
      return [...select.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map((m) => `${m[1]}=${m[2]}`);
    };
    expect(options('filter-status')).toEqual(['=every status (4)', 'fail=failing (2)', 'pass=passing (2)', 'gaps=with gaps (0)', 'not-loaded=did not load (0)']);
    expect(options('filter-level')).toEqual(['=every level', 'high=high (2)', 'medium=medium (1)', '(none)=(none) (1)']);
    expect(options('filter-check')).toEqual(['=any check', 'validate=validate failed (1)', 'golden=golden failed (1)', 'policy=policy failed (0)', 'coverage=coverage failed (1)', 'properties=properties failed (0)', 'version=version failed (0)']);
    const many = renderHtmlReport(createManyRulesReport(200));
    expect(options('filter-source', many)[1]).toMatch(/^windows\/process_creation=windows\/process_creation \(\d+\)$/);
    // Each row carries what the filters read.
    expect(html).toMatch(/<details class="rule failed" id="rule-1" open data-rule-id="7d3f1c2e-0b7a-4c59-9a63-3b1f2b7f0c11" data-states="fail" data-source="\(unknown\)" data-level="medium" data-failed="golden coverage" data-search="7d3f1c2e-0b7a-4c59-9a63-3b1f2b7f0c11 attack.persistence attack.t1505.003">/);
  });

  it('gives every row one cell per column, and the header a sort key per column', () => {
    const views = orderRules(sampleReport.rules);
    const columns = listColumns(views);
    expect(columns.map((c) => c.key)).toEqual(['status', 'rule', 'level', 'logsource', 'tp', 'tn', 'fp', 'coverage', 'check-validate', 'check-golden', 'check-policy', 'check-coverage', 'check-properties', 'check-version']);
    expect(matchAll(/<span data-sort="([\w-]+)" data-kind="(number|text)"/g).map((m) => m[1])).toEqual(columns.map((c) => c.key));
    for (const [, summary] of matchAll(/<summary>([\s\S]*?)<\/summary>/g).filter((m) => m[1]!.includes('data-col="status"'))) {
      expect([...summary!.matchAll(/<span data-col="([\w-]+)"/g)].map((m) => m[1])).toEqual(columns.map((c) => c.key));
    }
    expect(html).toContain(`style="--columns: ${columns.map((c) => c.width).join(' ')}"`);
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

  it('lists every failure in its rule, with its location and its diff', () => {
    const failures = matchAll(/<article class="failure" data-check="(\w+)"/g).map((m) => m[1]);
    expect(failures).toEqual(['golden', 'golden', 'coverage', 'validate']);
    expect(html).toContain('<h3>Failures (3)</h3>');
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

  it('shows the run diagnostics and the extra ones, grouped by code, errors first and open', () => {
    expect(html).toContain('<h2>Diagnostics (3)</h2>');
    expect(html).toContain('<td>extra &lt;note&gt;</td>');
    const groups = matchAll(/<details class="diagnostics" data-code="([^"]+)" data-severity="(\w+)"( open)?>/g).map((m) => [m[1], m[2], m[3] !== undefined]);
    expect(groups).toEqual([
      ['schema/required', 'error', true],
      ['fixture/unknown-field', 'warning', false],
      ['report/attack-data', 'warning', false],
    ]);
  });

  it('opens the failing rules of a pack with few of them, and keeps them closed in a pack with many', () => {
    const details = matchAll(/<details class="rule[^"]*" id="rule-(\d)"( open)?/g).map((m) => [m[1], m[2] === ' open']);
    expect(details).toEqual([
      ['1', true],
      ['3', true],
      ['0', false],
      ['2', false],
    ]);
    expect(html).toContain('<code>events.ndjson#3</code>');
    expect(html).toContain('files under <code>tests/rules/webshell_linux/</code>');
    expect(html).toContain('Not exercised: <code>value Image|endswith: /dash</code>');
    const many = renderHtmlReport(createManyRulesReport(200));
    expect(many).not.toMatch(/<details class="rule[^"]*" id="rule-\d+" open/);
    expect(matchAll(/<details class="rule failed"/g, many).length).toBeGreaterThan(5);
  });
});

describe('renderHtmlReport with many golden events', () => {
  it('lists the failing events first and caps both lists per rule, saying how many are left out', () => {
    const pass = passingRule.cases[0]!;
    const fail = failingRule.cases[0]!;
    const cases = [...Array.from({ length: 150 }, (_, i) => ({ ...pass, event: i })), ...Array.from({ length: 205 }, (_, i) => ({ ...fail, event: 150 + i }))];
    const page = renderHtmlReport({ ...passingReport, rules: [{ ...passingRule, cases }] });
    const rows = matchAll(/<tr class="(pass|fail)">/g, page).map((m) => m[1]);
    expect(rows).toEqual([...Array<string>(200).fill('fail'), ...Array<string>(10).fill('pass')]);
    expect(page).toContain('events.ndjson#150</code>');
    expect(page).toContain('355 golden events: 150 passed, <span class="fail-text">205 failed</span>');
    expect(page).toContain('5 more failing events and 140 more passing events not listed; report.json lists every one.');
  });

  it('details the first failures of a rule and lists the rest one line each', () => {
    const failure = failingRule.failures[0]!;
    const failures = Array.from({ length: 60 }, (_, i) => ({ ...failure, message: `event #${i}: expected match, got no-match` }));
    const page = renderHtmlReport({ ...passingReport, rules: [{ ...failingRule, failures }] });
    expect(matchAll(/<article class="failure"/g, page)).toHaveLength(50);
    expect(page).toContain('<summary>10 more failures (details in junit.xml and report.json)</summary>');
    expect(page).toContain('golden: event #59: expected match, got no-match</li>');
  });
});

describe('renderHtmlReport of golden event files', () => {
  it('counts the records of each file: read, recognised, read as taxonomy fields, not recognised, skipped', () => {
    const account = { ...gappyRule.inputs[0]!, read: 7, taxonomy: [{ shape: 'flat JSON, keys {Image, ParentImage}', count: 2, first: 5 }] };
    const page = renderHtmlReport({ ...passingReport, rules: [{ ...gappyRule, inputs: [account] }] });
    expect(page).toContain('<th class="num" title="read as Sigma field names as they stand (no channel or event id)">Taxonomy fields</th>');
    expect(page).toContain('<td class="num">7</td><td class="num">3</td><td class="num">2</td><td class="num bad">1</td><td class="num bad">1</td>');
  });
});

describe('findMainFolder', () => {
  it('names the folder most files are in, so a few shared files elsewhere do not shorten nothing', () => {
    const own = 'tests/rules/win_security_rdp_logon_loopback/events';
    expect(findMainFolder([`${own}/logons.yml`, `${own}/logons.yml`, 'tests/fixtures/evtx/DE_RDP_Tunnel_5156.evtx', `${own}/rdp.xml`])).toBe(own);
    expect(findMainFolder(['a.xml'])).toBe('');
    expect(findMainFolder([])).toBe('');
  });

  it('names files outside that folder in full in the golden events table', () => {
    const pass = passingRule.cases[0]!;
    const page = renderHtmlReport({ ...passingReport, rules: [{ ...passingRule, cases: [pass, pass, { ...pass, file: 'tests/fixtures/evtx/shared.evtx', event: 4 }] }] });
    expect(page).toContain('files under <code>tests/rules/proc_creation_win_webshell_spawn/</code> unless named in full');
    expect(page).toContain('<code>events.ndjson#0</code>');
    expect(page).toContain('<code>tests/fixtures/evtx/shared.evtx#4</code>');
  });
});

describe('renderHtmlReport of a pack of a thousand rules', () => {
  const report = createManyRulesReport(1000);
  const page = renderHtmlReport(report);

  it('holds every rule and every failure, failing rules first', () => {
    const rows = matchAll(/<details class="rule( failed)?" id="rule-(\d+)"/g, page);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((m) => m[2])).size).toBe(1000);
    const failing = report.rules.filter((r) => !r.passed).length;
    expect(rows.findIndex((m) => m[1] === undefined)).toBe(failing);
    const failures = report.rules.reduce((n, r) => n + r.failures.length, 0);
    expect(matchAll(/<article class="failure"/g, page).length + matchAll(/<li data-check="/g, page).length).toBe(failures);
  });

  it('stays a page a browser opens quickly: under 10 kB a rule for a pack with long golden events', () => {
    // Measured: about 8.2 MB for these 1,000 rules (600 with 4 to 450 golden events of 300-character command lines).
    expect(Buffer.byteLength(page)).toBeLessThan(10_000_000);
  });
});

describe('computeHeatLevel', () => {
  it('maps counts to five steps relative to the busiest cell', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => computeHeatLevel(n, 10))).toEqual([0, 1, 1, 2, 2, 3, 5]);
    expect(computeHeatLevel(1, 1)).toBe(5);
    expect(computeHeatLevel(3, 0)).toBe(0);
  });
});
