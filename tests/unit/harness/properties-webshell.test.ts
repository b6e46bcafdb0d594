import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProperties } from '../../../src/harness/properties.js';
import { compileWithMappings } from './properties-pack.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const RULE_FILE = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const TEST_FOLDER = join(repoRoot, 'tests/rules/proc_creation_win_webshell_spawn');

// The detection of the write-up's original rule (seed/000_34a43a8019901ab4.txt), before the properties' fixes.
const SEED_DETECTION = `detection:
  selection:
    ParentImage:
      - '*\\w3wp.exe'
      - '*\\httpd.exe'
      - '*\\nginx.exe'
      - '*\\php-cgi.exe'
      - '*\\tomcat.exe'
      - '*\\sqlservr.exe'
    Image:
      - '*\\cmd.exe'
      - '*\\sh.exe'
      - '*\\bash.exe'
      - '*\\powershell.exe'
      - '*\\bitsadmin.exe'
      - '*\\cscript.exe'
      - '*\\wscript.exe'
      - '*\\net.exe'
      - '*\\net1.exe'
      - '*\\ping.exe'
      - '*\\whoami.exe'
  condition: selection
`;

async function runWebshell(text: string, runs: number) {
  const built = await compileWithMappings(text, RULE_FILE);
  return runProperties({ ...built, seed: 1505003, runs, repoRoot, testFolder: TEST_FOLDER });
}

describe('the web-shell rule against its scenario spec', () => {
  it('keeps the contract in every space and rendering, with the health-check filter applied too', async () => {
    const outcome = await runWebshell(await readFile(join(repoRoot, RULE_FILE), 'utf8'), 25);
    expect(outcome.failures).toEqual([]);
    expect(outcome.properties?.failed).toBe(0);
    const notes = outcome.notes.map((note) => note.message);
    // Blind spots derived from the mapping: no ParentImage before 4688 v2, never a parent command line in 4688.
    expect(notes).toContainEqual(expect.stringMatching(/Security event 4688 .*\(event versions 0, 1\).*needs ParentImage: /));
    expect(notes).toContainEqual(expect.stringMatching(/Security event 4688 .*\(event version 2\).*needs ParentCommandLine: /));
  });

  it("finds what the write-up's original rule misses", async () => {
    const current = await readFile(join(repoRoot, RULE_FILE), 'utf8');
    const seed = current.replace(/detection:\n[\s\S]*?(?=\nfields:)/, SEED_DETECTION.trimEnd());
    const outcome = await runWebshell(seed, 25);
    const messages = outcome.failures.map((failure) => failure.message);
    expect(messages).toContainEqual(expect.stringMatching(/^missed detection: .*\(true-positive space 'web server starts a shell or tool'/));
    // Its documented false positive names ipconfig, which the original Image list lacked.
    expect(messages).toContainEqual(expect.stringMatching(/^documented false positive that does not fire: health-check-w3wp -> ipconfig\.exe/));
    expect(messages.every((message) => /^(missed detection|documented false positive that does not fire): /.test(message))).toBe(true);
  });
});
