/**
 * Judges mutants on worker threads, one per core. Each worker rebuilds the rules it is handed from
 * their text (compiled rules are closures, which cannot cross threads), prepares each rule once, and
 * judges the mutants it is sent one at a time; the outcomes come back as plain data in job order.
 */
import { runJobsOnWorkers, type JobReply } from '../workers/job-pool.js';
import type { MutantOutcome, MutationSettings, RuleSource } from './evaluate-mutant.js';
import { MutantJudge } from './evaluate-mutant.js';
import type { TextEdit } from './mutant.js';

/** One mutant to judge: its rule and its edits of the rule's text. */
export interface MutantJob {
  readonly rule: RuleSource;
  readonly edits: readonly TextEdit[];
}

/** A worker's reply to a job, or the reason it cannot judge any. */
export type MutantWorkerReply = JobReply<{ readonly outcome: MutantOutcome }>;

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
  return runJobsOnWorkers<MutantJob, { readonly outcome: MutantOutcome }, MutantOutcome>({
    entry: WORKER_ENTRY,
    workerData: settings,
    jobs,
    threads,
    message: (job) => ({ job }),
    result: (answer) => answer.outcome,
    ...(onDone ? { onDone } : {}),
    names: { worker: 'mutant worker', job: 'mutant' },
  });
}
