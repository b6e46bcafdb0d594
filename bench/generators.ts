/**
 * Process-tree generator benchmark: trees per second under fast-check for a simple property, against the
 * target of 100,000 trees in under a minute, and what listing and rendering the events adds. Run with
 * `npx tsx bench/generators.ts [trees]` (default 100000).
 *
 * All figures come from one run and are printed as ratios: the generation rate against the target
 * rate, and the cost of the heavier properties (events, every rendering) against bare generation.
 */
import fc from 'fast-check';
import {
  listProcesses,
  processCreations,
  processTree,
  shellOrRecon,
  webServer,
  type ProcessTree,
} from '../generators/process-tree.js';
import { renderings } from '../generators/render/renderings.js';

const trees = Number(process.argv[2] ?? 100_000);
const TARGET_TREES = 100_000;
const TARGET_SECONDS = 60;

const webShellTrees = processTree({ root: webServer(), children: shellOrRecon(), depth: 2 });

/** Runs a property over `runs` trees and returns the trees per second and the processes seen. */
function measure(
  runs: number,
  check: (tree: ProcessTree) => boolean,
): { rate: number; processes: number; seconds: number } {
  let processes = 0;
  const start = process.hrtime.bigint();
  fc.assert(
    fc.property(webShellTrees, (tree) => {
      processes += listProcesses(tree).length;
      return check(tree);
    }),
    { numRuns: runs, seed: 1 },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rate: runs / seconds, processes, seconds };
}

// Warm the JIT and the arbitraries' caches so the first measurement is not penalised.
measure(2_000, (tree) => tree.root.pid > 0);

const simple = measure(trees, (tree) => listProcesses(tree).every(({ process, parent }) => process.pid !== parent.pid));
console.log(
  `simple property: ${trees} trees (${simple.processes} processes) in ${simple.seconds.toFixed(2)} s = ` +
    `${Math.round(simple.rate)} trees/s`,
);
const targetRate = TARGET_TREES / TARGET_SECONDS;
console.log(
  `ratio to target (${TARGET_TREES} trees in ${TARGET_SECONDS} s): ${(simple.rate / targetRate).toFixed(1)}x`,
);
console.log(`projected time for ${TARGET_TREES} trees: ${(TARGET_TREES / simple.rate).toFixed(1)} s`);

const eventRuns = Math.max(1_000, Math.round(trees / 10));
const events = measure(eventRuns, (tree) =>
  processCreations(tree).every((event) => event.ProcessId !== event.ParentProcessId),
);
console.log(
  `with processCreations: ${Math.round(events.rate)} trees/s, ratio to bare generation ${(
    events.rate / simple.rate
  ).toFixed(2)}`,
);

const rendered = measure(eventRuns, (tree) =>
  processCreations(tree).every((event) => renderings(event).every((rendering) => rendering.text.length > 0)),
);
console.log(
  `with all 8 renderings of every event: ${Math.round(rendered.rate)} trees/s, ` +
    `ratio to bare generation ${(rendered.rate / simple.rate).toFixed(2)}`,
);
