import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPack } from '../../../src/cli/pack.js';
import { createTempRepo, RULE_ID, RULE_PATH, ruleText, type TempRepo } from '../version/helpers/temp-repo.js';
import { readTgzFiles } from '../pack/helpers/read-tar.js';

const report = (passed: boolean) => ({
  pack: { name: 'sigma-dac', version: '0.1.0' },
  passed,
  diagnostics: [],
  rules: [{ id: RULE_ID, title: 't', file: RULE_PATH, tags: [], sha256: createHash('sha256').update(ruleText()).digest('hex'), passed, checks: [{ name: 'golden', passed }], counts: { truePositives: 1, trueNegatives: 2, falsePositives: 0 }, cases: [], failures: [] }],
});

describe('dac pack', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('builds dist/<name>-rules-<version>.tgz and its .sha256 by default, and prints both', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    await repo.write('LICENSE', 'MIT License\n');
    repo.commit('rule');
    const io = repo.io();
    expect(await runPack([], io)).toBe(0);
    const archive = await readFile(join(repo.root, 'dist/sigma-dac-rules-0.1.0.tgz'));
    const digest = createHash('sha256').update(archive).digest('hex');
    expect(io.out()).toBe(`dist/sigma-dac-rules-0.1.0.tgz: sigma-dac-rules@0.1.0, 1 rule(s), 16 files\nsha256 ${digest} (dist/sigma-dac-rules-0.1.0.tgz.sha256)\n`);
    expect(await readFile(join(repo.root, 'dist/sigma-dac-rules-0.1.0.tgz.sha256'), 'utf8')).toBe(`${digest}  sigma-dac-rules-0.1.0.tgz\n`);
  });

  it('puts the report\'s test summaries in the manifest, warning when tests failed', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    await repo.write('reports/report.json', JSON.stringify(report(false)));
    await repo.write('LICENSE', 'MIT License\n');
    const io = repo.io();
    expect(await runPack(['--out', 'out', '--report', 'reports/report.json'], io)).toBe(0);
    expect(io.err()).toContain('warning: reports/report.json records failing tests');
    const files = readTgzFiles(await readFile(join(repo.root, 'out/sigma-dac-rules-0.1.0.tgz')));
    const manifest = JSON.parse(files.get('package/manifest.json')!);
    expect(manifest.rules[0].tests).toEqual({ passed: false, checks: { golden: 'failed' }, truePositives: 1, trueNegatives: 2, falsePositives: 0 });
  });

  it('exits 2 for an unreadable or malformed report, and 1 for rules it cannot pack', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    await repo.write('bad.json', '{"rules": "nope"}');
    const missing = repo.io();
    expect(await runPack(['--report', 'nowhere.json'], missing)).toBe(2);
    expect(missing.err()).toContain('nowhere.json:1:1 error report/unreadable');
    const malformed = repo.io();
    expect(await runPack(['--report', 'bad.json'], malformed)).toBe(2);
    expect(malformed.err()).toContain('report/malformed');

    await repo.write('rules/no-id.yml', 'title: No Id\n');
    const invalid = repo.io();
    expect(await runPack([], invalid)).toBe(1);
    expect(invalid.err()).toContain('rules/no-id.yml:1:1 error version/missing-id');
    expect(invalid.err()).toContain('no pack written');
  });

  it('exits 2 on bad arguments, printing usage', async () => {
    repo = await createTempRepo();
    const io = repo.io();
    expect(await runPack(['--bogus'], io)).toBe(2);
    expect(io.err()).toContain('usage: dac pack');
  });
});
