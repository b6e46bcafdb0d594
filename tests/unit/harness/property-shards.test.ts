import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RENDERING_FORMATS } from '../../../generators/render/renderings.js';
import { chooseFormats, runProperties, type PropertyProgress } from '../../../src/harness/properties.js';
import { MAX_SHARDS, planShards, RUNS_PER_SHARD } from '../../../src/harness/property-shards.js';
import { createPropertyPack, smallRule } from './properties-pack.js';

const mappingsDir = join(fileURLToPath(new URL('../../../', import.meta.url)), 'mappings');

describe('planShards', () => {
  it("keeps dac test's default runs in one shard with the seed as given", () => {
    expect(planShards(1505003, 200)).toEqual([{ seed: 1505003, runs: 200, index: 0, count: 1 }]);
    expect(planShards(7, RUNS_PER_SHARD)).toHaveLength(1);
    expect(planShards(7, RUNS_PER_SHARD + 1)).toHaveLength(2);
  });

  it('splits 100,000 runs into 8 shards of consecutive seeds', () => {
    const shards = planShards(41, 100_000);
    expect(shards).toHaveLength(MAX_SHARDS);
    expect(shards.map((shard) => shard.seed)).toEqual([41, 42, 43, 44, 45, 46, 47, 48]);
    expect(shards.every((shard) => shard.runs === 12_500 && shard.count === 8)).toBe(true);
  });

  it('covers exactly the runs asked for, the first shards taking the remainder, whatever the split', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 50_000 }), (seed, runs, perShard) => {
        const shards = planShards(seed, runs, perShard);
        expect(shards.reduce((sum, shard) => sum + shard.runs, 0)).toBe(runs);
        expect(shards.length).toBe(Math.min(MAX_SHARDS, Math.ceil(runs / perShard)));
        shards.forEach((shard, index) => {
          expect(shard).toMatchObject({ index, count: shards.length, seed: (seed + index) | 0 });
          expect(shard.runs).toBeLessThanOrEqual(shards[0]!.runs);
          expect(shards[0]!.runs - shard.runs).toBeLessThanOrEqual(1);
        });
      }),
    );
  });

  it('refuses runs and shard sizes that are not whole numbers of at least 1', () => {
    expect(() => planShards(1, 0)).toThrow(/at least 1, not 0/);
    expect(() => planShards(1, 2.5)).toThrow(/not 2\.5/);
    expect(() => planShards(1, 10, 0)).toThrow(/runs per shard/);
  });
});

describe('chooseFormats', () => {
  it('rotates one format per event from the offset, so any 8 consecutive events of a tree cover every format', () => {
    fc.assert(
      fc.property(fc.nat(RENDERING_FORMATS.length - 1), fc.nat(100), (offset, start) => {
        const formats = Array.from({ length: RENDERING_FORMATS.length }, (_, index) => chooseFormats('rotate', RENDERING_FORMATS, offset, start + index));
        expect(formats.every((list) => list.length === 1)).toBe(true);
        expect(new Set(formats.flat())).toEqual(new Set(RENDERING_FORMATS));
      }),
    );
    expect(chooseFormats('rotate', RENDERING_FORMATS, 0, 0)).toEqual(['sysmon-xml']);
    expect(chooseFormats('rotate', RENDERING_FORMATS, 3, 6)).toEqual([RENDERING_FORMATS[1]]);
  });

  it("gives every event every format with 'all'", () => {
    expect(chooseFormats('all', RENDERING_FORMATS, 5, 2)).toEqual(RENDERING_FORMATS);
  });
});

describe('runProperties with shards', () => {
  it("reads every event in every format with renderings 'all': a few trees already show both 4688 blind spots", async () => {
    const context = await createPropertyPack(smallRule(), { runs: 2 });
    const outcome = await runProperties({ ...context, renderings: 'all' }, [0]);
    expect(outcome.failures).toEqual([]);
    expect(outcome.notes.map((note) => note.message)).toEqual([expect.stringContaining('(event versions 0, 1)')]);
  });

  it('finds the same counterexample in worker threads as in this thread, and names the shard and the replay', async () => {
    const context = await createPropertyPack(smallRule({ child: "Image|endswith: '\\cmd.exe'" }), { runs: 30, seed: 9 });
    const sharded = { ...context, runsPerShard: 10 };
    const here = await runProperties({ ...sharded, threads: 1 });
    const workers = await runProperties({ ...sharded, mappingsDir, threads: 2 });
    expect(workers.notes.filter((note) => note.code === 'properties/workers-failed')).toEqual([]);
    expect(workers.failures).toEqual(here.failures);
    expect(workers.notes).toEqual(here.notes);
    const missed = here.failures.find((failure) => failure.message.startsWith('missed detection'));
    expect(missed?.details).toMatch(/replay: seed (9|10|11) \(shard [123] of 3\), fast-check path "[^"]+"; replay with npx dac test --seed 9 --runs 30/);
    expect(missed?.details).toContain('(30 runs in 3 shards, shrunk');
  });

  it('sums the blind spots every worker saw into the same notes a run in this thread writes, reporting progress in runs either way', async () => {
    const context = await createPropertyPack(smallRule(), { runs: 40, seed: 3 });
    const sharded = { ...context, runsPerShard: 8 };
    const inThread: PropertyProgress[] = [];
    const inWorkers: PropertyProgress[] = [];
    const here = await runProperties({ ...sharded, threads: 1, onProgress: (progress) => inThread.push(progress) });
    const workers = await runProperties({ ...sharded, mappingsDir, threads: 2, onProgress: (progress) => inWorkers.push(progress) });
    for (const steps of [inThread, inWorkers]) {
      const total = steps[0]?.total ?? 0;
      // Every property's 40 runs, counted from 0 up to all of them, never backwards.
      expect(total).toBe(40 * new Set(inThread.map((step) => step.property)).size);
      expect(steps.every((step) => step.total === total)).toBe(true);
      expect(steps.map((step) => step.done)).toEqual([...steps.map((step) => step.done)].sort((a, b) => a - b));
      expect(steps.at(-1)?.done).toBe(total);
      expect(steps[0]?.done).toBe(0);
    }
    expect(new Set(inThread.map((step) => step.property)).size).toBeGreaterThan(1);
    expect(here.failures).toEqual([]);
    expect(workers.failures).toEqual([]);
    expect(workers.notes).toEqual(here.notes);
    expect(here.notes.map((note) => note.message)).toEqual([expect.stringMatching(/\(event versions 0, 1\) for true-positive '[^']+' \(\d+ renderings\)/)]);
  });

  it('runs the shards in this thread, with a warning, when the workers cannot rebuild the rule', async () => {
    const context = await createPropertyPack(smallRule({ child: "Image|endswith: '\\cmd.exe'" }), { runs: 20, seed: 5 });
    const sharded = { ...context, runsPerShard: 10 };
    const here = await runProperties({ ...sharded, threads: 1 });
    const broken = await runProperties({ ...sharded, mappingsDir: join(mappingsDir, 'no-such-folder'), threads: 2 });
    expect(broken.failures).toEqual(here.failures);
    expect(broken.notes[0]).toMatchObject({ code: 'properties/workers-failed', severity: 'warning', file: 'rules/proc_creation_win_small_shell.yml' });
    expect(broken.notes[0]?.message).toContain('the mapping in');
    expect(broken.notes.slice(1)).toEqual(here.notes);
  });
});
