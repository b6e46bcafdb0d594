import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { modifierRegistry } from '../../../src/modifiers/registry.js';
import { lintRegistry } from '../../../src/validate/lint-registry.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import { readSchema } from '../../../src/validate/sigma-schemas.js';
import { validateFiles } from '../../../src/validate/validate-files.js';

const corpus = fileURLToPath(new URL('../../corpus/', import.meta.url));
const validDir = path.join(corpus, 'valid');
const invalidDir = path.join(corpus, 'invalid');
const yamlFiles = (dir: string) => readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();

/** The `# expect: code line:col` declarations at the top of an invalid corpus file. */
function readExpectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+) (\d+):(\d+)$/gm)].map((match) => `${match[1]} ${match[2]}:${match[3]}`);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readValidDocuments(): Record<string, unknown>[] {
  return yamlFiles(validDir).flatMap((name) =>
    (loadAll(readFileSync(path.join(validDir, name), 'utf8').replace(/^\uFEFF/, '')) as unknown[]).filter(isRecord),
  );
}

describe('the valid corpus', () => {
  it('validates as a whole with no diagnostic at all', async () => {
    const diagnostics = await validateFiles(['valid'], { cwd: corpus });
    expect(diagnostics).toEqual([]);
  });

  it('holds a correlation rule of every type the correlation schema allows', () => {
    const schema = readSchema('correlation') as { $defs: { correlation: { properties: { type: { enum: string[] } } } } };
    const types = new Set(readValidDocuments().flatMap((doc) => (isRecord(doc.correlation) ? [String(doc.correlation.type)] : [])));
    expect([...types].sort()).toEqual([...schema.$defs.correlation.properties.type.enum].sort());
  });

  it('uses every value modifier of Sigma v2.1 in its detections and filters', () => {
    const used = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (isRecord(node)) {
        for (const [key, value] of Object.entries(node)) {
          key.split('|').slice(1).forEach((modifier) => used.add(modifier));
          collect(value);
        }
      }
    };
    for (const doc of readValidDocuments()) collect([doc.detection, doc.filter]);
    expect([...used].sort()).toEqual(Object.keys(modifierRegistry).sort());
  });
});

describe('the invalid corpus', () => {
  const files = yamlFiles(invalidDir);

  it.each(files)('%s reports exactly the diagnostics it declares', async (name) => {
    const expected = readExpectations(readFileSync(path.join(invalidDir, name), 'utf8'));
    expect(expected.length).toBeGreaterThan(0);
    // Each file is validated alone: its defect must not depend on, or leak into, the others. The
    // logsource cases are validated with the repository's mappings, which that lint needs.
    const mapping = name.startsWith('logsource_') ? (await loadMappings(DEFAULT_MAPPINGS_DIR)).mappings : undefined;
    const diagnostics = await validateFiles([name], { cwd: invalidDir, ...(mapping ? { mapping } : {}) });
    expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`).sort()).toEqual(expected.sort());
    for (const d of diagnostics) expect(d.file).toBe(name);
  });

  it('has a case for every registered lint', () => {
    const declared = new Set(files.flatMap((name) => readExpectations(readFileSync(path.join(invalidDir, name), 'utf8')).map((e) => e.split(' ')[0])));
    const missing = Object.keys(lintRegistry).filter((code) => !declared.has(code));
    expect(missing).toEqual([]);
  });
});
