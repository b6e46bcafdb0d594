import type { PackManifest } from './manifest.js';

// Table cells cannot hold pipes or line breaks (GitHub-flavoured Markdown tables).
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Writes the pack's README: what it holds, how to install and verify it, and a table of its rules. */
export function renderPackReadme(manifest: PackManifest): string {
  const built = manifest.harness.commit
    ? `from commit \`${manifest.harness.commit}\`${manifest.harness.dirty ? ' (with uncommitted rule changes)' : ''}`
    : 'outside a git checkout';
  const hasTests = manifest.testReport !== undefined;
  const rows = manifest.rules.map((rule) => {
    const tests = rule.tests === undefined ? 'not in the report' : rule.tests.passed ? 'passed' : 'FAILED';
    const cells = [`\`${rule.id}\``, cell(rule.title), cell(rule.level ?? ''), cell(rule.status ?? ''), cell(rule.attack.techniques.join(', '))];
    return `| ${[...cells, ...(hasTests ? [tests] : [])].join(' | ')} |`;
  });
  const header = ['id', 'title', 'level', 'status', 'ATT&CK', ...(hasTests ? ['tests'] : [])];
  return [
    `# ${manifest.name} ${manifest.version}`,
    '',
    `Sigma detection rules of ${manifest.harness.name} ${manifest.harness.version}, built by \`dac pack\` ${built}.`,
    '',
    '## Contents',
    '',
    '- `rules/**/*.yml`: the rules as written (Sigma YAML).',
    '- `rules/**/*.json`: the same rules as JSON, at the same paths.',
    '- `filters/**/*.yml` (and `.json`): the Sigma filters that tune the rules; the queries already apply them.',
    '- `queries/<target>/<profile>/<rule>.<ext>`: each rule as a query: `sql/duckdb` (DuckDB, held to the engine by `dac test`; run `queries/sql/duckdb/prelude.sql` first), `spark/spark`, `kql/defender`, `kql/sentinel`, `spl/sysmon`, `spl/security-4688`, `esql/ecs`.',
    '- `manifest.json`: per rule its id, title, level, status, ATT&CK tags, detection-logic hash, the SHA-256 of its file, its queries' +
      (hasTests ? ' and the test results computed for exactly these bytes (a rule changed since the report is marked untested).' : '.'),
    '- `LICENSE` and `ATTRIBUTION.md`: the pack\'s license, and each rule\'s author and sources.',
    '- `SHA256SUMS`: the SHA-256 of every other file; check them with `sha256sum -c SHA256SUMS` in this folder.',
    '',
    '## Install',
    '',
    '```sh',
    `npm install ./${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`,
    `cd node_modules/${manifest.name} && sha256sum -c SHA256SUMS`,
    '```',
    '',
    '## Rules',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
  ].join('\n');
}
