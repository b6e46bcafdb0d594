import { describe, expect, it } from 'vitest';
import { createTestProgress, describeStep, estimateRemaining, formatDuration } from '../../../src/cli/test-progress.js';
import { captureIo } from './capture-io.js';

describe('the dac test progress line', () => {
  it('words durations and estimates for people', () => {
    expect(formatDuration(42_400)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(estimateRemaining(500, 0.5)).toBe('estimating time left');
    expect(estimateRemaining(60_000, 0.001)).toBe('estimating time left');
    // A quarter done in 40 s: three quarters take about 2 minutes more.
    expect(estimateRemaining(40_000, 0.25)).toBe('about 2m 00s left');
    expect(estimateRemaining(40_000, 1)).toBe('finishing');
  });

  it('names the rule, the check and the property', () => {
    expect(describeStep({ rule: 1, rules: 40, file: 'rules/windows/proc_x.yml', check: 'properties', detail: "true-positive 'web server'", fraction: 0.5 })).toBe(
      "rule 2/40 proc_x.yml: properties, true-positive 'web server'",
    );
    expect(describeStep({ rule: 0, rules: 1, file: 'a.yml', check: 'golden', fraction: 0 })).toBe('rule 1/1 a.yml: golden');
  });

  it('draws on a terminal only, and clears its line when stopped', () => {
    expect(createTestProgress(captureIo('/', { isTTY: false }))).toBeUndefined();
    expect(createTestProgress(captureIo('/'))).toBeUndefined();
    const io = captureIo('/', { isTTY: true });
    let clock = 0;
    const display = createTestProgress(io, () => clock);
    display?.onProgress({ rule: 0, rules: 2, file: 'rules/a.yml', check: 'golden', fraction: 0 });
    clock = 30_000;
    display?.onProgress({ rule: 1, rules: 2, file: 'rules/b.yml', check: 'properties', detail: "background 'x'", fraction: 0.5 });
    display?.stop();
    expect(io.err()).toContain('rule 1/2 a.yml: golden');
    expect(io.err()).toContain("75% about 10s left | rule 2/2 b.yml: properties, background 'x'");
    expect(io.out()).toBe('');
  });
});
