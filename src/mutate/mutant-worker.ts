/**
 * A worker thread of `dac mutate` (see mutant-pool.ts): judges each mutant it is sent with the
 * settings it was started with, preparing each rule once, and replies with the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MutantJudge, type MutationSettings } from './evaluate-mutant.js';
import type { MutantJob, MutantWorkerReply } from './mutant-pool.js';

const port = parentPort;
if (port === null) throw new Error('mutant-worker.ts runs as a worker thread only');
const reply = (message: MutantWorkerReply): void => port.postMessage(message);
const judge = new MutantJudge(workerData as MutationSettings);
port.on('message', ({ id, job }: { id: number; job: MutantJob }) => {
  judge.judge(job.rule, job.edits).then(
    (outcome) => reply({ id, outcome }),
    (error: unknown) => reply({ error: `${job.rule.file}: ${error instanceof Error ? error.message : String(error)}` }),
  );
});
