// The real process, spawned: what a user's shell sees when standard output is full, closed, or a
// pipe whose reader goes away. Every command ends with one line and a documented status.
import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CLOSED_PIPE, EXIT_IO } from '../../../src/cli/io.js';
import { CMD, createTempPack, RULE_FILE, RULE_ID, ruleText, sysmonEvent, TEST_DIR, W3WP } from '../harness/temp-pack.js';

const DAC = fileURLToPath(new URL('../../../bin/dac.js', import.meta.url));

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs dac through sh, with `redirect` applied to its standard output (and `pipe` after it, if any). */
function runDac(cwd: string, args: readonly string[], redirect: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `"$0" "$@" ${redirect}; echo "status $?" >&2`, process.execPath, DAC, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const status = /status (\d+)\n$/.exec(stderr);
      resolve({ status: status ? Number(status[1]) : null, stdout, stderr: stderr.replace(/status \d+\n$/, '') });
    });
  });
}

let root: string;

beforeAll(async () => {
  const spec = `rule: ${RULE_ID}\nevents:\n  - file: tp.xml\n    verdict: match\n    provenance: synthesized for the output tests\n`;
  root = await createTempPack({
    [RULE_FILE]: ruleText(),
    [`${TEST_DIR}/rule-test.yml`]: spec,
    [`${TEST_DIR}/tp.xml`]: sysmonEvent(W3WP, CMD),
    'events.ndjson': Array.from({ length: 5000 }, (_, i) => JSON.stringify({ Image: `C:\\x\\${i}\\cmd.exe`, ParentImage: W3WP })).join('\n'),
  });
  await writeFile(join(root, 'event.xml'), sysmonEvent(W3WP, CMD));
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'pack');
}, 60_000);

const COMMANDS: readonly (readonly string[])[] = [
  ['--help'],
  ['validate', '--format', 'json'],
  ['scan', '--rules', 'rules', 'events.ndjson'],
  ['test'],
  ['predict', '--rule', RULE_FILE, 'event.xml'],
  ['lock', '--check'],
  ['diff', 'HEAD'],
  ['pack', '--out', 'out'],
  ['mutate', '--operators', 'add-not', '--threads', '1'],
];

describe('standard output that cannot be written', () => {
  it('is one line and exit 74 for every command when the disk is full', async () => {
    const outcomes = await Promise.all(COMMANDS.map((args) => runDac(root, args, '>/dev/full')));
    outcomes.forEach((outcome, index) => {
      const name = COMMANDS[index]?.[0] === '--help' ? '' : ` ${COMMANDS[index]?.[0]}`;
      const lines = outcome.stderr.trim().split('\n');
      expect({ args: COMMANDS[index], status: outcome.status }).toEqual({ args: COMMANDS[index], status: EXIT_IO });
      expect(lines.at(-1)).toBe(`dac${name}: cannot write to standard output: no space left on the device (ENOSPC)`);
      expect(outcome.stderr).not.toMatch(/Unhandled|\n\s+at |Error:/);
    });
  }, 120_000);

  it('is an I/O error when standard output is closed, never a silent success', async () => {
    const outcome = await runDac(root, ['scan', '--rules', 'rules', 'events.ndjson'], '>&-');
    expect(outcome.status).toBe(EXIT_IO);
    expect(outcome.stderr).toMatch(/^dac scan: cannot write to standard output: it is closed \(EBADF\)/);
    expect(outcome.stderr).not.toContain('match');
  }, 60_000);

  it('ends quietly with 141 when the reader of a pipe goes away, as a Unix tool does', async () => {
    // bash's pipefail gives the pipeline dac's status (head exits 0); dac's stderr goes to its own file.
    const outcome = await new Promise<Outcome>((resolve) => {
      const child = spawn('bash', ['-c', 'set -o pipefail; "$0" "$@" 2>dac.err | head -n 1; echo "status $?" >&2; cat dac.err >&2', process.execPath, DAC, 'scan', '--rules', 'rules', 'events.ndjson'], { cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', () => resolve({ status: Number(/^status (\d+)/.exec(stderr)?.[1]), stdout, stderr: stderr.replace(/^status \d+\n/, '') }));
    });
    expect(outcome.stdout.trim().split('\n')).toHaveLength(1);
    expect(outcome.status).toBe(EXIT_CLOSED_PIPE);
    expect(outcome.stderr).toBe('');
  }, 60_000);
});
