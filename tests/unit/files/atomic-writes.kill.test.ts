// Kills `dac test --update`, `dac lock` and `dac pack` at many moments, inside their writes included,
// and checks every file is whole: old or new, never a part, never a mismatched pair. Bounded (a few
// kills per command, two at a time, beside the exhaustive crash points of crash-points.test.ts);
// `npm run bench -- kill-writes` runs hundreds.
import { describe, expect, it } from 'vitest';
import { runKillCampaign } from './kill-harness.js';
import { KILL_SCENARIOS } from './kill-scenarios.js';

const KILLS = 8;

describe.each(KILL_SCENARIOS)('$name killed at any moment', (scenario) => {
  it(`leaves every file whole, old or new, after ${KILLS} kills`, async () => {
    const report = await runKillCampaign(scenario, { kills: KILLS, seed: 13 });
    expect(report.problems).toEqual([]);
    // The campaign must have reached inside the writes, or it proves nothing about them.
    expect(report.temporaryFiles).toBeGreaterThan(0);
    expect(report.insideWrite).toBeGreaterThan(0);
    expect(report.kills - report.finished).toBeGreaterThan(KILLS / 2);
  }, 180_000);
});
