import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The default report, then every skipped test with the reason it was skipped (a missing xmllint or Chromium).
    reporters: ['default', './tests/support/skip-reporter.ts'],
    // Property tests and EVTX parsing are CPU-bound; the default timeout is too tight on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
