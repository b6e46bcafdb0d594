/**
 * Judges mutants on worker threads, one per core. Each worker rebuilds the rules it is handed from
 * their text (compiled rules are closures, which cannot cross threads), prepares each rule once, and
 * judges the mutants it is sent one at a time; the outcomes come back as plain data in job order.
 */
import { Worker } from 'node:worker_threads';
import type { MutantOutcome, MutationSettings, RuleSource } from './evaluate-mutant.js';
import { MutantJudge } from './evaluate-mutant.js';
import type { TextEdit } from './mutant.js';

/** One mutant to judge: its rule and its edits of the rule's text. */
export interface MutantJob {
  readonly rule: RuleSource;
  readonly edits: readonly TextEdit[];
}

/** A worker's reply to a job, or the reason it cannot judge any. */
export type MutantWorkerReply = { readonly id: number; readonly outcome: MutantOutcome } | { readonly error: string };

// A plain JavaScript entry: in the repository it registers tsx before loading the TypeScript worker, as
// bin/dac.js does; in the package npm pack builds, the same path is lib/bin/mutant-worker.js, which
// loads the compiled worker (scripts/build-package.mjs writes it).
const WORKER_ENTRY = new URL('../../bin/mutant-worker.js', import.meta.url);

/** Judges the jobs in this thread, in order (with `judge`'s prepared rules when given). */
export async function judgeHere(settings: MutationSettings, jobs: readonly MutantJob[], onDone?: (index: number) => void, judge = new MutantJudge(settings)): Promise<MutantOutcome[]> {
  const outcomes: MutantOutcome[] = [];
  for (const [index, job] of jobs.entries()) {
    outcomes.push(await judge.judge(job.rule, job.edits));
    onDone?.(index);
  }
  return outcomes;
}

/**
 * Judges the jobs on `threads` workers, each taking the next job when it finishes one; the outcomes
 * in job order. Rejects when a worker cannot start, cannot rebuild a rule or dies.
 */
export async function judgeInWorkers(settings: MutationSettings, jobs: readonly MutantJob[], threads: number, onDone?: (index: number) => void): Promise<MutantOutcome[]> {
  const outcomes = new Array<MutantOutcome>(jobs.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(threads, jobs.length)) }, () => new Worker(WORKER_ENTRY, { workerData: settings }));
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
              worker.postMessage({ id, job });
            };
            worker.on('message', (reply: MutantWorkerReply) => {
              if ('error' in reply) {
                reject(new Error(reply.error));
                return;
              }
              outcomes[reply.id] = reply.outcome;
              onDone?.(reply.id);
              handOut();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (running) reject(new Error(`a mutant worker stopped (exit code ${code}) in the middle of a mutant`));
            });
            handOut();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes;
}
