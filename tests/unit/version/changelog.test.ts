import { execFile } from 'node:child_process';
import { copyFile, readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { changesetText, createTempRepo, RULE_ID, type TempRepo } from './helpers/temp-repo.js';

interface ReleaseChangeset {
  id: string;
  summary: string;
  releases: { name: string; type: string }[];
}
interface ChangelogModule {
  getReleaseLine(changeset: ReleaseChangeset, type: string): Promise<string>;
  getDependencyReleaseLine(): Promise<string>;
  renderChangesets(changesets: { summary: string }[]): string;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const changelog = createRequire(import.meta.url)(join(root, '.changeset/changelog.cjs')) as ChangelogModule;
const changeset = (id: string, summary: string): ReleaseChangeset => ({ id, summary, releases: [{ name: 'sigma-dac', type: 'minor' }] });

describe('the changelog module', () => {
  it('groups the changesets of one bump type by kind, in a fixed order, whatever order they come in', async () => {
    const lines = await Promise.all([
      changelog.getReleaseLine(changeset('b', 'tuned: b.yml Rule B'), 'minor'),
      changelog.getReleaseLine(changeset('a', `added: ${RULE_ID} Rule A\n\nWhy it was added.`), 'minor'),
      changelog.getReleaseLine(changeset('c', 'Harness: faster replay.'), 'minor'),
    ]);
    // The first call carries the whole block; changesets drops the empty ones.
    expect(lines.slice(1)).toEqual(['', '']);
    expect(lines[0]).toBe(
      `#### Added\n\n- \`${RULE_ID}\` Rule A\n\n  Why it was added.\n\n#### Tuned\n\n- \`b.yml\` Rule B\n\n#### Other changes\n\n- Harness: faster replay.\n`,
    );
  });

  it('keeps bump types apart', async () => {
    const [minor, patch] = await Promise.all([
      changelog.getReleaseLine(changeset('a', 'added: a.yml A'), 'minor'),
      changelog.getReleaseLine(changeset('b', 'deprecated: b.yml B'), 'patch'),
    ]);
    expect(minor).toBe('#### Added\n\n- `a.yml` A\n');
    expect(patch).toBe('#### Deprecated\n\n- `b.yml` B\n');
  });

  it('renders a changeset on its own when called one at a time', async () => {
    expect(await changelog.getReleaseLine(changeset('r', 'removed: r.yml Old Rule'), 'major')).toBe('#### Removed\n\n- `r.yml` Old Rule\n');
    expect(await changelog.getReleaseLine(changeset('d', 'detection-changed: d.yml D'), 'major')).toBe('#### Detection changed\n\n- `d.yml` D\n');
    expect(await changelog.getDependencyReleaseLine()).toBe('');
  });
});

describe('changeset version with the repository configuration', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('bumps the version, writes the grouped CHANGELOG under its header and consumes the changesets', async () => {
    repo = await createTempRepo();
    for (const file of ['config.json', 'changelog.cjs', 'README.md']) {
      await repo.write(`.changeset/${file}`, await readFile(join(root, '.changeset', file), 'utf8'));
    }
    await copyFile(join(root, 'CHANGELOG.md'), join(repo.root, 'CHANGELOG.md'));
    await repo.write('.changeset/add.md', changesetText('minor', `added: ${RULE_ID} Shell Spawned by a Web Server`));
    await repo.write('.changeset/tune.md', changesetText('patch', 'tuned: proc_other.yml Other Rule\n\nFewer false positives from backup agents.'));
    repo.commit('pending changesets');
    const bin = join(root, 'node_modules/@changesets/cli/bin.js');
    await promisify(execFile)(process.execPath, [bin, 'version'], { cwd: repo.root });

    expect(JSON.parse(await readFile(join(repo.root, 'package.json'), 'utf8')).version).toBe('0.2.0');
    const text = await readFile(join(repo.root, 'CHANGELOG.md'), 'utf8');
    const header = (await readFile(join(root, 'CHANGELOG.md'), 'utf8')).split('\n')[0];
    expect(text.startsWith(`${header}\n\n## 0.2.0\n`)).toBe(true);
    expect(text).toMatch(/### Minor Changes\n\n#### Added\n\n- `2a1c1239-2603-413d-89eb-93656dcf81a9` Shell Spawned by a Web Server\n/);
    expect(text).toMatch(/### Patch Changes\n\n#### Tuned\n\n- `proc_other.yml` Other Rule\n\n {2}Fewer false positives from backup agents\.\n/);
    expect((await readdir(join(repo.root, '.changeset'))).sort()).toEqual(['README.md', 'changelog.cjs', 'config.json']);
  });
});
