/**
 * Jobs on worker threads: each worker takes the next job when it finishes one, and the results come
 * back in job order. The property checks (src/harness/property-pool.ts) and dac mutate
 * (src/mutate/mutant-pool.ts) hand out their jobs this way; what a job is and what a worker answers
 * is theirs.
 */
import { Worker } from 'node:worker_threads';

/** A worker's answer to job `id`, or why it cannot take any job. */
export type JobReply<Answer> = (Answer & { readonly id: number }) | { readonly error: string };

/** What `runJobsOnWorkers` needs: the workers, the jobs, and how a job and its answer travel. */
export interface JobPool<Job, Answer, Result> {
  /** The workers' entry module, and the data each starts with. */
  readonly entry: URL;
  readonly workerData: unknown;
  readonly jobs: readonly Job[];
  /** How many workers at most (never more than jobs, at least one). */
  readonly threads: number;
  /** The message that hands a job to a worker (its `id` is added). */
  readonly message: (job: Job) => Record<string, unknown>;
  /** The job's result from the worker's answer. */
  readonly result: (answer: Answer) => Result;
  /** Told as each job ends, with the job's index. */
  readonly onDone?: (index: number) => void;
  /** Names a worker and a job in the error when a worker stops in the middle of one: `property worker`, `shard`. */
  readonly names: { readonly worker: string; readonly job: string };
}

/**
 * Runs the jobs on worker threads; the results in job order. Rejects when a worker cannot start,
 * answers with an error, or stops in the middle of a job; every worker is terminated either way.
 */
export async function runJobsOnWorkers<Job, Answer, Result>(pool: JobPool<Job, Answer, Result>): Promise<Result[]> {
  const { jobs, names } = pool;
  const results = new Array<Result>(jobs.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(pool.threads, jobs.length)) }, () => new Worker(pool.entry, { workerData: pool.workerData }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let running = false;
            const handOut = (): void => {
              const id = next;
              const job = jobs[id];
              if (job === undefined) {
                running = false;
                resolve();
                return;
              }
              next += 1;
              running = true;
              worker.postMessage({ ...pool.message(job), id });
            };
            worker.on('message', (reply: JobReply<Answer>) => {
              if ('error' in reply) {
                reject(new Error(reply.error));
                return;
              }
              results[reply.id] = pool.result(reply);
              pool.onDone?.(reply.id);
              handOut();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (running) reject(new Error(`a ${names.worker} stopped (exit code ${code}) in the middle of a ${names.job}`));
            });
            handOut();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
