import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RuleReport, TestReport } from '../../../src/harness/test-report.js';
import { buildPack, formatSha256Sums, nameArchive, namePack, type BuiltPack } from '../../../src/pack/build-pack.js';
import type { PackManifest } from '../../../src/pack/manifest.js';
import { createTempRepo, RULE_ID, RULE_PATH, ruleText, type TempRepo } from '../version/helpers/temp-repo.js';
import { readTgzFiles } from './helpers/read-tar.js';

const OTHER_ID = '7d1e0a55-0000-4000-8000-00000000000d';
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

const ruleReport = (id: string, passed: boolean, tested = ruleText()): RuleReport => ({
  id,
  title: 't',
  file: RULE_PATH,
  tags: [],
  gaps: [],
  inputs: [],
  sha256: sha256(tested),
  passed,
  checks: [
    { name: 'golden', passed },
    { name: 'properties', passed: true, skipped: 'no generators for this log source' },
  ],
  counts: { truePositives: 3, trueNegatives: 5, falsePositives: 1 },
  cases: [],
  coverage: { values: { covered: 2, total: 2, uncovered: [] }, conditions: { covered: 1, total: 1, uncovered: [] }, percent: 100 },
  properties: { runs: 200, seed: 7, properties: 2, failed: 0 },
  failures: [],
});

async function packRepo(repo: TempRepo, outDir: string, extra: { report?: TestReport; commit?: string | null } = {}) {
  // The pack ships the license it declares; a repository without the file is refused (tested below).
  if (!existsSync(join(repo.root, 'LICENSE'))) await repo.write('LICENSE', 'MIT License\n\nCopyright (c) test\n');
  return buildPack({ repoRoot: repo.root, outDir, rulesDir: 'rules', filtersDir: 'filters', packageName: 'sigma-dac', packageVersion: '0.3.1', license: 'MIT', ...extra });
}

const FILTER = `title: Quiet Health Check
id: 5eec5c3d-0000-4000-8000-000000000001
logsource:
  category: process_creation
  product: windows
filter:
  rules:
    - ${RULE_ID}
  selection:
    User: 'IIS APPPOOL\\HealthCheck'
  condition: not selection
`;

