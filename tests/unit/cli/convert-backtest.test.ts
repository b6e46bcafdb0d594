import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/cli/backtest.js';
import { runConvert } from '../../../src/cli/convert.js';
import { main } from '../../../src/cli/main.js';
import { runScan } from '../../../src/cli/scan.js';
import { openDuckDb } from '../../../src/backtest/duckdb-session.js';
import { captureIo } from './capture-io.js';

const ROOT = join(import.meta.dirname, '../../..');
// The web-shell rule, which every target converts exactly; other rules of the pack have log sources
// some targets do not map (dac convert says which, and dac pack warns), which these tests are not about.
const RULES = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const FLAT = 'tests/rules/proc_creation_win_webshell_spawn/events/tp-httpd.flat.ndjson';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dac-backtest-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

describe('dac convert', () => {
  it('answers --help and lists its targets; refuses a missing or unknown target', async () => {
    const help = captureIo(ROOT);
    expect(await main(['convert', '--help'], help)).toBe(0);
    expect(help.out()).toContain('--target sql|spark|kql|spl|esql');
    const none = captureIo(ROOT);
    expect(await runConvert([RULES], none)).toBe(2);
    expect(none.err()).toContain('no target');
    const unknown = captureIo(ROOT);
    expect(await runConvert(['--target', 'sigma', RULES], unknown)).toBe(2);
    expect(unknown.err()).toContain("--target takes sql, spark, kql, spl, esql, not 'sigma'");
  });

  it('prints one query per profile, tuned by the filters unless told not to', async () => {
    const io = captureIo(ROOT);
    expect(await runConvert(['--target', 'kql', RULES], io)).toBe(0);
    expect(io.out()).toContain('DeviceProcessEvents\n| where');
    expect(io.out()).toContain('SecurityEvent\n| where EventID == 4688');
    expect(io.out()).toContain('tuned by filters 5eec5c3d-ec97-4205-8324-a653d1c32a7e');
    expect(io.err()).toContain('1 rule(s), 2 profile(s) of kql: 2 queries, 0 not converted');
    const plain = captureIo(ROOT);
    expect(await runConvert(['--target', 'spl', '--profile', 'sysmon', '--no-filters', RULES], plain)).toBe(0);
    expect(plain.out()).not.toContain('tuned by');
  });

  it('writes DIR/<target>/<profile>/<rule>.<ext> with --out, and prints the DuckDB prelude', async () => {
    const io = captureIo(ROOT);
    expect(await runConvert(['--target', 'esql', '--out', join(scratch, 'q'), RULES], io)).toBe(0);
    expect(await readFile(join(scratch, 'q/esql/ecs/proc_creation_win_webshell_spawn.esql'), 'utf8')).toContain('FROM logs-windows.sysmon_operational-*');
    const prelude = captureIo(ROOT);
    expect(await runConvert(['--prelude'], prelude)).toBe(0);
    expect(prelude.out()).toContain('CREATE OR REPLACE MACRO sigma_fold(s)');
  });

  it('exits 1 and names the rule, item and target when a rule has no exact query', async () => {
    await writeFile(join(scratch, 'v6.yml'), "title: V6\nid: 6f1a2b3c-0000-4000-8000-000000000006\nlogsource: { category: network_connection, product: windows }\ndetection:\n  sel:\n    DestinationIp|cidr: '2001:db8::/32'\n  condition: sel\n");
    const io = captureIo(scratch);
    expect(await runConvert(['--target', 'sql', 'v6.yml'], io)).toBe(1);
    expect(io.err()).toMatch(/v6\.yml:6:\d+ error convert\/unsupported rule 6f1a2b3c-0000-4000-8000-000000000006 \(V6\): item DestinationIp\|cidr: IPv6/);
  });
});

describe('dac backtest', () => {
  it('answers --help and refuses a run without rules or files', async () => {
    const help = captureIo(ROOT);
    expect(await main(['backtest', '--help'], help)).toBe(0);
    expect(help.out()).toContain('NDJSON (.ndjson, .jsonl, .json) or Parquet');
    const io = captureIo(ROOT);
    expect(await runBacktest([FLAT], io)).toBe(2);
    expect(io.err()).toContain('--rules PATH is required');
  });

  it('prints the same NDJSON matches as dac scan on flat events', async () => {
    const scan = captureIo(ROOT);
    expect(await runScan(['--rules', RULES, FLAT], scan)).toBe(0);
    const backtest = captureIo(ROOT);
    expect(await runBacktest(['--rules', RULES, FLAT], backtest)).toBe(0);
    expect(backtest.out()).toBe(scan.out());
    expect(backtest.out().trim().split('\n')).toHaveLength(2);
    expect(backtest.err()).toContain(`${FLAT}: 4 records, 4 events in taxonomy form, 2 matches`);
  });

  it('keeps positions past unreadable and blank lines, counts Windows-form records, and reads Parquet', async () => {
    const match = { Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: 'C:\\inetpub\\w3wp.exe' };
    const lines = [JSON.stringify(match), '', 'not json', JSON.stringify({ Channel: 'Security', EventID: 4688 }), '   ', '{"broken": ', '\u00a0', JSON.stringify(match)];
    await writeFile(join(scratch, 'mixed.ndjson'), `${lines.join('\n')}\n`);
    const io = captureIo(scratch);
    expect(await runBacktest(['--rules', join(ROOT, RULES), 'mixed.ndjson'], io)).toBe(0);
    // Positions count non-blank lines (a line of only no-break spaces is blank, as JavaScript trims it).
    expect(io.out().trim().split('\n').map((line) => JSON.parse(line).event)).toEqual([0, 4]);
    expect(io.err()).toContain('mixed.ndjson: 5 records, 2 events in taxonomy form, 2 matches; 2 unreadable (not a JSON object; first at 1, 3); 1 skipped: in a Windows form');
    const scan = captureIo(scratch);
    await runScan(['--rules', join(ROOT, RULES), 'mixed.ndjson'], scan);
    expect(io.out()).toBe(scan.out());

    const session = await openDuckDb({ threads: 1 });
    try {
      await session.query(`COPY (SELECT * FROM (VALUES ('C:\\x\\notepad.exe', 'C:\\inetpub\\w3wp.exe'), ('C:\\x\\CMD.EXE', 'C:\\inetpub\\w3wp.exe')) t("Image", "ParentImage")) TO '${join(scratch, 'events.parquet')}' (FORMAT parquet)`);
    } finally {
      session.close();
    }
    const parquet = captureIo(scratch);
    expect(await runBacktest(['--rules', join(ROOT, RULES), '--format', 'text', '*.parquet'], parquet)).toBe(0);
    expect(parquet.out()).toBe(`${join(scratch, 'events.parquet')}:1 high Shell or Recon Tool Spawned by a Web Server Process (2a1c1239-2603-413d-89eb-93656dcf81a9)\n`);
  });

  it('exits 2 for a file it cannot read', async () => {
    const io = captureIo(scratch);
    expect(await runBacktest(['--rules', join(ROOT, RULES), 'missing.ndjson', 'events.csv'], io)).toBe(2);
    expect(io.err()).toContain('missing.ndjson: no such file; not read');
    expect(io.err()).toContain('events.csv: not NDJSON or Parquet');
  });
});
