/**
 * The README's walk-through, run as written: every shell command and file of its "Your first rule"
 * section, in order, in a copy of the repository. `npx dac ...` runs the command in-process, `npm run
 * check` runs the main job as package.json defines it; a YAML block headed by a path creates that file,
 * or, when it exists, replaces the top-level sections the block gives (as the README asks the reader).
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../unit/cli/capture-io.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A step of the walk-through: a command line, or a file's content. */
type Step = { readonly kind: 'command'; readonly line: string } | { readonly kind: 'file'; readonly path: string; readonly text: string };

/** The steps of the README between the walk-through markers, in order. */
function readSteps(readme: string): Step[] {
  const start = readme.indexOf('<!-- walkthrough:start -->');
  const end = readme.indexOf('<!-- walkthrough:end -->');
  if (start === -1 || end === -1) throw new Error('README.md has no walk-through markers');
  const steps: Step[] = [];
  for (const match of readme.slice(start, end).matchAll(/^```(\w+)(?: (\S+))?\n([\s\S]*?)^```$/gm)) {
    const [, language, path, body = ''] = match;
    if (language === 'sh') {
      for (const line of body.split('\n').map((text) => text.trim()).filter((text) => text !== '' && !text.startsWith('#'))) steps.push({ kind: 'command', line });
    } else if (path !== undefined) {
      steps.push({ kind: 'file', path, text: body });
    }
  }
  return steps;
}

/** Splits a command line into words as a POSIX shell does for plain words and double or single quotes. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/** Replaces the top-level sections of a YAML text (key line and its indented or blank lines) with a block's. */
function replaceSections(text: string, block: string): string {
  const sections = (source: string): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    let key: string | undefined;
    for (const line of source.split('\n')) {
      const top = /^([A-Za-z][\w-]*):/.exec(line);
      if (top !== null) key = top[1];
      if (key !== undefined) map.set(key, [...(map.get(key) ?? []), line]);
    }
    return map;
  };
  const replacements = sections(block);
  const lines = text.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const top = /^([A-Za-z][\w-]*):/.exec(line) ?? (/^#/.test(line) ? null : undefined);
    if (top) {
      skipping = replacements.has(top[1] as string);
      if (skipping) out.push(...(replacements.get(top[1] as string) ?? []).filter((entry, index, all) => index < all.length - 1 || entry !== ''));
    }
    if (!skipping) out.push(line);
  }
  for (const [key, replacement] of replacements) if (!lines.some((line) => line.startsWith(`${key}:`))) out.push(...replacement);
  return out.join('\n');
}

describe('the README walk-through', () => {
  it('gives a new rule that passes npm run check with properties and 100 % coverage', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const steps = readSteps(readme);
    expect(steps.filter((step) => step.kind === 'command').map((step) => (step as { line: string }).line.split(' ').slice(0, 3).join(' '))).toEqual([
      'npx dac new',
      'npx dac golden',
      'npx dac golden',
      'npx dac golden',
      'npm run check',
    ]);
    const copy = await mkdtemp(join(tmpdir(), 'dac-walkthrough-'));
    for (const part of ['rules', 'filters', 'tests/rules', 'tests/fixtures/evtx', 'mappings', 'schemas', 'data', 'config', '.changeset', 'dac.config.yml', 'package.json', 'rules.lock.json']) {
      await cp(join(repoRoot, part), join(copy, part), { recursive: true });
    }
    const check = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')).scripts.check as string;
    expect(check).toBe('node bin/dac.js test --report-dir reports');
    let last = { code: -1, out: '', err: '' };
    for (const step of steps) {
      if (step.kind === 'file') {
        const path = join(copy, step.path);
        await writeFile(path, existsSync(path) ? replaceSections(await readFile(path, 'utf8'), step.text) : step.text);
        continue;
      }
      const words = splitWords(step.line);
      const argv = words[0] === 'npx' && words[1] === 'dac' ? words.slice(2) : words.join(' ') === 'npm run check' ? splitWords(check).slice(2) : undefined;
      if (argv === undefined) throw new Error(`the walk-through runs a command the test does not know: ${step.line}`);
      const io = captureIo(copy);
      last = { code: await main(argv, io), out: io.out(), err: io.err() };
      expect({ step: step.line, code: last.code, err: last.code === 0 ? '' : last.err + last.out }).toEqual({ step: step.line, code: 0, err: '' });
    }
    const line = last.out.split('\n').find((text) => text.includes('registry_set_termservice_dll.yml')) ?? '';
    expect(line).toMatch(/^PASS  rules\/windows\/registry\/registry_set\/registry_set_termservice_dll\.yml  tp 1 tn 6 fp 0  coverage 100% \(values 2\/2, conditions 2\/2\)  properties 2x200 runs seed \d+$/);
    expect(last.out).toMatch(/^13 rules: 13 passed, 0 failed; 7 log sources: .*windows\/registry_set 3/m);
    expect(existsSync(join(copy, 'reports/junit.xml'))).toBe(true);
    const rule = await readFile(join(copy, 'rules/windows/registry/registry_set/registry_set_termservice_dll.yml'), 'utf8');
    expect(rule).toContain("TargetObject|endswith: '\\Services\\TermService\\Parameters\\ServiceDll'");
    expect(rule).not.toContain('CHANGE-ME');
  });
});
