import { basename, relative, sep } from 'node:path';
import { DEFAULT_CONFIG } from '../harness/config.js';
import { SCHEMA_DIR } from '../load/json-schema.js';

/** A file `dac init` offers to write: where, its text, and what it is for (one line, for the report). */
export interface SetupFile {
  /** Repository-relative, forward slashes. */
  readonly path: string;
  readonly text: string;
  readonly what: string;
}

/** What `dac init` sets up a repository from. */
export interface SetupInput {
  readonly repoRoot: string;
  /** The rules folder, repository-relative. */
  readonly rulesDir: string;
  /** The rule files in it, repository-relative. */
  readonly ruleFiles: readonly string[];
  /** The text of rules.lock.json recording the rules as they are, when they can be locked. */
  readonly lockText?: string;
  /** Where the harness's schemas are (default: next to its sources), for the editor and the config's modeline. */
  readonly schemaDir?: string;
}

/** The tests folder `dac init` configures; dac.config.yml's default. */
export const INIT_TESTS_DIR = DEFAULT_CONFIG.tests;

// The actions of the generated workflow, pinned to full commit SHAs as this repository's own CI pins them.
const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';
const SETUP_NODE = 'actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444 # v5.0.0';
const UPLOAD_ARTIFACT = 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2';

/** The harness's schema folder as the repository's files name it: relative, forward slashes. */
export function describeSchemaDir(repoRoot: string, schemaDir: string = SCHEMA_DIR): string {
  const path = relative(repoRoot, schemaDir).split(sep).join('/');
  return path === '' ? '.' : path.replace(/\/$/, '');
}

/** The name of a rule's test folder, as `dac test` looks it up: the file name without its extension. */
export const testFolderName = (ruleFile: string): string => basename(ruleFile).replace(/\.ya?ml$/i, '');

function configText(rulesDir: string, schemas: string): string {
  const { policy, properties } = DEFAULT_CONFIG;
  return `# yaml-language-server: $schema=${schemas}/dac-config.schema.json
# Written by \`dac init\`: where this repository's rules and their tests live, and the policy \`dac test\`
# holds every rule to. Log-source mappings and ATT&CK data are the harness's own; name a folder under
# \`mappings:\` to use your own mappings instead.
rules: ${rulesDir}
filters: ${DEFAULT_CONFIG.filters}
tests: ${INIT_TESTS_DIR}
policy:
  # While the rules are being given golden events, a rule without ${INIT_TESTS_DIR}/<rule>/rule-test.yml
  # passes with its golden check skipped ("no rule-test.yml"), and the report says so for each one.
  # Set this to true once every rule has golden events.
  require-tests: false
  # Once a rule has golden events: rules of these statuses need a true positive and a true negative
  # for each log source they claim, every falsepositives entry needs an event that documents it, and
  # logic coverage must reach minimum-coverage percent.
  require-verdicts-per-log-source: [${policy.requireVerdictsPerLogSource.join(', ')}]
  require-documented-false-positives: ${policy.requireDocumentedFalsePositives}
  minimum-coverage: ${policy.minimumCoverage}
properties:
  # Generated process trees per property, for rules with a scenarios.yml (dac test --runs overrides).
  runs: ${properties.runs}
  seed: ${properties.seed}
`;
}

function editorSettings(rulesDir: string, schemas: string): string {
  const rules = [`${rulesDir}/**/*.yml`, `${rulesDir}/**/*.yaml`];
  const settings = {
    'yaml.schemas': {
      [`${schemas}/sigma-detection-rule.schema.json`]: [...rules, `!${rulesDir}/**/mr_*.yml`, `!${rulesDir}/**/mf_*.yml`],
      [`${schemas}/sigma-correlation-rule.schema.json`]: [`${rulesDir}/**/mr_*.yml`],
      [`${schemas}/sigma-filter.schema.json`]: [`${rulesDir}/**/mf_*.yml`, `${DEFAULT_CONFIG.filters}/**/*.yml`],
      [`${schemas}/rule-test.schema.json`]: [`${INIT_TESTS_DIR}/**/rule-test.yml`],
      [`${schemas}/scenario.schema.json`]: [`${INIT_TESTS_DIR}/**/scenarios.yml`],
      [`${schemas}/dac-config.schema.json`]: ['dac.config.yml'],
    },
    'yaml.validate': true,
    'yaml.completion': true,
    'yaml.hover': true,
  };
  return `${JSON.stringify(settings, null, 2)}\n`;
}

