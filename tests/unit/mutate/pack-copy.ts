/** A copy of the repository's rule pack (rules, their tests, filters and mappings) in a temporary folder. */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// The captures some rule-test.yml files replay sit in tests/fixtures/evtx.
const PACK_PARTS = ['rules', 'filters', 'mappings', 'config', 'tests/rules', 'tests/fixtures/evtx', 'dac.config.yml', 'package.json', 'rules.lock.json'];

/** Copies the pack; the tests can then break it without touching the repository. */
export async function copyPack(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dac-pack-'));
  for (const part of PACK_PARTS) await cp(join(repoRoot, part), join(root, part), { recursive: true });
  return root;
}

/** Removes the one event of an Event XML golden file whose text contains `needle`; throws unless exactly one does. */
export async function removeGoldenEvent(root: string, file: string, needle: string): Promise<void> {
  const path = join(root, file);
  const events = (await readFile(path, 'utf8')).split('\n');
  const hits = events.filter((line) => line.startsWith('<Event ') && line.includes(needle));
  if (hits.length !== 1) throw new Error(`${hits.length} events of ${file} contain ${needle}`);
  await writeFile(path, events.filter((line) => line !== hits[0]).join('\n'));
}
