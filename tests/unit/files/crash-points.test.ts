// Every crash point, in-process: each command is run once per file-system step it takes in the
// repository (open for writing, write, fsync, close, rename, remove, mkdir). At crash point k, steps
// before k happen, step k happens only in part (a write stops half-way) and nothing after it happens
// (every later step hangs forever, as in a process killed there). The files left must be whole: old
// or new. This is exhaustive and cheap; atomic-writes.kill.test.ts kills real processes as well.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import * as realFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT_IO } from '../../../src/cli/io.js';
import { runLock } from '../../../src/cli/lock.js';
import { main } from '../../../src/cli/main.js';
import { runPack } from '../../../src/cli/pack.js';
import { runTest } from '../../../src/cli/test.js';
import { captureIo } from '../cli/capture-io.js';
import { takeSnapshot } from './kill-harness.js';
import { lockScenario, packScenario, testUpdateScenario } from './kill-scenarios.js';

/** The crash controller: which step crashes, and how many steps were taken (under `root` only). */
const crash = vi.hoisted(() => ({
  root: '' as string,
  at: Number.POSITIVE_INFINITY,
  steps: 0,
  crashed: undefined as (() => void) | undefined,
  /** Instead of crashing, every step from `at` on fails as on a full disk. */
  diskFull: false,
  /** Files the run opened for writing: closed after a crash, as the system closes a killed process's files. */
  handles: new Set<{ close(): Promise<void> }>(),
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const hang = (): Promise<never> => new Promise<never>(() => undefined);
  const inside = (path: unknown): boolean => crash.root !== '' && typeof path === 'string' && path.startsWith(crash.root);
  /** Takes one step: true to do it whole, 'partial' to do it in part, false when the process is dead. */
  const step = (): boolean | 'partial' => {
    crash.steps += 1;
    if (crash.diskFull && crash.steps >= crash.at) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    if (crash.steps < crash.at) return true;
    if (crash.steps === crash.at) crash.crashed?.();
    return crash.steps === crash.at ? 'partial' : false;
  };
  const gate = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (!inside(args[0])) return fn(...args);
      return step() === true ? fn(...args) : hang();
    };
  const open = async (path: string, flags?: string, mode?: number): Promise<realFs.FileHandle> => {
    const writing = typeof flags === 'string' && /[wa+]/.test(flags);
    if (!inside(path) || !writing) return real.open(path, flags, mode);
    if (step() !== true) return hang();
    const handle = await real.open(path, flags, mode);
    crash.handles.add(handle);
    // The handle's own steps: the data written (half of it at the crash), the flush, the close.
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'writeFile') {
          return async (data: string | Uint8Array) => {
            const taken = step();
            if (taken === true) return target.writeFile(data);
            if (taken === 'partial') {
              const bytes = typeof data === 'string' ? Buffer.from(data) : data;
              await target.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
            }
            return hang();
          };
        }
        if (key === 'sync' || key === 'close') {
          return async () => (step() === true ? target[key]() : hang());
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  const mocked = { ...real, open, rename: gate(real.rename), rm: gate(real.rm), unlink: gate(real.unlink), mkdir: gate(real.mkdir), writeFile: gate(real.writeFile) };
  return { ...mocked, default: mocked };
});

/** Runs the command in-process until crash point `at` (or to the end); resolves when it crashed or ended. */
async function runUntilCrash(root: string, command: () => Promise<number>, at: number): Promise<{ crashed: boolean; steps: number }> {
  crash.root = resolve(root);
  crash.at = at;
  crash.steps = 0;
  const crashed = new Promise<boolean>((resolveCrash) => (crash.crashed = () => resolveCrash(true)));
  // A crashed run never settles; it is left behind, as a killed process leaves nothing running.
  const ended = command().then(() => false, () => false);
  const outcome = await Promise.race([crashed, ended]);
  // Let the steps already under way reach their hang, so the state read below is final.
  await new Promise((settle) => setTimeout(settle, 20));
  const steps = crash.steps;
  await Promise.all([...crash.handles].map((handle) => handle.close().catch(() => undefined)));
  crash.handles.clear();
  crash.root = '';
  crash.at = Number.POSITIVE_INFINITY;
  crash.crashed = undefined;
  return { crashed: outcome, steps };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dac-crash-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

const CASES = [
  { scenario: testUpdateScenario, run: (root: string) => runTest([...testUpdateScenario.args.slice(1)], captureIo(root)) },
  { scenario: lockScenario, run: (root: string) => runLock([...lockScenario.args.slice(1)], captureIo(root)) },
  { scenario: packScenario, run: (root: string) => runPack([...packScenario.args.slice(1)], captureIo(root)) },
];

describe.each(CASES)('$scenario.name crashed at every step it takes in the repository', ({ scenario, run }) => {
  it('leaves every file whole: old or new', async () => {
    const template = join(work, `${scenario.name.replace(/\W+/g, '-')}-template`);
    await scenario.create(template);
    const before = await takeSnapshot(template, scenario.files);
    // SARIF names the repository folder; the kill scenarios' reports expect it to be `whole` or `kill-N`.
    const whole = join(work, 'whole');
    await rm(whole, { recursive: true, force: true });
    await cp(template, whole, { recursive: true });
    const reference = await runUntilCrash(whole, () => run(whole), Number.POSITIVE_INFINITY);
    expect(reference.crashed).toBe(false);
    expect(reference.steps).toBeGreaterThan(2);
    const after = await takeSnapshot(whole, scenario.files);
    expect(scenario.check(after, before, after)).toEqual([]);

    const problems: string[] = [];
    for (let at = 1; at <= reference.steps; at += 1) {
      const root = join(work, `kill-${at}`);
      await rm(root, { recursive: true, force: true });
      await cp(template, root, { recursive: true });
      const outcome = await runUntilCrash(root, () => run(root), at);
      expect(outcome.crashed).toBe(true);
      problems.push(...scenario.check(await takeSnapshot(root, scenario.files), before, after).map((problem) => `crash at step ${at} of ${reference.steps}: ${problem}`));
    }
    expect(problems).toEqual([]);
    // The whole run changed the files: the crash points sat between the old state and a different new one.
    expect(scenario.files.some((file) => !(before.get(file)?.equals(after.get(file) ?? Buffer.alloc(0)) ?? after.get(file) === undefined))).toBe(true);
  }, 120_000);
});

describe.each(CASES)('$scenario.name on a full disk', ({ scenario }) => {
  it('says so in one line naming the file, exits 74, and leaves the old files', async () => {
    const root = join(work, `${scenario.name.replace(/\W+/g, '-')}-full`);
    await scenario.create(root);
    const before = await takeSnapshot(root, scenario.files);
    const io = captureIo(root);
    crash.root = resolve(root);
    crash.at = 1;
    crash.steps = 0;
    crash.diskFull = true;
    let status: number;
    try {
      status = await main([...scenario.args], io);
    } finally {
      crash.root = '';
      crash.at = Number.POSITIVE_INFINITY;
      crash.diskFull = false;
    }
    expect(status).toBe(EXIT_IO);
    const name = scenario.args[0] as string;
    expect(io.err().trim().split('\n').at(-1)).toMatch(new RegExp(`^dac ${name}: cannot write ${resolve(root)}/\\S+: no space left on the device \\(ENOSPC\\)$`));
    expect(io.err()).not.toMatch(/\n\s+at |Error:/);
    const after = await takeSnapshot(root, scenario.files);
    for (const file of scenario.files) expect(after.get(file)?.toString('latin1')).toBe(before.get(file)?.toString('latin1'));
  }, 60_000);
});
