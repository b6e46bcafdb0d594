import type { CheckName, GapKind } from '../harness/test-report.js';

/** What a check of `dac test` proves, and what to do when it fails: SARIF rule metadata and help. */
export interface CheckHelp {
  /** The SARIF rule id of the check's failures, `test/<check>`. */
  readonly id: string;
  /** One sentence: what the check proves. */
  readonly summary: string;
  /** What a failure means and how to fix it, as plain text. */
  readonly help: string;
}

/** Help for every check, keyed by check name (shown in SARIF viewers and GitHub code scanning). */
export const CHECK_HELP = {
  validate: {
    id: 'test/validate',
    summary: 'The rule file validates against the Sigma rule schema and the project lints.',
    help:
      'The rule could not be loaded, or it breaks the Sigma specification or a project lint, so no other check can trust it. ' +
      'Run `npx dac validate <rule file>` and fix each reported problem at its line and column; the diagnostic code names the lint.',
  },
  golden: {
    id: 'test/golden',
    summary: 'Every golden event gets the verdict its test file expects.',
    help:
      'A golden event fired when it should not have, or did not fire when it should. The failure lists the event file and position, ' +
      'the expected and actual verdict, and the field values that decided it. If the event is right, fix the detection logic ' +
      '(a value, a modifier or the condition); if the expectation is wrong, fix the rule test file. A documented false positive must ' +
      "fire and name an entry of the rule's falsepositives list.",
  },
  policy: {
    id: 'test/policy',
    summary: 'The rule meets the test policy of dac.config.yml.',
    help:
      'The rule lacks something the pack requires of every rule: a rule test file, true positives and true negatives for each log ' +
      'source it supports, a golden event for each documented false positive, or the minimum coverage. Add the missing golden ' +
      'events (or document the false positive) in the rule test file; change dac.config.yml only if the policy itself is wrong.',
  },
  coverage: {
    id: 'test/coverage',
    summary: "The golden events exercise the rule's detection values and conditions.",
    help:
      'Some list values of the detection were never matched by a true positive, or some detection item or condition term was never ' +
      'shown to matter (no pair of events that differ only there and get different verdicts). The failure lists what is not covered: ' +
      'add a true positive for each uncovered value and a near-miss true negative for each uncovered condition, or remove dead logic.',
  },
  properties: {
    id: 'test/properties',
    summary: 'The rule fires on every generated true positive and on nothing undocumented.',
    help:
      'Generated process trees found a counterexample: an event the rule should match but does not, or one it matches that is neither ' +
      'a true positive nor a documented false positive. The failure gives the shrunk counterexample, the seed and the path; replay it ' +
      'with `npx dac test --seed <seed>`, then fix the detection, or document the false positive if the match is acceptable.',
  },
  sql: {
    id: 'test/sql',
    summary: "The rule's DuckDB SQL conversion gives the engine's verdict on every golden event (differential check).",
    help:
      "Every golden event of the rule's log source was loaded into an embedded DuckDB in taxonomy field names, as the engine sees it " +
      'after mapping, and the query `dac convert --target sql` writes for the rule (and for the rule tuned by its filters) gave a ' +
      'different verdict than the engine on the events listed. The converter is wrong for this rule: keep the failure as a test case ' +
      'and fix src/convert. A skipped check names the value that has no exact SQL form.',
  },
  version: {
    id: 'test/version',
    summary: "The rule's version bookkeeping matches its logic (rules.lock.json, modified date, changeset).",
    help:
      "The rule's logic changed since rules.lock.json was written but its `modified` date did not move forward, no pending changeset " +
      'names the change, its id changed, or its id repeats in another file. Bump `modified`, add a changeset (`npx changeset`) that ' +
      'names the rule id or file, and keep ids unique and stable.',
  },
  mutation: {
    id: 'test/mutation',
    summary: "The rule's tests kill its mutants: every broken copy of the rule fails its golden events or its properties.",
    help:
      'A mutant (the rule with one plausible mistake: a value dropped, a modifier or wildcard changed, and/or swapped, a not added ' +
      'or removed ...) passed every golden event and property of the rule, so those tests would not notice that mistake. The failure ' +
      'shows the mutant as a diff of the rule and, when the scenario spec can generate one, the event that would kill it, ready to ' +
      'add to rule-test.yml with its verdict. Add that golden event (or a scenario space that reaches the difference); if no event ' +
      "the rule can meet tells the mutant apart, mark it in the test folder's mutants.yml with the reason. Run `npx dac mutate <rule>`.",
  },
} as const satisfies Record<CheckName, CheckHelp>;

/** Help for the gaps a rule's tests can have (SARIF notes when the policy allows the gap). */
export const GAP_HELP = {
  'no-golden-events': {
    id: 'test/gap-no-golden-events',
    summary: 'The rule has no golden events, so no verdict of it is checked on real or synthesized events.',
    help:
      'Add tests/rules/<rule name>/rule-test.yml listing event files and the verdict of each event. dac.config.yml decides ' +
      'whether this gap fails the rule (policy.require-tests).',
  },
  'no-scenario-spec': {
    id: 'test/gap-no-scenario-spec',
    summary: 'The rule has no scenario spec, so no property check runs on generated process trees.',
    help:
      'Add tests/rules/<rule name>/scenarios.yml naming the true-positive, documented false-positive and background spaces. ' +
      'dac.config.yml decides whether this gap fails the rule (policy.require-scenarios).',
  },
} as const satisfies Record<GapKind, CheckHelp>;
