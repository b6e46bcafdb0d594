import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';

const dir = mkdtempSync(join(tmpdir(), 'dac-mappings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const folder = (name: string, files: Record<string, string>): string => {
  const path = join(dir, name);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
};

const GOOD = `
logsources:
  - logsource: { category: process_creation, product: windows }
    sources:
      - id: custom
        title: Custom process source
        channel: Custom/Operational
        eventIds: [7]
        fields:
          Image: Exe
`;

describe('loadMappings', () => {
  it('loads the repository mappings with no diagnostics', async () => {
    const { mappings, diagnostics } = await loadMappings(DEFAULT_MAPPINGS_DIR);
    expect(diagnostics).toEqual([]);
    expect(mappings.entries.length).toBeGreaterThan(30);
    const categories = new Set(mappings.entries.map((entry) => entry.logsource.category));
    for (const category of ['process_creation', 'network_connection', 'file_event', 'registry_add', 'registry_delete', 'registry_set', 'registry_event', 'ps_script', 'image_load', 'dns_query']) {
      expect(categories).toContain(category);
    }
    const services = new Set(mappings.entries.map((entry) => entry.logsource.service));
    for (const service of ['security', 'sysmon', 'powershell', 'powershell-classic', 'system', 'application']) expect(services).toContain(service);
  });

  it('reports schema errors on the offending line and still loads the good files', async () => {
    const path = folder('mixed', {
      'a-good.yml': GOOD,
      'b-bad.yml': [
        'logsources:',
        '  - logsource: { category: process_creation }',
        '    sources:',
        '      - id: Bad Id',
        '        title: x',
        '        eventIds: [70000]',
        '        fields:',
        '          User: { join: [OnlyOne], separator: "\\\\" }',
        '        surprise: true',
      ].join('\n'),
      'c-not-yaml.yaml': 'logsources: [',
      'notes.txt': 'ignored',
    });
    const { mappings, diagnostics } = await loadMappings(path);
    expect(mappings.entries.map((entry) => entry.sources.map((s) => s.id))).toEqual([['custom']]);
    const bad = diagnostics.filter((d) => d.file.endsWith('b-bad.yml'));
    expect(bad.map((d) => d.line).sort()).toEqual(expect.arrayContaining([4, 6, 9]));
    expect(bad.every((d) => d.severity === 'error' && d.code.startsWith('schema/'))).toBe(true);
    expect(diagnostics.some((d) => d.file.endsWith('c-not-yaml.yaml') && d.code.startsWith('yaml/'))).toBe(true);
    expect(diagnostics.some((d) => d.file.endsWith('notes.txt'))).toBe(false);
  });

  it('reports a source listed twice for one log source', async () => {
    const path = folder('dupe', {
      'm.yml': `${GOOD}      - id: custom\n        title: again\n        channel: Other\n`,
    });
    const { mappings, diagnostics } = await loadMappings(path);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'mapping/duplicate-source', line: 11, column: 13 })]);
    expect(mappings.entries[0]?.sources).toHaveLength(1);
  });

  it('adds up entries of several files for the same log source', async () => {
    const path = folder('merge', {
      'a.yml': GOOD,
      'b.yml': GOOD.replace('id: custom', 'id: custom2').replace('Custom/Operational', 'Other'),
    });
    const { mappings } = await loadMappings(path);
    expect(resolveLogSource(mappings, { category: 'process_creation', product: 'windows' }).map((s) => s.id)).toEqual(['custom', 'custom2']);
  });

  it('reports a folder that cannot be read', async () => {
    const { mappings, diagnostics } = await loadMappings(join(dir, 'nope'));
    expect(mappings.entries).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'mapping/unreadable-dir', severity: 'error' })]);
  });
});
