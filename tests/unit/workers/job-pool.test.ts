import { describe, expect, it } from 'vitest';
import { runJobsOnWorkers } from '../../../src/workers/job-pool.js';

/** A worker written as a data: URL; `body` handles each message `{ id, n }` with `port` and `workerData` in scope. */
const workerOf = (body: string): URL =>
  new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort as port, workerData } from 'node:worker_threads';\nport.on('message', ({ id, n }) => { ${body} });`)}`);

describe('runJobsOnWorkers', () => {
  it('gives every result in job order, however the workers finish, and tells each job done', async () => {
    // Later jobs finish first: the wait shrinks as n grows.
    const entry = workerOf('setTimeout(() => port.postMessage({ id, square: n * n + workerData.plus }), 40 - n * 4);');
    const done: number[] = [];
    const results = await runJobsOnWorkers({
      entry,
      workerData: { plus: 1 },
      jobs: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      threads: 3,
      message: (n: number) => ({ n }),
      result: (answer: { square: number }) => answer.square,
      onDone: (index) => done.push(index),
      names: { worker: 'test worker', job: 'job' },
    });
    expect(results).toEqual([2, 5, 10, 17, 26, 37, 50, 65, 82]);
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects with the error a worker answers', async () => {
    const entry = workerOf("port.postMessage(n === 2 ? { error: 'cannot rebuild the rule' } : { id, value: n });");
    const run = runJobsOnWorkers({ entry, workerData: {}, jobs: [1, 2, 3], threads: 1, message: (n: number) => ({ n }), result: (answer: { value: number }) => answer.value, names: { worker: 'test worker', job: 'job' } });
    await expect(run).rejects.toThrow('cannot rebuild the rule');
  });

  it('rejects, naming the worker and the job, when a worker stops in the middle of a job', async () => {
    const entry = workerOf('if (n === 3) process.exit(7); port.postMessage({ id, value: n });');
    const run = runJobsOnWorkers({ entry, workerData: {}, jobs: [1, 2, 3, 4], threads: 2, message: (n: number) => ({ n }), result: (answer: { value: number }) => answer.value, names: { worker: 'mutant worker', job: 'mutant' } });
    await expect(run).rejects.toThrow('a mutant worker stopped (exit code 7) in the middle of a mutant');
  });
});
