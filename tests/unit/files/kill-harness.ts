/**
 * Kills a real `dac` process at many moments, inside its writes included, and checks that every file
 * it writes is whole: the old file or the new one, never a part, never a mismatched pair. Used by the
 * suite (a few dozen kills per command) and by `bench/kill-writes.ts` (hundreds).
 *
 * A campaign: build the repository as it is before the command; run the command once to the end on a
 * copy (the new state, how long it takes, how many temporary files it writes); then, on fresh copies,
 * kill it with SIGKILL either after a random delay within that time, or the moment its n-th temporary
 * file appears (a kill inside a write: between the temporary file's creation and its rename).
 */
import { spawn } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DAC = fileURLToPath(new URL('../../../bin/dac.js', import.meta.url));
const TEMPORARY = /^\..+\.dac-\d+-[0-9a-f]{8}\.tmp$/;

/** The files of interest, as bytes (undefined: absent). */
export type Snapshot = ReadonlyMap<string, Buffer | undefined>;

/** A command to kill, the repository it runs in, and what "whole" means for its files. */
export interface KillScenario {
  readonly name: string;
  readonly args: readonly string[];
  /** Writes the repository as it is before the command runs. */
  create(root: string): Promise<void>;
  /** The files the command writes, relative to the root. */
  readonly files: readonly string[];
  /** Folders (relative) the command writes into: watched to kill inside a write. */
  readonly folders: readonly string[];
  /** Problems of the state after a kill, given the states before the command and after a whole run. */
  check(after: Snapshot, before: Snapshot, whole: Snapshot): string[];
}

/** What a campaign found. */
export interface KillReport {
  readonly scenario: string;
  readonly kills: number;
  /** Kills that landed while a temporary file of the command existed (inside a write). */
  readonly insideWrite: number;
  /** Runs that ended before the kill came (the state must then be the new one). */
  readonly finished: number;
  /** How long one whole run took, in ms, and how many temporary files it wrote. */
  readonly wholeRunMs: number;
  readonly temporaryFiles: number;
  /** Every broken invariant, with the kill that broke it. */
  readonly problems: readonly string[];
}

/** A small seeded PRNG (mulberry32): the same seed kills at the same moments. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reads the scenario's files. */
export async function takeSnapshot(root: string, files: readonly string[]): Promise<Snapshot> {
  const entries = await Promise.all(files.map(async (file) => [file, await readFile(join(root, file)).catch(() => undefined)] as const));
  return new Map(entries);
}

/** Temporary files dac left in the folders (a run killed between a temporary file and its rename). */
async function findTemporaryFiles(root: string, folders: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const folder of folders) {
    for (const name of await readdir(join(root, folder)).catch(() => [] as string[])) if (TEMPORARY.test(name)) found.push(join(folder, name));
  }
  return found;
}

type Plan = { readonly kind: 'time'; readonly delayMs: number } | { readonly kind: 'write'; readonly nth: number } | { readonly kind: 'none' };

/** Runs dac in `root` and kills it as planned; resolves when it is gone, saying whether it was killed. */
function runAndKill(root: string, args: readonly string[], folders: readonly string[], plan: Plan, onTemporary?: (name: string) => void): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [DAC, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    const watchers: FSWatcher[] = [];
    const seen = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    if (plan.kind === 'time') timer = setTimeout(kill, plan.delayMs);
    if (plan.kind === 'write' || onTemporary) {
      for (const folder of folders) {
        try {
          watchers.push(watch(join(root, folder), (_event, name) => {
            if (typeof name !== 'string' || !TEMPORARY.test(name) || seen.has(name)) return;
            seen.add(name);
            onTemporary?.(name);
            if (plan.kind === 'write' && seen.size === plan.nth) kill();
          }));
        } catch {
          // A folder the command creates cannot be watched before it exists; its parent is watched too.
        }
      }
    }
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      resolve({ killed: signal === 'SIGKILL', ms: Date.now() - started });
    });
  });
}

/** Runs `kills` kills of the scenario's command (two at a time), seeded, and checks every state left. */
export async function runKillCampaign(scenario: KillScenario, options: { readonly kills: number; readonly seed: number; readonly parallel?: number }): Promise<KillReport> {
  const work = await mkdtemp(join(tmpdir(), `dac-kill-${scenario.name.replace(/\W+/g, '-')}-`));
  try {
    const template = join(work, 'template');
    await scenario.create(template);
    const before = await takeSnapshot(template, scenario.files);
    const reference = join(work, 'whole');
    await cp(template, reference, { recursive: true });
    let temporaryFiles = 0;
    const whole = await runAndKill(reference, scenario.args, scenario.folders, { kind: 'none' }, () => (temporaryFiles += 1));
    const after = await takeSnapshot(reference, scenario.files);
    const random = createRandom(options.seed);
    const plans: Plan[] = Array.from({ length: options.kills }, (_, i) =>
      // Half the kills at a random moment of the run (start-up, reading, writing, after), the other half
      // the moment the n-th temporary file appears: inside a write.
      i % 2 === 0 || temporaryFiles === 0
        ? { kind: 'time', delayMs: Math.floor(random() * whole.ms * 1.1) }
        : { kind: 'write', nth: 1 + Math.floor(random() * temporaryFiles) });
    const problems: string[] = [];
    let insideWrite = 0;
    let finished = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < plans.length) {
        const index = next++;
        const plan = plans[index] as Plan;
        const root = join(work, `kill-${index}`);
        await cp(template, root, { recursive: true });
        const outcome = await runAndKill(root, scenario.args, scenario.folders, plan);
        const state = await takeSnapshot(root, scenario.files);
        if ((await findTemporaryFiles(root, scenario.folders)).length > 0) insideWrite += 1;
        const label = `kill ${index} (${plan.kind === 'time' ? `after ${plan.delayMs} ms` : plan.kind === 'write' ? `at temporary file ${plan.nth}` : 'none'})`;
        if (!outcome.killed) finished += 1;
        problems.push(...scenario.check(state, before, after).map((problem) => `${label}${outcome.killed ? '' : ', not killed'}: ${problem}`));
        await rm(root, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: options.parallel ?? 2 }, worker));
    return { scenario: scenario.name, kills: options.kills, insideWrite, finished, wholeRunMs: whole.ms, temporaryFiles, problems };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** True when two snapshots of a file hold the same bytes (both absent counts as equal). */
export function equalBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

/** The usual check: each file is as it was before, or as a whole run leaves it. */
export function checkEachFileOldOrNew(files: readonly string[], normalize: (file: string, bytes: Buffer) => string = (_f, b) => b.toString('latin1')) {
  return (after: Snapshot, before: Snapshot, whole: Snapshot): string[] =>
    files.flatMap((file) => {
      const now = after.get(file);
      const same = (other: Buffer | undefined): boolean => (now === undefined || other === undefined ? now === other : normalize(file, now) === normalize(file, other));
      return same(before.get(file)) || same(whole.get(file)) ? [] : [`${file} is neither the old file nor the new one (${now === undefined ? 'absent' : `${now.length} bytes`})`];
    });
}