describe('buildPack', () => {
  let repo: TempRepo;
  let built: BuiltPack;
  let files: Map<string, string>;
  beforeAll(async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    await repo.write('rules/linux/other.yaml', `${ruleText({ id: OTHER_ID, title: 'Pipe | in title' })}---\nid: extra-document\ntitle: second\n`);
    await repo.write('filters/mf_health_check.yml', FILTER);
    await repo.write('LICENSE', 'MIT License\n\nCopyright (c) test\n');
    repo.commit('rules');
    const result = await packRepo(repo, 'dist', { report: { pack: { name: 'sigma-dac', version: '0.3.1' }, passed: true, rules: [ruleReport(RULE_ID, true)], diagnostics: [] } });
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['pack/untested', 'pack/untested']);
    built = result.pack!;
    files = readTgzFiles(await readFile(built.archive));
    return () => repo.dispose();
  });

  it('names the pack <package>-rules and the archive as npm pack does', () => {
    expect(namePack('sigma-dac')).toBe('sigma-dac-rules');
    expect(nameArchive('@acme/sigma-rules', '1.2.3')).toBe('acme-sigma-rules-1.2.3.tgz');
    expect(built.archive).toBe(join(repo.root, 'dist', 'sigma-dac-rules-0.3.1.tgz'));
  });

  it('lays out an npm package: rules as YAML and JSON, manifest, checksums, README, package.json', () => {
    const queries = ['esql/ecs', 'kql/defender', 'kql/sentinel', 'spark/spark', 'spl/security-4688', 'spl/sysmon', 'sql/duckdb'];
    const extension = { esql: 'esql', kql: 'kql', spark: 'sql', spl: 'spl', sql: 'sql' } as Record<string, string>;
    expect([...files.keys()]).toEqual([
      'package/ATTRIBUTION.md',
      'package/LICENSE',
      'package/README.md',
      'package/SHA256SUMS',
      'package/filters/mf_health_check.json',
      'package/filters/mf_health_check.yml',
      'package/manifest.json',
      'package/package.json',
      ...queries.flatMap((key) => [
        ...(key === 'sql/duckdb' ? ['package/queries/sql/duckdb/prelude.sql'] : []),
        `package/queries/${key}/other.${extension[key.split('/')[0]!]}`,
        `package/queries/${key}/proc_creation_win_webshell_spawn.${extension[key.split('/')[0]!]}`,
      ]).sort(),
      'package/rules/linux/other.json',
      'package/rules/linux/other.yaml',
      'package/rules/windows/process_creation/proc_creation_win_webshell_spawn.json',
      'package/rules/windows/process_creation/proc_creation_win_webshell_spawn.yml',
    ].sort());
    expect(JSON.parse(files.get('package/package.json')!)).toMatchObject({
      name: 'sigma-dac-rules',
      version: '0.3.1',
      license: 'MIT',
      files: ['rules/', 'filters/', 'queries/', 'manifest.json', 'SHA256SUMS', 'README.md', 'ATTRIBUTION.md', 'LICENSE'],
    });
    expect(files.get('package/LICENSE')).toContain('MIT License');
    // The queries apply the filter that tunes the rule.
    expect(files.get('package/queries/kql/sentinel/proc_creation_win_webshell_spawn.kql')).toContain('and not(SubjectAccount =~ "iis apppool\\\\healthcheck"))');
    expect(files.get('package/ATTRIBUTION.md')).toContain(`\`${RULE_ID}\``);
  });

  it('copies the YAML byte for byte and writes the same rule as JSON', () => {
    const yaml = files.get(`package/${RULE_PATH}`)!;
    expect(yaml).toBe(ruleText());
    expect(JSON.parse(files.get(`package/${RULE_PATH.replace('.yml', '.json')}`)!)).toEqual(load(yaml));
    // A file of several documents becomes the list of them.
    const other = JSON.parse(files.get('package/rules/linux/other.json')!) as { id: string }[];
    expect(other.map((document) => document.id)).toEqual([OTHER_ID, 'extra-document']);
  });

  it('checksums every other file in sha256sum format', () => {
    const lines = files.get('package/SHA256SUMS')!.trimEnd().split('\n');
    const listed = lines.map((line) => line.split('  ')[1]);
    expect(listed).toEqual([...files.keys()].map((name) => name.slice('package/'.length)).filter((name) => name !== 'SHA256SUMS'));
    for (const line of lines) {
      const [digest, path] = line.split('  ');
      expect(digest).toBe(sha256(files.get(`package/${path}`)!));
    }
    expect(formatSha256Sums(new Map([['b', Buffer.from('')], ['a', Buffer.from('x')]]))).toBe(`${sha256('x')}  a\n${sha256('')}  b\n`);
  });

  it('keeps SHA256SUMS one line per file whatever the names, as GNU sha256sum escapes them, and sha256sum -c agrees', async () => {
    const names = ['plain.yml', 'new\nline.yml', 'back\\slash.yml', 'cr\rreturn.yml'];
    const sums = formatSha256Sums(new Map(names.map((name) => [name, Buffer.from(name)])));
    expect(sums.split('\n')).toHaveLength(names.length + 1);
    expect(sums).toContain(`\\${sha256('new\nline.yml')}  new\\nline.yml\n`);
    expect(sums).toContain(`\\${sha256('back\\slash.yml')}  back\\\\slash.yml\n`);
    const dir = await mkdtemp(join(tmpdir(), 'dac-sums-'));
    try {
      for (const name of names) await writeFile(join(dir, name), name);
      await writeFile(join(dir, 'SHA256SUMS'), sums);
      const { stdout } = await promisify(execFile)('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir });
      expect(stdout.trim().split('\n')).toHaveLength(names.length);
      expect(stdout).not.toContain('FAILED');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes the manifest: versions, commit, and per rule id, title, level, status, ATT&CK, logic hash and tests', () => {
    const manifest = JSON.parse(files.get('package/manifest.json')!) as PackManifest;
    expect(manifest).toMatchObject({
      name: 'sigma-dac-rules',
      version: '0.3.1',
      harness: { name: 'sigma-dac', version: '0.3.1', commit: repo.git('rev-parse', 'HEAD').trim() },
      testReport: { pack: { name: 'sigma-dac', version: '0.3.1' }, passed: true },
    });
    expect(manifest.harness.dirty).toBeUndefined();
    expect(manifest.rules.map((rule) => rule.id)).toEqual([OTHER_ID, 'extra-document', RULE_ID]);
    const webShell = manifest.rules.find((rule) => rule.id === RULE_ID)!;
    expect(webShell).toEqual({
      id: RULE_ID,
      title: 'Shell Spawned by a Web Server',
      file: RULE_PATH,
      json: RULE_PATH.replace('.yml', '.json'),
      status: 'experimental',
      level: 'high',
      modified: '2026-01-10',
      attack: { tags: ['attack.persistence', 'attack.t1505.003'], techniques: ['T1505.003'], tactics: ['persistence'] },
      logicHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      sha256: sha256(ruleText()),
      queries: expect.objectContaining({ 'sql/duckdb': 'queries/sql/duckdb/proc_creation_win_webshell_spawn.sql' }),
      tests: {
        passed: true,
        checks: { golden: 'passed', properties: 'skipped: no generators for this log source' },
        truePositives: 3,
        trueNegatives: 5,
        falsePositives: 1,
        coveragePercent: 100,
        properties: { runs: 200, seed: 7, failed: 0 },
      },
    });
    expect(manifest.rules.find((rule) => rule.id === OTHER_ID)?.tests).toBeUndefined();
  });

  it('writes a README with the rule table, escaping table syntax', () => {
    const readme = files.get('package/README.md')!;
    expect(readme).toContain('# sigma-dac-rules 0.3.1');
    expect(readme).toContain(`| \`${RULE_ID}\` | Shell Spawned by a Web Server | high | experimental | T1505.003 | passed |`);
    expect(readme).toContain('Pipe \\| in title');
    expect(readme).toContain('npm install ./sigma-dac-rules-0.3.1.tgz');
  });

  it('writes <archive>.sha256 with the archive digest', async () => {
    const archive = await readFile(built.archive);
    expect(built.sha256).toBe(sha256(archive));
    expect(await readFile(built.checksumFile, 'utf8')).toBe(`${sha256(archive)}  sigma-dac-rules-0.3.1.tgz\n`);
  });

  it('builds byte-identical archives from the same commit', async () => {
    const again = await packRepo(repo, 'dist-again', { report: { pack: { name: 'sigma-dac', version: '0.3.1' }, passed: true, rules: [ruleReport(RULE_ID, true)], diagnostics: [] } });
    expect(again.pack?.sha256).toBe(built.sha256);
    expect((await readFile(again.pack!.archive)).equals(await readFile(built.archive))).toBe(true);
  });

  it('installs with npm from the archive, offline, in an empty folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dac-install-'));
    try {
      await promisify(execFile)('npm', ['install', built.archive, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', join(folder, '.npm-cache')], { cwd: folder });
      const installed = join(folder, 'node_modules', 'sigma-dac-rules');
      expect((await readdir(installed)).sort()).toEqual(['ATTRIBUTION.md', 'LICENSE', 'README.md', 'SHA256SUMS', 'filters', 'manifest.json', 'package.json', 'queries', 'rules']);
      expect((await readdir(join(installed, 'queries'))).sort()).toEqual(['esql', 'kql', 'spark', 'spl', 'sql']);
      expect(await readFile(join(installed, RULE_PATH), 'utf8')).toBe(ruleText());
      const manifest = JSON.parse(await readFile(join(installed, 'manifest.json'), 'utf8')) as PackManifest;
      expect(manifest.version).toBe('0.3.1');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('buildPack refusing bad input', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('writes nothing when a rule is unreadable, lacks an id or repeats one, and says where', async () => {
    repo = await createTempRepo();
    await repo.write('rules/a.yml', ruleText());
    await repo.write('rules/b.yml', ruleText());
    await repo.write('rules/c.yml', 'title: no id\n');
    await repo.write('rules/d.yml', 'title: [broken\n');
    const result = await packRepo(repo, 'dist', { commit: null });
    expect(result.pack).toBeUndefined();
    expect(result.diagnostics.map((diagnostic) => [diagnostic.file, diagnostic.code, diagnostic.line])).toEqual([
      ['rules/b.yml', 'version/duplicate-id', 2],
      ['rules/c.yml', 'version/missing-id', 1],
      ['rules/d.yml', 'yaml/syntax', 2],
    ]);
    await expect(readdir(join(repo.root, 'dist'))).rejects.toThrow();
  });

  it('marks a rule untested when the report tested other bytes, or records no hash', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText({ level: 'low' }));
    const stale = await packRepo(repo, 'dist', { commit: null, report: { pack: { name: 'sigma-dac', version: '0.3.1' }, passed: true, rules: [ruleReport(RULE_ID, true)], diagnostics: [] } });
    const entry = stale.pack!.manifest.rules.find((rule) => rule.id === RULE_ID)!;
    expect(entry.tests).toBeUndefined();
    expect(entry.untested).toMatch(/tested other contents/);
    expect(stale.diagnostics.map((d) => d.code)).toContain('pack/stale-report');
    const { sha256: _dropped, ...unhashed } = ruleReport(RULE_ID, true, ruleText({ level: 'low' }));
    const old = await packRepo(repo, 'dist2', { commit: null, report: { pack: { name: 'sigma-dac', version: '0.3.1' }, passed: true, rules: [unhashed], diagnostics: [] } });
    expect(old.pack!.manifest.rules.find((rule) => rule.id === RULE_ID)!.untested).toMatch(/records no hash/);
    const fresh = await packRepo(repo, 'dist3', { commit: null, report: { pack: { name: 'sigma-dac', version: '0.3.1' }, passed: true, rules: [ruleReport(RULE_ID, true, ruleText({ level: 'low' }))], diagnostics: [] } });
    expect(fresh.pack!.manifest.rules.find((rule) => rule.id === RULE_ID)!.tests?.passed).toBe(true);
  });

  it('refuses a pack whose declared license has no LICENSE file', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    const result = await buildPack({ repoRoot: repo.root, outDir: 'dist', rulesDir: 'rules', packageName: 'sigma-dac', packageVersion: '0.3.1', license: 'MIT', commit: null });
    expect(result.pack).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('pack/no-license-file');
  });

  it('marks a pack built from uncommitted rule changes as dirty, and records no commit outside git', async () => {
    repo = await createTempRepo();
    await repo.write('rules/a.yml', ruleText());
    repo.commit('a');
    await repo.write('rules/a.yml', ruleText({ level: 'low' }));
    const dirty = await packRepo(repo, 'dist');
    expect(dirty.pack?.manifest.harness).toMatchObject({ dirty: true });
    const noCommit = await packRepo(repo, 'dist2', { commit: null });
    expect(noCommit.pack?.manifest.harness).toEqual({ name: 'sigma-dac', version: '0.3.1' });
  });
});