function workflowText(rulesDir: string): string {
  return `# Written by \`dac init\`: the pull-request gate of this rule repository. It validates the rules, replays
# their golden events, runs their property checks and version bookkeeping (dac test), and publishes the
# reports: the JUnit, HTML, SARIF and Markdown files as an artifact, the summary on the job's page.
name: dac

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  rules:
    name: Validate and test the rules
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - uses: ${SETUP_NODE}
        with:
          node-version: 20
          cache: npm
      - name: Install (the harness is a devDependency)
        run: npm ci
      - name: Validate rules
        run: npx dac validate ${rulesDir}
      - name: Test rules (golden replay, policy, coverage, properties, versions)
        if: \${{ !cancelled() }}
        run: npx dac test --report-dir reports
      - name: Job summary
        if: \${{ always() }}
        run: |
          if [ -f reports/summary.md ]; then cat reports/summary.md >> "$GITHUB_STEP_SUMMARY"; fi
      - name: Upload reports
        if: \${{ always() }}
        uses: ${UPLOAD_ARTIFACT}
        with:
          name: dac-reports
          path: reports/
          if-no-files-found: warn
          retention-days: 30
`;
}

function testsReadme(rulesDir: string, schemas: string): string {
  return `# Rule tests

One folder per rule of \`${rulesDir}/\`, named after the rule file without \`.yml\` (written by \`dac init\`).
\`dac test\` looks here for a rule's golden events and its scenario spec:

- \`rule-test.yml\` (schema \`${schemas}/rule-test.schema.json\`): event files in this folder
  (\`.xml\`, \`.json\`, \`.ndjson\`, \`.evtx\`, or Event Viewer XML pasted into a \`.txt\`), each with its
  expected verdict and where it comes from:

  \`\`\`yaml
  rule: <the rule's id>
  events:
    - file: tp-attack.xml
      verdict: match
      provenance: captured on a lab host while running the attack
    - file: tn-admin.xml
      verdict: no-match
      provenance: captured from an administrator's normal session
  \`\`\`

- \`scenarios.yml\` (schema \`${schemas}/scenario.schema.json\`), optional: the rule's true-positive,
  documented false-positive and background spaces, from which \`dac test\` generates process trees.

A rule without \`rule-test.yml\` is reported as having no golden events; dac.config.yml's
\`require-tests: true\` makes that a failure.
`;
}

/**
 * The files `dac init` writes into a repository of Sigma rules: dac.config.yml, the editor's schema
 * association (.vscode), the GitHub workflow, the tests folder with one folder per rule (a .gitkeep, so
 * git keeps it), and rules.lock.json when the rules can be locked. Paths to the harness's schemas are
 * relative to the repository, so they resolve into node_modules wherever the repository is checked out.
 */
export function planSetup(input: SetupInput): SetupFile[] {
  const schemas = describeSchemaDir(input.repoRoot, input.schemaDir);
  const files: SetupFile[] = [
    { path: 'dac.config.yml', text: configText(input.rulesDir, schemas), what: 'where the rules and tests are, and the test policy' },
    { path: '.vscode/settings.json', text: editorSettings(input.rulesDir, schemas), what: "the editor's schema association (yaml-language-server)" },
    { path: '.vscode/extensions.json', text: `${JSON.stringify({ recommendations: ['redhat.vscode-yaml'] }, null, 2)}\n`, what: 'the YAML extension that reads those schemas' },
    { path: '.github/workflows/dac.yml', text: workflowText(input.rulesDir), what: 'the pull-request gate: dac validate and dac test, with the reports' },
    { path: `${INIT_TESTS_DIR}/README.md`, text: testsReadme(input.rulesDir, schemas), what: 'how a rule gets golden events' },
  ];
  if (input.lockText !== undefined) {
    files.push({ path: 'rules.lock.json', text: input.lockText, what: 'the rules as they are now, the baseline of version bookkeeping' });
  }
  const folders = new Set(input.ruleFiles.map(testFolderName));
  for (const folder of [...folders].sort()) {
    files.push({ path: `${INIT_TESTS_DIR}/${folder}/.gitkeep`, text: '', what: 'a rule test folder' });
  }
  return files;
}
