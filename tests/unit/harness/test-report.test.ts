import { describe, expect, it } from 'vitest';
import { recordCheck, type CheckResult } from '../../../src/harness/test-report.js';

describe('recordCheck', () => {
  it('keeps one entry per check name, in the order the checks first ran', () => {
    const checks: CheckResult[] = [];
    recordCheck(checks, { name: 'validate', passed: true });
    recordCheck(checks, { name: 'golden', passed: true });
    recordCheck(checks, { name: 'policy', passed: true });
    recordCheck(checks, { name: 'golden', passed: true });
    expect(checks).toEqual([
      { name: 'validate', passed: true },
      { name: 'golden', passed: true },
      { name: 'policy', passed: true },
    ]);
  });

  it('fails the merged check when any part failed, whichever came first', () => {
    for (const order of [[true, false], [false, true]]) {
      const checks: CheckResult[] = [];
      for (const passed of order) recordCheck(checks, { name: 'golden', passed });
      expect(checks).toEqual([{ name: 'golden', passed: false }]);
    }
  });

  it('says a check was skipped when every part passed and one was skipped, and drops the skip once a part failed', () => {
    const skipped: CheckResult[] = [];
    recordCheck(skipped, { name: 'golden', passed: true });
    recordCheck(skipped, { name: 'golden', passed: true, skipped: 'rule-test.yml could not be read' });
    recordCheck(skipped, { name: 'golden', passed: true, skipped: 'another reason' });
    expect(skipped).toEqual([{ name: 'golden', passed: true, skipped: 'rule-test.yml could not be read' }]);
    const failed: CheckResult[] = [];
    recordCheck(failed, { name: 'golden', passed: false });
    recordCheck(failed, { name: 'golden', passed: true, skipped: 'rule-test.yml could not be read' });
    expect(failed).toEqual([{ name: 'golden', passed: false }]);
  });
});
