/**
 * Event reader benchmark: Windows Event XML read by readEvents against JSON.parse per line of the same
 * events as flat NDJSON (the floor any reader is measured against), and peak RSS as the file doubles
 * (streaming readers must stay flat). Everything is measured in one run and printed as ratios.
 *
 *   npx tsx bench/readers.ts [--events N]      (default 100000 events)
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readEvents } from '../src/events/read-events.js';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

interface ProcessEvent {
  readonly image: string;
  readonly parent: string;
  readonly commandLine: string;
  readonly pid: number;
  readonly ppid: number;
}

const IMAGES = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\whoami.exe', 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', 'C:\\Windows\\System32\\svchost.exe'];
const PARENTS = ['C:\\Windows\\explorer.exe', 'c:\\windows\\system32\\inetsrv\\w3wp.exe', 'C:\\Windows\\System32\\services.exe'];

function makeEvent(i: number): ProcessEvent {
  const image = IMAGES[i % IMAGES.length] as string;
  return { image, parent: PARENTS[i % PARENTS.length] as string, commandLine: `${image} /c task-${i} "arg & more"`, pid: 1000 + (i % 60000), ppid: 4 + (i % 900) };
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function renderXml(e: ProcessEvent, i: number): string {
  return (
    '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>' +
    '<Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"/><EventID>1</EventID><Version>5</Version>' +
    '<Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>' +
    `<TimeCreated SystemTime="2023-04-18T09:12:44.5814311Z"/><EventRecordID>${i}</EventRecordID><Correlation/>` +
    '<Execution ProcessID="2936" ThreadID="3964"/><Channel>Microsoft-Windows-Sysmon/Operational</Channel>' +
    '<Computer>WEB01.contoso.local</Computer><Security UserID="S-1-5-18"/></System><EventData>' +
    `<Data Name="ProcessId">${e.pid}</Data><Data Name="Image">${escapeXml(e.image)}</Data>` +
    `<Data Name="CommandLine">${escapeXml(e.commandLine)}</Data><Data Name="User">CONTOSO\\alice</Data>` +
    `<Data Name="ParentProcessId">${e.ppid}</Data><Data Name="ParentImage">${escapeXml(e.parent)}</Data>` +
    '</EventData></Event>\n'
  );
}

function renderFlat(e: ProcessEvent): string {
  return `${JSON.stringify({ ProcessId: e.pid, Image: e.image, CommandLine: e.commandLine, User: 'CONTOSO\\alice', ParentProcessId: e.ppid, ParentImage: e.parent })}\n`;
}

/** Writes `count` events in a format, in blocks so generating does not hold the file either. */
function writeEvents(path: string, count: number, render: (e: ProcessEvent, i: number) => string): void {
  writeFileSync(path, '');
  const block = 10_000;
  for (let start = 0; start < count; start += block) {
    let text = '';
    for (let i = start; i < Math.min(count, start + block); i += 1) text += render(makeEvent(i), i);
    writeFileSync(path, text, { flag: 'a' });
  }
}

async function readWithJsonParse(path: string): Promise<number> {
  let count = 0;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const value = JSON.parse(line) as { Image?: unknown };
    if (value.Image !== undefined) count += 1;
  }
  return count;
}

async function readWithReadEvents(path: string): Promise<number> {
  let count = 0;
  for await (const item of readEvents(path)) {
    if (item.kind === 'event' && item.record.get('Image') !== undefined) count += 1;
  }
  return count;
}

async function time(label: string, run: () => Promise<number>, expected: number): Promise<number> {
  const start = process.hrtime.bigint();
  const count = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (count !== expected) throw new Error(`${label}: read ${count} events, expected ${expected}`);
  console.log(`${label.padEnd(36)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(count / seconds).toLocaleString('en-US').padStart(12)} events/s`);
  return seconds;
}

/** Child mode: read one file and print the peak RSS in MB (a fresh process per size). */
async function measurePeak(path: string): Promise<void> {
  await readWithReadEvents(path);
  console.log(String(process.resourceUsage().maxRSS / 1024));
}

function peakRss(path: string): number {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--peak', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(result.stdout.trim().split('\n').at(-1));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string' }, peak: { type: 'string' } } });
  if (values.peak) return measurePeak(values.peak);
  const events = Number(values.events ?? 100_000);
  mkdirSync(OUT, { recursive: true });
  const xml = `${OUT}readers-events.xml`;
  const flat = `${OUT}readers-events.ndjson`;
  writeEvents(xml, events, renderXml);
  writeEvents(flat, events, renderFlat);
  const mb = (path: string): string => (statSync(path).size / 1048576).toFixed(1);
  console.log(`${events.toLocaleString('en-US')} process-creation events: XML ${mb(xml)} MB, flat NDJSON ${mb(flat)} MB\n`);

  const baseline = await time('JSON.parse per line (flat NDJSON)', () => readWithJsonParse(flat), events);
  const ndjson = await time('readEvents (flat NDJSON)', () => readWithReadEvents(flat), events);
  const xmlSeconds = await time('readEvents (Event XML)', () => readWithReadEvents(xml), events);
  console.log(`\nratio readEvents NDJSON / JSON.parse per line: ${(ndjson / baseline).toFixed(2)}`);
  console.log(`ratio readEvents XML    / JSON.parse per line: ${(xmlSeconds / baseline).toFixed(2)}`);

  console.log('\npeak RSS while reading (one process per file; flat = streaming):');
  for (const factor of [1, 2, 4]) {
    const count = Math.round((events / 2) * factor);
    const xmlPath = `${OUT}readers-rss-${factor}.xml`;
    const flatPath = `${OUT}readers-rss-${factor}.ndjson`;
    writeEvents(xmlPath, count, renderXml);
    writeEvents(flatPath, count, renderFlat);
    console.log(
      `  ${count.toLocaleString('en-US').padStart(9)} events  XML ${mb(xmlPath).padStart(6)} MB -> ${peakRss(xmlPath).toFixed(0).padStart(4)} MB RSS` +
        `   NDJSON ${mb(flatPath).padStart(6)} MB -> ${peakRss(flatPath).toFixed(0).padStart(4)} MB RSS`,
    );
  }
}

await main();
