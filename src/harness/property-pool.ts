/**
 * Runs the shards of deep property runs in worker threads, one per core. Each worker rebuilds the rule
 * from its text, the mapping folder and the test folder (compiled rules hold closures, which cannot
 * cross threads), prepares the same properties, and runs the shards it is handed one at a time; it
 * sends back each shard's failure and blind spots as plain data.
 */
import type { RenderingChoice } from './config.js';
import type { BlindSpot, PropertyContext } from './properties.js';
import type { Shard } from './property-shards.js';
import type { Failure } from './test-report.js';
import { runJobsOnWorkers, type JobReply } from '../workers/job-pool.js';

/** What a worker thread needs to rebuild a rule's properties. */
export interface WorkerSource {
  readonly ruleFile: string;
  readonly ruleText: string;
  /** The rule's document among the file's YAML documents. */
  readonly ruleIndex: number;
  readonly repoRoot: string;
  readonly testFolder: string;
  readonly filtersDir?: string;
  readonly mappingsDir: string;
  readonly seed: number;
  readonly runs: number;
  readonly renderings?: RenderingChoice;
}

/** One shard of one property to run. */
export interface ShardJob {
  readonly property: number;
  readonly shard: Shard;
}

/** What a shard found: its failure, if any, and the blind spots it recorded in its worker. */
export interface ShardResult {
  readonly failure: Failure | undefined;
  readonly blindSpots: readonly BlindSpot[];
}

/** A worker's reply to a job, or the reason it cannot run any. */
export type WorkerReply = JobReply<ShardAnswer>;

/** What a worker answers for a shard it ran. */
interface ShardAnswer {
  readonly failure?: Failure;
  readonly blindSpots: readonly BlindSpot[];
}

// A plain JavaScript entry: in the repository it registers tsx before loading the TypeScript worker, as
// bin/dac.js does; in the package npm pack builds, the same path is lib/bin/property-worker.js, which
// loads the compiled worker (scripts/build-package.mjs writes it).
const WORKER_ENTRY = new URL('../../bin/property-worker.js', import.meta.url);

/** The worker source of a property context whose rule came from a file's text. */
export function describeWorkerSource(context: PropertyContext, mappingsDir: string): WorkerSource {
  const { rule } = context;
  return {
    ruleFile: rule.file,
    ruleText: rule.source.text,
    ruleIndex: rule.source.index,
    repoRoot: context.repoRoot,
    testFolder: context.testFolder,
    ...(context.filtersDir !== undefined ? { filtersDir: context.filtersDir } : {}),
    mappingsDir,
    seed: context.seed,
    runs: context.runs,
    ...(context.renderings !== undefined ? { renderings: context.renderings } : {}),
  };
}

/**
 * Runs `jobs` on `threads` workers, each taking the next job when it finishes one; the results in job
 * order, and `onJobDone` told as each job ends. Rejects when a worker cannot start, cannot rebuild the rule or dies.
 */
export async function runShardsInWorkers(
  source: WorkerSource,
  jobs: readonly ShardJob[],
  threads: number,
  onJobDone?: (job: ShardJob) => void,
): Promise<ShardResult[]> {
  return runJobsOnWorkers<ShardJob, ShardAnswer, ShardResult>({
    entry: WORKER_ENTRY,
    workerData: source,
    jobs,
    threads,
    message: (job) => ({ property: job.property, shard: job.shard }),
    result: (answer) => ({ failure: answer.failure, blindSpots: answer.blindSpots }),
    ...(onJobDone ? { onDone: (index: number) => onJobDone(jobs[index] as ShardJob) } : {}),
    names: { worker: 'property worker', job: 'shard' },
  });
}
