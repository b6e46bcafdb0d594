import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileSourceBinding, type Mapping } from '../../../src/mapping/mapping.js';
import { createRulesFromPack, loadCompiledRules, type LoadedRules } from '../../../src/scan/load-rules.js';
import { fingerprintMapping } from '../../../src/scan/rule-cache.js';
import { createEvent, ruleText } from '../compile/rule-fixture.js';

let dir: string;
let cacheDir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dac-rule-cache-'));
  cacheDir = path.join(dir, 'cache');
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules', 'a.yml'), ruleText("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel"));
  await writeFile(path.join(dir, 'rules', 'b.yml'), ruleText("sel:\n  CommandLine|contains: 'whoami'\ncondition: sel").replace('00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001'));
  // A rule with an error, and one with a warning: diagnostics must come back from the cache as they were.
  await writeFile(path.join(dir, 'rules', 'c.yml'), ruleText("sel:\n  Image|badmodifier: 'x'\ncondition: sel"));
  await writeFile(path.join(dir, 'rules', 'd.yml'), `${ruleText("sel:\n  Image: 'x.exe'\ncondition: sel")}---\ntitle: not a rule\n`);
});

afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const mapping: Mapping = {
  entries: [
    {
      logsource: { category: 'process_creation', product: 'windows' },
      file: 'm.yml',
      sources: [compileSourceBinding({ id: 'security-4688', title: '4688', channel: 'Security', eventIds: [4688], fields: { Image: 'NewProcessName' } }, { category: 'process_creation', product: 'windows' }, 'm.yml')],
    },
  ],
};

/** What a load must give back the same from the cache: rules, requirements, needles, diagnostics, counts, verdicts. */
function summarize(loaded: LoadedRules): unknown {
  const events = [createEvent({ Image: 'C:\\CMD.EXE' }), createEvent({ CommandLine: 'whoami /all' }), { ...createEvent({ NewProcessName: 'C:\\cmd.exe' }), channel: 'Security', eventId: 4688 }];
  return {
    rules: loaded.rules.map((rule) => ({ id: rule.rule.id, file: rule.rule.file, requirements: rule.requirements, needles: rule.needles, verdicts: events.map((event) => rule.matches(event)) })),
    invalid: loaded.invalid,
    missing: loaded.missing,
    diagnostics: loaded.diagnostics,
  };
}

describe('loadCompiledRules with a rule cache', () => {
  it('gives back the same rules, diagnostics and verdicts from the cache, without parsing again', async () => {
    const fresh = await loadCompiledRules(['rules'], dir, {}, mapping);
    const first = await loadCompiledRules(['rules'], dir, { cacheDir }, mapping);
    expect(first.cache).toMatchObject({ hits: 0, misses: 4 });
    const second = await loadCompiledRules(['rules'], dir, { cacheDir }, mapping);
    expect(second.cache).toMatchObject({ hits: 4, misses: 0 });
    expect(second.cache?.problem).toBeUndefined();
    expect(summarize(second)).toEqual(summarize(fresh));
    expect(summarize(first)).toEqual(summarize(fresh));
    expect(fresh.invalid).toBe(2);
    expect(fresh.diagnostics.map((diagnostic) => diagnostic.code)).toContain("modifier/unknown");
  });

  it('parses a file again when its text changes, and keeps a cache per mapping', async () => {
    await loadCompiledRules(['rules'], dir, { cacheDir }, mapping);
    await writeFile(path.join(dir, 'rules', 'b.yml'), ruleText("sel:\n  CommandLine|contains: 'net user'\ncondition: sel"));
    const changed = await loadCompiledRules(['rules'], dir, { cacheDir }, mapping);
    expect(changed.cache).toMatchObject({ hits: 3, misses: 1 });
    expect(changed.rules[1]?.matches(createEvent({ CommandLine: 'net user' }))).toBe(true);
    const otherMapping = await loadCompiledRules(['rules'], dir, { cacheDir });
    expect(otherMapping.cache).toMatchObject({ hits: 0, misses: 4 });
    expect(fingerprintMapping(undefined)).not.toBe(fingerprintMapping(mapping));
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it('keeps a cache per set of placeholder values', async () => {
    await loadCompiledRules(['rules'], dir, { cacheDir }, mapping);
    const other = await loadCompiledRules(['rules'], dir, { cacheDir, placeholders: new Map([['admins', ['root']]]) }, mapping);
    expect(other.cache).toMatchObject({ hits: 0, misses: 4 });
    const again = await loadCompiledRules(['rules'], dir, { cacheDir, placeholders: new Map([['admins', ['root']]]) }, mapping);
    expect(again.cache).toMatchObject({ hits: 4, misses: 0 });
  });

  it('treats a damaged cache file as empty', async () => {
    const first = await loadCompiledRules(['rules'], dir, { cacheDir }, mapping);
    await writeFile(first.cache?.file as string, 'not a cache');
    const again = await loadCompiledRules(['rules'], dir, { cacheDir }, mapping);
    expect(again.cache).toMatchObject({ hits: 0, misses: 4 });
    expect(summarize(again)).toEqual(summarize(first));
  });

  it('says so when the cache cannot be written, and loads the rules all the same', async () => {
    await writeFile(path.join(dir, 'blocker'), 'a file where the cache folder should be');
    const loaded = await loadCompiledRules(['rules'], dir, { cacheDir: path.join(dir, 'blocker', 'cache') }, mapping);
    expect(loaded.cache?.problem).toMatch(/blocker/);
    expect(loaded.rules).toHaveLength(3);
  });

  it('rebuilds the same rules from their plain data, compiling each on first use', async () => {
    const loaded = await loadCompiledRules(['rules'], dir, {}, mapping);
    const rebuilt = createRulesFromPack(structuredClone(loaded.pack), {}, mapping);
    expect(summarize({ ...loaded, rules: rebuilt })).toEqual(summarize(loaded));
  });
});
