import type { CaseResult, CheckName, RuleReport, TestReport } from '../../../src/harness/test-report.js';

// Log sources in roughly the proportions of SigmaHQ's Windows-heavy corpus, with a tail of rarer ones.
const SOURCES: readonly [string, number][] = [
  ['windows/process_creation', 40],
  ['windows/registry_set', 8],
  ['windows/file_event', 7],
  ['windows/ps_script', 6],
  ['windows/image_load', 5],
  ['windows/network_connection', 4],
  ['windows/security', 4],
  ['linux/process_creation', 4],
  ['windows/dns_query', 3],
  ['aws/cloudtrail', 3],
  ['windows/system', 2],
  ['azure/signinlogs', 2],
  ['macos/process_creation', 2],
  ['windows/create_remote_thread', 1],
  ['windows/pipe_created', 1],
  ['okta/okta', 1],
  ['gcp/gcp.audit', 1],
  ['windows/driver_load', 1],
];
const LEVELS = ['informational', 'low', 'medium', 'medium', 'high', 'high', 'high', 'critical'] as const;
const TOOLS = ['PowerShell', 'Certutil', 'Rundll32', 'Regsvr32', 'Mshta', 'WMIC', 'Bitsadmin', 'Schtasks', 'Curl', 'Msiexec', 'Cmstp', 'Odbcconf'];
const DEEDS = ['Download', 'Execution From Temp Folder', 'Encoded Command', 'Proxy Execution', 'Persistence Via Registry', 'Suspicious Child Process', 'Remote Thread Injection', 'Credential Dumping Attempt'];
const TECHNIQUES = ['attack.t1059.001', 'attack.t1105', 'attack.t1218.011', 'attack.t1053.005', 'attack.t1003.001', 'attack.t1547.001', 'attack.t1055', 'attack.t1190'];
const TACTICS = ['attack.execution', 'attack.defense-evasion', 'attack.persistence', 'attack.credential-access', 'attack.initial-access'];
const CHECKS: readonly CheckName[] = ['validate', 'golden', 'policy', 'coverage', 'properties', 'sql', 'version'];

/** A deterministic sequence of numbers in [0, 1) (a linear congruential generator), so every run builds the same pack. */
function numbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A pack of `count` synthetic rules shaped like a big real one: most log sources Windows, a tenth
 * failing (golden diffs, coverage, properties), some that did not load, a third with gaps (no golden
 * events), long command lines and paths in the golden events, and a rule with hundreds of events.
 */
