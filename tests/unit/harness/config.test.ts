import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, locateMappings } from '../../../src/harness/config.js';
import { DEFAULT_MAPPINGS_DIR } from '../../../src/mapping/load-mappings.js';

const emptyRepo = (): string => mkdtempSync(join(tmpdir(), 'dac-config-'));

describe('the mapping folder a repository uses', () => {
  it("is the harness's own when the repository has none and names none (a team's repository)", async () => {
    const root = emptyRepo();
    expect(locateMappings(root, undefined)).toBe(DEFAULT_MAPPINGS_DIR);
    expect((await loadConfig(root)).config.mappings).toBe(DEFAULT_MAPPINGS_DIR);
  });

  it('is the repository’s own mappings/ when it has one', async () => {
    const root = emptyRepo();
    mkdirSync(join(root, 'mappings'));
    expect((await loadConfig(root)).config.mappings).toBe(join(root, 'mappings'));
  });

  it('is the folder dac.config.yml names, even a missing one, so a wrong name is reported rather than replaced', async () => {
    const root = emptyRepo();
    writeFileSync(join(root, 'dac.config.yml'), 'rules: detections\nmappings: sources/mappings\n');
    const { config, diagnostics } = await loadConfig(root);
    expect(diagnostics).toEqual([]);
    expect(config.rules).toBe('detections');
    expect(config.mappings).toBe(join(root, 'sources', 'mappings'));
  });
});
