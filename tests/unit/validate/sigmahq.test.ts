import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import { validateFileSet } from '../../../src/validate/validate-files.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** SigmaHQ's whole rule folder (tests/fixtures/sigmahq): rules pySigma runs must validate here too. */
describe("SigmaHQ's rules", () => {
  it('validate without an error; a YAML 1.1 number gets a warning with the fix, a rule no mapping routes a warning', async () => {
    const { mappings } = await loadMappings(DEFAULT_MAPPINGS_DIR);
    const result = await validateFileSet(['tests/fixtures/sigmahq/rules'], { cwd: root, mapping: mappings });
    expect(result.files.length).toBe(3141);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const keyboard = 'tests/fixtures/sigmahq/rules/windows/registry/registry_set/registry_set_susp_keyboard_layout_load.yml';
    expect(result.diagnostics.filter((d) => d.code === 'yaml/ambiguous-number').map((d) => [d.file, d.line, d.message.endsWith("Quote it to say so: '00000429'") || d.message.endsWith("Quote it to say so: '00050429'")])).toEqual([
      [keyboard, 24, true],
      [keyboard, 25, true],
    ]);
    const unmapped = result.diagnostics.filter((d) => d.code === 'logsource/unmapped');
    expect(unmapped.some((d) => d.message.includes('{product: aws, service: cloudtrail}'))).toBe(true);
    // Every Windows service SigmaHQ's rules name has a channel in the mappings; only EDR-only categories remain.
    expect(new Set(unmapped.filter((d) => d.message.includes('product: windows')).map((d) => /\{([^}]*)\}/.exec(d.message)?.[1]))).toEqual(
      new Set(['category: file_access, product: windows', 'category: file_rename, product: windows']),
    );
  });
});
