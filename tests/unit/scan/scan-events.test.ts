import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents } from '../../../src/events/read-events.js';
import { createScanEngine, scanEventFile, type ScanMatch } from '../../../src/scan/scan-events.js';
import { compileValid } from '../compile/rule-fixture.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dac-scan-events-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = ['cmd.exe', 'powershell.exe', 'whoami.exe', 'net.exe', 'notepad.exe', 'w3wp.exe', 'httpd.exe', 'ſc.exe'];
const rules = [
  ...names.map((name) => compileValid(`sel:\n  Image|endswith: '\\${name}'\ncondition: sel`)),
  compileValid("a:\n  ParentImage|endswith: ['\\w3wp.exe', '\\httpd.exe']\nb:\n  Image|endswith: ['\\cmd.exe', '\\whoami.exe']\ncondition: a and b"),
  compileValid("kw:\n  - 'mimikatz'\n  - '/add'\ncondition: kw"),
  compileValid("sel:\n  CommandLine|windash|contains: ' -enc '\ncondition: sel"),
  compileValid("sel:\n  Image|endswith: '\\cmd.exe'\nfilter:\n  CommandLine|contains: 'safe'\ncondition: sel and not filter"),
];

const event = fc.record({
  Image: fc.constantFrom(...names.map((name) => `C:\\Windows\\${name}`), 'C:\\X\\CMD.EXE', 'C:\\Windows\\SC.exe'),
  ParentImage: fc.constantFrom('C:\\inetsrv\\w3wp.exe', 'C:\\Windows\\explorer.exe', 'C:\\Apache\\HTTPD.exe'),
  CommandLine: fc.constantFrom('x -enc AAA', 'x /enc AAA', 'x \u2013enc AAA', 'net user a b /add', 'safe mode', 'mimikatz.exe', 'plain'),
});

/** Writes events as NDJSON, some lines with \\u escapes or \\/ as other producers write them. */
function writeLines(events: readonly object[], escapes: readonly boolean[]): string {
  return events
    .map((value, index) => {
      const line = JSON.stringify(value);
      if (!escapes[index]) return line;
      return line.replace(/[^\u0000-\u007f]|e/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replaceAll('/', '\\/');
    })
    .join('\n');
}

async function bruteForce(file: string): Promise<string[]> {
  const found: string[] = [];
  for await (const item of readEvents(file)) {
    if (item.kind !== 'event') continue;
    rules.forEach((rule, index) => {
      if (rule.matches(item.record)) found.push(`${item.record.index}:${index}`);
    });
  }
  return found.sort();
}

describe('scanEventFile', () => {
  it('finds exactly what evaluating every rule on every event finds', async () => {
    const engine = createScanEngine(rules);
    expect(engine.linePrefilter).toBeDefined();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 60 }), async (events, escapes) => {
        const file = path.join(dir, `events-${run++}.ndjson`);
        await writeFile(file, writeLines(events, escapes));
        const matches: ScanMatch[] = [];
        const summary = await scanEventFile(file, 'events.ndjson', engine, { match: (m) => matches.push(m), diagnostic: () => undefined });
        const found = matches.map((m) => `${m.event}:${rules.indexOf(m.rule)}`).sort();
        expect(found).toEqual(await bruteForce(file));
        expect(summary.matches).toBe(matches.length);
        expect(matches.every((m) => m.file === 'events.ndjson')).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('reports a file it cannot read as unreadable', async () => {
    const engine = createScanEngine(rules);
    const diagnostics: string[] = [];
    const summary = await scanEventFile(path.join(dir, 'nope.ndjson'), 'nope.ndjson', engine, { match: () => undefined, diagnostic: (d) => diagnostics.push(`${d.file} ${d.code}`) });
    expect(summary.unreadable).toBe(true);
    expect(diagnostics).toEqual(['nope.ndjson events/unreadable-file']);
  });
});
