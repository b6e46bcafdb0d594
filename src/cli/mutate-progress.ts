import cliProgress from 'cli-progress';
import type { TestStep } from '../harness/run-tests.js';
import type { CliIo } from './io.js';
import { createTestProgress, estimateRemaining } from './test-progress.js';

/** A progress display for `dac mutate`, or undefined when stderr is not a terminal (logs get no progress). */
export interface MutationProgressDisplay {
  /** The rules' own tests, first: the line `dac test` draws. */
  readonly onTestProgress: (step: TestStep) => void;
  /** Then the mutants: `done` of `total` judged. */
  readonly onMutantProgress: (done: number, total: number) => void;
  /** Removes the line, before the results are printed. */
  stop(): void;
}

/**
 * Draws one line on stderr while `dac mutate` runs, on a terminal only: the rules' tests as `dac test`
 * shows them, then a bar over the mutants with how many are judged and an estimate of the time left.
 */
export function createMutationProgress(io: CliIo, now: () => number = Date.now): MutationProgressDisplay | undefined {
  const tests = createTestProgress(io, now);
  if (tests === undefined) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: 'mutating |{bar}| {percent}% {estimate} | mutants judged {done}/{all}',
      stream: io.stderr as NodeJS.WritableStream,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started: number | undefined;
  return {
    onTestProgress: tests.onProgress,
    onMutantProgress(done, total) {
      const fraction = total === 0 ? 1 : done / total;
      const payload = { percent: Math.floor(fraction * 100), done, all: total, estimate: '' };
      if (started === undefined) {
        tests.stop();
        started = now();
        bar.start(Math.max(1, total), done, { ...payload, estimate: estimateRemaining(0, fraction) });
        return;
      }
      bar.update(done, { ...payload, estimate: estimateRemaining(now() - started, fraction) });
    },
    stop() {
      tests.stop();
      if (started !== undefined) bar.stop();
      started = undefined;
    },
  };
}
