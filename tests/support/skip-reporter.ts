import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends a vitest run with every skipped test and the reason it was skipped (the note given to
 * `ctx.skip(note)`), grouped by reason, so a run on a machine without xmllint or Chromium says what it
 * did not check. Skips without a note are listed too, as having no reason.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, Set<string>>();
    let count = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        count += 1;
        const reason = result.note ?? 'no reason given';
        const files = byReason.get(reason) ?? new Set<string>();
        files.add(module.relativeModuleId);
        byReason.set(reason, files);
      }
    }
    if (count === 0) return;
    const lines = [...byReason].map(([reason, files]) => `  ${reason}: ${[...files].join(', ')}`);
    process.stdout.write(`\n${count} test${count === 1 ? '' : 's'} skipped, and why:\n${lines.join('\n')}\n`);
  }
}
