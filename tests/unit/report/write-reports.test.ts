import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError } from '../../../src/files/write-file-atomic.js';
import { INCOMPLETE_MARKER, REPORT_FILES, writeReports } from '../../../src/report/write-reports.js';
import { chineseRule, sampleReport, smallAttack } from './fixtures.js';

describe('writeReports', () => {
  it('creates the directory and writes the six reports (report.json last), returning their paths', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dac-write-'));
    const dir = join(root, 'deep', 'reports');
    const paths = await writeReports(sampleReport, dir, { attack: smallAttack, repoRoot: root, startedAt: new Date('2026-01-02T03:04:05Z'), hostname: 'box' });
    expect(paths).toEqual(Object.values(REPORT_FILES).map((name) => join(dir, name)));
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    expect(read('junit.xml')).toContain('timestamp="2026-01-02T03:04:05" hostname="box"');
    expect(JSON.parse(read('results.sarif'))).toMatchObject({ version: '2.1.0' });
    expect(read('summary.md')).toContain(chineseRule.title);
    expect(read('report.html')).toContain(chineseRule.title);
    expect(JSON.parse(read('navigator-layer.json'))).toMatchObject({ domain: 'enterprise-attack', versions: { layer: '4.5', attack: '18' } });
  });

  it('reads ATT&CK data from the repository root when none is given', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dac-write-'));
    mkdirSync(join(root, 'data', 'attack'), { recursive: true });
    writeFileSync(
      join(root, 'data', 'attack', 'attack-enterprise.json'),
      JSON.stringify({ attack_version: '99.9', tactics: [{ id: 'TA0003', shortname: 'persistence', name: 'Persistence (test data)' }], techniques: [{ id: 'T1505.003', name: 'Web Shell (test data)', tactics: ['persistence'] }] }),
    );
    const dir = join(root, 'out');
    await writeReports(sampleReport, dir, { repoRoot: root });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Persistence (test data)');
    expect(html).toContain('Web Shell (test data)');
    expect(html).toContain('ATT&amp;CK Enterprise v99.9');
    expect(JSON.parse(readFileSync(join(dir, 'navigator-layer.json'), 'utf8')).versions.attack).toBe('99');
  });

  it("reads the harness's own ATT&CK copy when the repository keeps none (a team's repository)", async () => {
    const root = mkdtempSync(join(tmpdir(), 'dac-write-'));
    const paths = await writeReports(sampleReport, join(root, 'out'), { repoRoot: root });
    expect(paths).toHaveLength(6);
    const html = readFileSync(join(root, 'out', 'report.html'), 'utf8');
    expect(html).toContain('ATT&amp;CK Enterprise v18.1');
    expect(html).not.toContain('report/attack-data');
  });

  it('still writes every report when the ATT&CK data is unreadable, saying so in the HTML', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dac-write-'));
    mkdirSync(join(root, 'data', 'attack'), { recursive: true });
    writeFileSync(join(root, 'data', 'attack', 'attack-enterprise.json'), '{ not json');
    const paths = await writeReports(sampleReport, join(root, 'out'), { repoRoot: root });
    expect(paths).toHaveLength(Object.keys(REPORT_FILES).length);
    const html = readFileSync(join(root, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<code>data/attack/attack-enterprise.json:1:1</code></td><td><code>report/attack-data</code></td><td>ATT&amp;CK data is not JSON');
    expect(html).toContain('names unavailable');
  });

  it('replaces a previous run whole, removes what a killed run left, and leaves no INCOMPLETE marker', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dac-write-'));
    const dir = join(root, 'out');
    mkdirSync(dir);
    for (const name of Object.values(REPORT_FILES)) writeFileSync(join(dir, name), 'old run');
    writeFileSync(join(dir, INCOMPLETE_MARKER), 'a killed run');
    writeFileSync(join(dir, '.report.json.dac-123-0badcafe.tmp'), 'half');
    writeFileSync(join(dir, 'notes.txt'), 'the user\'s own file');
    await writeReports(sampleReport, dir, { attack: smallAttack, repoRoot: root });
    expect(readdirSync(dir).sort()).toEqual([...Object.values(REPORT_FILES), 'notes.txt'].sort());
    for (const name of Object.values(REPORT_FILES)) expect(readFileSync(join(dir, name), 'utf8')).not.toBe('old run');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(sampleReport)));
  });

  it('names the report it cannot write, and leaves the INCOMPLETE marker rather than old reports beside new ones', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dac-write-'));
    const dir = join(root, 'out');
    mkdirSync(dir);
    for (const name of Object.values(REPORT_FILES)) if (name !== 'report.html') writeFileSync(join(dir, name), 'old run');
    // A folder stands where report.html goes: it can be neither removed nor replaced by a file.
    mkdirSync(join(dir, 'report.html'));
    const failed = await writeReports(sampleReport, dir, { attack: smallAttack, repoRoot: root }).catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(FileWriteError);
    expect((failed as FileWriteError).path).toBe(join(dir, 'report.html'));
    const left = readdirSync(dir).filter((name) => name !== 'report.html');
    expect(left).toContain(INCOMPLETE_MARKER);
    const old = left.filter((name) => name !== INCOMPLETE_MARKER && readFileSync(join(dir, name), 'utf8') === 'old run');
    const fresh = left.filter((name) => name !== INCOMPLETE_MARKER && readFileSync(join(dir, name), 'utf8') !== 'old run');
    expect(old.length === 0 || fresh.length === 0).toBe(true);
    expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