export function createManyRulesReport(count: number, seed = 1): TestReport {
  const next = numbers(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const total = SOURCES.reduce((sum, [, weight]) => sum + weight, 0);
  const pickSource = (): string => {
    let at = next() * total;
    for (const [source, weight] of SOURCES) if ((at -= weight) < 0) return source;
    return SOURCES[0]![0];
  };
  const rules: RuleReport[] = [];
  for (let i = 0; i < count; i += 1) {
    const source = pickSource();
    const [product, category] = source.split('/') as [string, string];
    const name = `${product}_${category}_${pick(TOOLS).toLowerCase()}_${i}`;
    const file = `rules/${product}/${category}/${name}.yml`;
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const roll = next();
    const notLoaded = roll < 0.015;
    const failing = !notLoaded && roll < 0.1;
    const hasGolden = !notLoaded && (failing || next() < 0.6);
    const title = `${pick(TOOLS)} ${pick(DEEDS)}${i % 17 === 0 ? ' With a Long Title That Goes On to Name the Parent Process, the Command Line and the Folder' : ''} ${i}`;
    const caseCount = !hasGolden ? 0 : i === 7 ? 450 : 4 + Math.floor(next() * 50);
    const testFolder = `tests/rules/${name}/events`;
    const cases: CaseResult[] = Array.from({ length: caseCount }, (_, n) => {
      const expected = n % 3 === 0 ? 'no-match' : 'match';
      const broken = failing && n % 11 === 1;
      const got = broken ? (expected === 'match' ? 'no-match' : 'match') : expected;
      return {
        file: `${testFolder}/${n % 2 === 0 ? 'true-positives' : 'true-negatives-from-the-estate'}.ndjson`,
        event: n,
        expected,
        got,
        passed: !broken,
        source: pick(['sysmon-1', 'security-4688', 'winlogbeat-sysmon', 'flat']),
        ...(n % 4 === 0 ? { rendering: pick(['sysmon-xml', 'security-evtx-json', 'winlogbeat-json']) } : {}),
        decidingFields: {
          Image: `C:\\Program Files\\Vendor Product Suite\\Agent Service\\bin\\x64\\${pick(TOOLS).toLowerCase()}.exe`,
          // One long token without spaces: the kind of value that widens a table unless it may break.
          CommandLine: `powershell.exe -NoProfile -EncodedCommand ${'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA'.repeat(6)} -WindowStyle Hidden`,
        },
        provenance: 'synthesized for the report tests: a process tree as a real estate shows it',
      };
    });
    const failures: RuleReport['failures'] = notLoaded
      ? [{ check: 'validate', message: 'yaml/tab-indentation: YAML: tab characters must not be used in indentation', file, line: 13, column: 1 }]
      : failing
        ? [
            ...cases.filter((c) => !c.passed).map((c) => ({
              check: 'golden' as const,
              message: `${c.file} #${c.event}: expected ${c.expected}, got ${c.got}`,
              details: `event:    ${c.file} #${c.event} (${c.source})\nexpected: ${c.expected}\ngot:      ${c.got}\ndeciding fields:\n  CommandLine: ${c.decidingFields['CommandLine']}`,
              file,
              line: 17,
              column: 7,
            })),
            ...(i % 3 === 0 ? [{ check: 'coverage' as const, message: 'coverage 60% is below the required 100%', details: 'value not hit by a true positive: selection: CommandLine|contains = -enc', file, line: 20, column: 9 }] : []),
            ...(i % 4 === 1 ? [{ check: 'properties' as const, message: 'property fires-on-true-positives failed after 12 runs (seed 42)', file, line: 15, column: 3 }] : []),
          ]
        : [];
    const failedChecks = new Set(failures.map((f) => f.check));
    const gaps: RuleReport['gaps'] = notLoaded
      ? []
      : [
          ...(hasGolden ? [] : [{ kind: 'no-golden-events' as const, message: `no golden events: tests/rules/${name}/rule-test.yml does not exist`, fails: false }]),
          ...(next() < 0.5 ? [{ kind: 'no-scenario-spec' as const, message: `no scenario spec: tests/rules/${name}/scenarios.yml does not exist, so no property is checked`, fails: false }] : []),
        ];
    const checks = CHECKS.map((name) => {
      if (notLoaded && name !== 'validate') return { name, passed: true, skipped: 'the rule could not be loaded' };
      if (!hasGolden && (name === 'golden' || name === 'coverage')) return { name, passed: true, skipped: name === 'golden' ? 'no rule-test.yml' : 'no golden events' };
      if (name === 'sql' && i % 9 === 0) return { name, passed: true, skipped: 'a |re value has no exact SQL form' };
      return { name, passed: !failedChecks.has(name) };
    });
    const covered = hasGolden ? (failedChecks.has('coverage') ? 60 : 80 + Math.floor(next() * 21)) : undefined;
    const tags = [pick(TACTICS), pick(TECHNIQUES)];
    rules.push({
      id,
      title,
      file,
      ...(notLoaded ? {} : { level: pick(LEVELS), status: pick(['test', 'experimental', 'stable']), logsource: source }),
      tags,
      passed: failures.length === 0,
      checks,
      counts: {
        truePositives: cases.filter((c) => c.expected === 'match').length,
        trueNegatives: cases.filter((c) => c.expected === 'no-match').length,
        falsePositives: 0,
      },
      cases,
      ...(covered === undefined ? {} : { coverage: { values: { covered, total: 100, uncovered: covered < 100 ? ['selection: CommandLine|contains = -enc'] : [] }, conditions: { covered: 2, total: 2, uncovered: [] }, percent: covered } }),
      ...(notLoaded ? {} : { properties: { runs: 200, seed: 42, properties: 3, failed: failedChecks.has('properties') ? 1 : 0 } }),
      failures,
      gaps,
      inputs: hasGolden
        ? [
            { file: `${testFolder}/true-positives.ndjson`, read: Math.ceil(caseCount / 2), notParsed: 0, recognised: [{ source: 'sysmon-1', count: Math.ceil(caseCount / 2) }], taxonomy: [], unrecognised: [], skipped: [], problems: 0 },
            { file: `${testFolder}/true-negatives-from-the-estate.ndjson`, read: Math.floor(caseCount / 2), notParsed: 0, recognised: [{ source: 'sysmon-1', count: Math.floor(caseCount / 2) }], taxonomy: [], unrecognised: [], skipped: [], problems: 0 },
          ]
        : [],
      ...(notLoaded ? { loadError: 'the rule could not be loaded: yaml/tab-indentation YAML: tab characters must not be used in indentation (line 13)' } : {}),
    });
  }
  return {
    pack: { name: 'synthetic-pack', version: '1.0.0' },
    rules,
    diagnostics: [
      ...Array.from({ length: 60 }, (_, n) => ({ code: 'tag/unknown-attack-id', severity: 'warning' as const, message: `tag attack.t9${String(n).padStart(3, '0')} is not an ATT&CK technique of the shipped data`, file: rules[n % rules.length]!.file, line: 9, column: 5 })),
      { code: 'mapping/unknown-field', severity: 'error' as const, message: 'mappings/sysmon.yml maps a field twice: CommandLine', file: 'mappings/sysmon.yml', line: 12, column: 3 },
    ],
    passed: false,
  };
}
