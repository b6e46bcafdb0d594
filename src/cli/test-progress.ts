import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { TestStep } from '../harness/run-tests.js';
import type { CliIo } from './io.js';

/** Bar steps per rule: fine enough that a rule's property runs move the bar. */
const STEPS_PER_RULE = 1000;
/** No estimate before this much time or work: the first moments are start-up, not a rate. */
const ESTIMATE_AFTER_MS = 2000;
const ESTIMATE_AFTER_FRACTION = 0.01;

/** `1h 02m`, `3m 05s`, `42s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * The estimate of the time left: the time spent so far, scaled by the work left, once there is enough
 * of both to be a rate (property runs of one rule take much the same time each, so the average holds).
 */
export function estimateRemaining(elapsedMs: number, fraction: number): string {
  if (elapsedMs < ESTIMATE_AFTER_MS || fraction < ESTIMATE_AFTER_FRACTION) return 'estimating time left';
  if (fraction >= 1) return 'finishing';
  return `about ${formatDuration((elapsedMs * (1 - fraction)) / fraction)} left`;
}

/** What the progress line says about a step: `rule 2/40 proc_x.yml: properties, true-positive 'web server'`. */
export function describeStep(step: TestStep): string {
  return `rule ${step.rule + 1}/${step.rules} ${basename(step.file)}: ${step.check}${step.detail !== undefined ? `, ${step.detail}` : ''}`;
}

/** A progress display for `dac test`, or undefined when stderr is not a terminal (logs get no progress). */
export interface TestProgressDisplay {
  readonly onProgress: (step: TestStep) => void;
  /** Removes the line, before the results are printed. */
  stop(): void;
}

/**
 * Draws one line on stderr while `dac test` runs, on a terminal only: a bar over all rules, which rule
 * and check (and property) is running, and an estimate of the time left.
 */
export function createTestProgress(io: CliIo, now: () => number = Date.now): TestProgressDisplay | undefined {
  if (io.stderr.isTTY !== true) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: 'testing |{bar}| {percent}% {estimate} | {step}',
      stream: io.stderr as NodeJS.WritableStream,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = now();
  let running = false;
  return {
    onProgress(step) {
      const fraction = step.rules === 0 ? 1 : Math.min(1, (step.rule + step.fraction) / step.rules);
      const payload = {
        percent: Math.floor(fraction * 100),
        estimate: estimateRemaining(now() - started, fraction),
        step: describeStep(step),
      };
      const total = Math.max(1, step.rules) * STEPS_PER_RULE;
      if (!running) {
        bar.start(total, Math.round(fraction * total), payload);
        running = true;
      } else {
        bar.update(Math.round(fraction * total), payload);
      }
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
