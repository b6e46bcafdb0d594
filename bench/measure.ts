/**
 * Measuring a command in its own process: wall time, CPU time, peak RSS (read by a probe loaded into the
 * child) and the lines it writes, counted without being kept. Shared by the engine benchmarks.
 */
import { spawn } from 'node:child_process';

// Loaded with --import into each measured process: reports its peak RSS and CPU time on exit, on stderr.
const PROBE =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeSync(2,`\\nbench-probe ${u.maxRSS} ${u.userCPUTime+u.systemCPUTime}\\n`)})';

/** What one measured run took. */
export interface Measured {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly stdoutLines: number;
  /** The last lines of its stderr, for summaries a command prints there. */
  readonly stderrTail: string;
}

/**
 * Runs `node ...args` (with the environment given), counting stdout lines; rejects when it exits with a
 * code not in `exitCodes` (`dac scan` exits 1 when some rule of a pack is invalid, and still scans).
 */
export function measure(args: readonly string[], env: NodeJS.ProcessEnv = process.env, exitCodes: readonly number[] = [0]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', PROBE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8192);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const probe = /bench-probe (\d+) (\d+)/.exec(stderr);
      if (code === null || !exitCodes.includes(code) || !probe) {
        reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
        return;
      }
      resolve({
        seconds,
        cpuSeconds: Number(probe[2]) / 1e6,
        peakRssMb: Number(probe[1]) / 1024,
        stdoutLines: lines,
        stderrTail: stderr.replace(/\n?bench-probe .*\n?/, '').trim(),
      });
    });
  });
}

/** The fastest of `times` runs (the machine may be shared: the minimum is the least disturbed). */
export async function measureBest(times: number, args: readonly string[], env?: NodeJS.ProcessEnv, exitCodes?: readonly number[]): Promise<Measured> {
  let best: Measured | undefined;
  for (let run = 0; run < times; run += 1) {
    const measured = await measure(args, env, exitCodes);
    if (best === undefined || measured.seconds < best.seconds) best = measured;
  }
  return best as Measured;
}
