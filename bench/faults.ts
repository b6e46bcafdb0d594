/**
 * Faults of the ground around a run, measured on the real command:
 *
 * 1. kills: `dac test --update`, `dac lock` and `dac pack` killed with SIGKILL hundreds of times each,
 *    half at random moments, half the moment one of their temporary files appears (inside a write);
 *    every file left must be whole (old or new) and the pack's .tgz and .sha256 must agree.
 * 2. output: `dac scan` over generated events with a rule that matches every one (output as large as
 *    the input): peak memory with a fast reader and with a reader that does not read for a while
 *    (back-pressure), and how soon `| head -n 1` ends it, with which status.
 * 3. full disk: `dac pack` and `dac test --report-dir` writing into a small tmpfs (needs root to mount;
 *    skipped otherwise): one line, exit 74, nothing half-written.
 *
 * Run: `npm run bench -- faults`, or `npx tsx bench/faults.ts [--kills 200] [--events 300000] [--wait 8]`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runKillCampaign } from '../tests/unit/files/kill-harness.js';
import { KILL_SCENARIOS, packScenario, testUpdateScenario } from '../tests/unit/files/kill-scenarios.js';
import { generateEvents } from './gen-events.js';

const DAC = fileURLToPath(new URL('../bin/dac.js', import.meta.url));
const { values } = parseArgs({ options: { kills: { type: 'string', default: '200' }, events: { type: 'string', default: '300000' }, wait: { type: 'string', default: '8' } } });
const kills = Number(values.kills);
const events = Number(values.events);
const waitSeconds = Number(values.wait);
const work = await mkdtemp(join(tmpdir(), 'dac-bench-faults-'));

try {
  // 1. Kills.
  process.stdout.write(`\n-- kills: ${kills} per command, two at a time (seed 13)\n`);
  let broken = 0;
  for (const scenario of KILL_SCENARIOS) {
    const started = Date.now();
    const report = await runKillCampaign(scenario, { kills, seed: 13 });
    broken += report.problems.length;
    process.stdout.write(
      `${scenario.name.padEnd(18)} ${report.kills} kills: ${report.insideWrite} inside a write (a temporary file left), ` +
        `${report.finished} ended before the kill; whole run ${report.wholeRunMs} ms writing ${report.temporaryFiles} temporary files; ` +
        `${report.problems.length} broken file(s) [${Math.round((Date.now() - started) / 1000)} s]\n`,
    );
    for (const problem of report.problems.slice(0, 10)) process.stdout.write(`    ${problem}\n`);
  }

  // 2. Output: memory with a fast and a slow reader, and a reader that goes away.
  process.stdout.write(`\n-- output: dac scan over ${events} events, every event a match\n`);
  const file = join(work, 'events.ndjson');
  await generateEvents(file, events, 7);
  const rule = join(work, 'every.yml');
  await writeFile(rule, "title: Every process\nid: 22222222-2222-4222-8222-222222222222\nlevel: low\nlogsource: {category: process_creation, product: windows}\ndetection:\n  selection:\n    Image|contains: '\\'\n  condition: selection\n");
  const scan = ['scan', '--rules', rule, file];
  const fast = await measureScan(scan, 0);
  const slow = await measureScan(scan, waitSeconds);
  process.stdout.write(`fast reader: peak RSS ${fast.peakMb} MB, ${fast.seconds} s, ${fast.bytes} bytes read\n`);
  process.stdout.write(`reader that waits ${waitSeconds} s: peak RSS ${slow.peakMb} MB (${(slow.peakMb / fast.peakMb).toFixed(2)}x the fast one), ${slow.bytes} bytes read\n`);
  const head = spawnSync('bash', ['-c', 'set -o pipefail; start=$(date +%s%N); "$0" "$@" | head -n 1 >/dev/null; status=$?; echo "$status $(( ($(date +%s%N) - start) / 1000000 ))"', process.execPath, DAC, ...scan], { encoding: 'utf8' });
  const [status, ms] = head.stdout.trim().split(' ');
  process.stdout.write(`| head -n 1: exit ${status} after ${ms} ms, stderr ${JSON.stringify(head.stderr)}\n`);

  // 3. A full disk.
  process.stdout.write('\n-- full disk: a 32 KiB tmpfs\n');
  const full = join(work, 'full');
  await mkdir(full);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32k', 'tmpfs', full]).status === 0;
  if (!mounted) {
    process.stdout.write('skipped: mounting a tmpfs needs root\n');
  } else {
    try {
      for (const [scenario, args] of [[packScenario, ['pack', '--out', full]], [testUpdateScenario, ['test', '--runs', '2', '--report-dir', full]]] as const) {
        const root = join(work, `disk-${args[0]}`);
        await scenario.create(root);
        // Fill the disk but for a few KiB, so the first write fits and a later one does not.
        await writeFile(join(full, 'ballast'), Buffer.alloc(24 * 1024)).catch(() => undefined);
        const run = spawnSync(process.execPath, [DAC, ...args], { cwd: root, encoding: 'utf8' });
        const left = (await readdir(full)).filter((name) => name !== 'ballast');
        process.stdout.write(`dac ${args[0]}: exit ${run.status}; last line: ${run.stderr.trim().split('\n').at(-1)}; left on the disk: ${left.join(', ') || 'nothing'}\n`);
        await rm(join(full, 'ballast'), { force: true });
        for (const name of left) await rm(join(full, name), { recursive: true, force: true });
      }
    } finally {
      spawnSync('umount', [full]);
    }
  }
  if (broken > 0) process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}

/** Runs dac scan reading its output after `waitSeconds`, polling its resident memory. */
function measureScan(args: readonly string[], waitSeconds: number): Promise<{ peakMb: number; seconds: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [DAC, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let peak = 0;
    let bytes = 0;
    const poll = setInterval(() => {
      try {
        const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (rss) peak = Math.max(peak, Number(rss[1]));
      } catch {
        // The process has just ended.
      }
    }, 50);
    const read = (): void => {
      child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
      child.stdout.resume();
    };
    child.stdout.pause();
    if (waitSeconds > 0) setTimeout(read, waitSeconds * 1000);
    else read();
    child.on('error', reject);
    child.on('close', () => {
      clearInterval(poll);
      resolve({ peakMb: Math.round(peak / 1024), seconds: Math.round((Date.now() - started) / 100) / 10, bytes });
    });
  });
}

