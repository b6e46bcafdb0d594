/**
 * EVTX reader benchmark: records per second and peak memory, on files built by repeating the
 * chunks of the real samples. Run with `npx tsx bench/evtx.ts [megabytes]` (default 256).
 *
 * It reads a small and a large file in one process and prints ratios: streaming throughput
 * against in-memory parsing, and how much the peak RSS grew from the small file to the large one
 * (flat memory means the ratio stays near 1 however large the file).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvtx, readEvtxBuffer } from '../src/events/evtx/read-evtx.js';
import { buildEvtxFile, splitChunks } from '../tests/unit/events/evtx/helpers/evtx-writer.js';

const FIXTURES = fileURLToPath(new URL('../tests/fixtures/evtx/', import.meta.url));
const SAMPLES = [
  'DE_RDP_Tunnel_5156',
  'exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler',
  'sysmon_13_rdp_settings_tampering',
  'tutto_malseclogon',
];

const largeMegabytes = Number(process.argv[2] ?? 256);
const smallMegabytes = Math.max(4, Math.round(largeMegabytes / 8));

const chunks = SAMPLES.flatMap((name) => splitChunks(new Uint8Array(readFileSync(join(FIXTURES, `${name}.evtx`)))));
const header = buildEvtxFile(chunks).subarray(0, 4096);

/** Writes a file of about `megabytes` MB, one chunk at a time so the writer itself stays small. */
function writeFile(path: string, megabytes: number): number {
  const chunkCount = Math.max(1, Math.round((megabytes * 1024 * 1024) / 65536));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (let i = 0; i < chunkCount; i++) writeSync(fd, chunks[i % chunks.length]!);
  } finally {
    closeSync(fd);
  }
  return 4096 + chunkCount * 65536;
}

/** Peak resident set size of this process so far, in MB. */
function peakRssMegabytes(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function measureStreaming(path: string): Promise<{ records: number; errors: number; seconds: number }> {
  let records = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  for await (const item of readEvtx(path)) {
    if (item.kind === 'record') records++;
    else errors++;
  }
  return { records, errors, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function measureInMemory(rounds: number): { records: number; seconds: number } {
  const file = buildEvtxFile(chunks);
  let records = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const item of readEvtxBuffer(file)) if (item.kind === 'record') records++;
  return { records, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const dir = mkdtempSync(join(tmpdir(), 'evtx-bench-'));
try {
  const baseline = peakRssMegabytes();
  const memory = measureInMemory(200);
  const memoryRate = memory.records / memory.seconds;
  console.log(`in-memory samples:  ${memory.records} records in ${memory.seconds.toFixed(2)} s = ${Math.round(memoryRate)} records/s`);

  const smallPath = join(dir, 'small.evtx');
  const smallBytes = writeFile(smallPath, smallMegabytes);
  const small = await measureStreaming(smallPath);
  const smallPeak = peakRssMegabytes();
  rmSync(smallPath);

  const largePath = join(dir, 'large.evtx');
  const largeBytes = writeFile(largePath, largeMegabytes);
  const large = await measureStreaming(largePath);
  const largePeak = peakRssMegabytes();

  for (const [label, bytes, run, peak] of [
    ['small', smallBytes, small, smallPeak],
    ['large', largeBytes, large, largePeak],
  ] as const) {
    const megabytes = bytes / 1024 / 1024;
    console.log(
      `streaming ${label}: ${megabytes.toFixed(0)} MB, ${run.records} records, ${run.errors} errors in ` +
        `${run.seconds.toFixed(2)} s = ${Math.round(run.records / run.seconds)} records/s, ` +
        `${(megabytes / run.seconds).toFixed(1)} MB/s, peak RSS ${peak.toFixed(0)} MB`,
    );
  }
  console.log(`ratio streaming/in-memory throughput: ${(large.records / large.seconds / memoryRate).toFixed(2)}`);
  console.log(`ratio file size large/small: ${(largeBytes / smallBytes).toFixed(1)}`);
  console.log(
    `ratio peak RSS large/small: ${(largePeak / smallPeak).toFixed(2)} ` +
      `(baseline before reading ${baseline.toFixed(0)} MB)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
