import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFileSet } from '../../../src/validate/validate-files.js';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

describe('the web-shell rule', () => {
  it('validates with no error and no warning', async () => {
    const result = await validateFileSet(['rules/windows/process_creation/proc_creation_win_webshell_spawn.yml'], { cwd: repository });
    expect(result.files).toEqual(['rules/windows/process_creation/proc_creation_win_webshell_spawn.yml']);
    expect(result.documents).toBe(1);
    expect(result.diagnostics).toEqual([]);
  });
});
