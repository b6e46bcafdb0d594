/**
 * How a property's runs are split into shards: independent fast-check runs with consecutive seeds, so
 * that a deep run (`dac test --runs 100000`) can use every core. The split depends on the seed and the
 * number of runs only, never on the machine: `--seed S --runs N` generates the same trees everywhere,
 * whether the shards run one after another or in worker threads.
 */

/** One shard: a fast-check run of `runs` trees from `seed`, number `index` of `count`. */
export interface Shard {
  readonly seed: number;
  readonly runs: number;
  readonly index: number;
  readonly count: number;
}

/** Runs per shard: below this a property is one fast-check run, as `dac test`'s default 200 runs are. */
export const RUNS_PER_SHARD = 12_500;
/** At most this many shards, so 100,000 runs keep up to 8 cores busy. */
export const MAX_SHARDS = 8;

/**
 * Splits `runs` into shards of about `runsPerShard` (at most {@link MAX_SHARDS}); shard k starts from
 * `seed + k` (wrapping within 32 bits, as fast-check seeds do) and the first shards take the remainder.
 */
export function planShards(seed: number, runs: number, runsPerShard: number = RUNS_PER_SHARD): Shard[] {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`a property needs a whole number of runs of at least 1, not ${runs}`);
  if (!Number.isInteger(runsPerShard) || runsPerShard < 1) throw new Error(`runs per shard must be a whole number of at least 1, not ${runsPerShard}`);
  const count = Math.min(MAX_SHARDS, Math.ceil(runs / runsPerShard));
  const base = Math.floor(runs / count);
  const remainder = runs % count;
  return Array.from({ length: count }, (_, index) => ({
    seed: (seed + index) | 0,
    runs: base + (index < remainder ? 1 : 0),
    index,
    count,
  }));
}
