/**
 * Every rule of SigmaHQ (tests/fixtures/sigmahq/rules), with and without each optimisation of the scan,
 * on the same events: the (rule, event) pairs must be exactly those that evaluating every rule on every
 * event finds. The events are an estate's background and attacks (bench/estate-events.ts, with many
 * attacks) and, for a sample of rules, an event spelled from the rule's own values, so that rules of
 * every log source and shape match: as a Windows event of the rule's first source, or as a flat record
 * in taxonomy field names (which every rule sees, those of unmapped log sources included), and the
 * `product: windows` rules (any Windows event of any channel) as an event of a channel no mapping
 * names. The reference costs rules × events, so the events are few and most of them match.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEstateEvents } from '../../../bench/estate-events.js';
import type { CompiledRule } from '../../../src/compile/compile-rule.js';
import type { EventRecord } from '../../../src/compile/event-record.js';
import { totalAccounts } from '../../../src/events/input-account.js';
import { readEvents } from '../../../src/events/read-events.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import type { Mapping } from '../../../src/mapping/mapping.js';
import { createSourceRecogniser } from '../../../src/mapping/recognise-source.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';
import type { DetectionNode, SigmaValue } from '../../../src/model/detection.js';
import { createRulesFromPack, loadCompiledRules, type LoadedRules } from '../../../src/scan/load-rules.js';
import { FileScanner } from '../../../src/scan/parallel-scan.js';
import { RuleIndex } from '../../../src/scan/rule-index.js';
import { createScanEngine, scanEventFile, type FileScanSummary, type ScanEngineOptions } from '../../../src/scan/scan-events.js';

const SIGMAHQ = path.resolve('tests/fixtures/sigmahq/rules');
// Not a performance bound: a guard against a hang, generous for a busy machine.
const HANG_GUARD = 600_000;

let dir: string;
let file: string;
let mapping: Mapping;
let loaded: LoadedRules;
let events: EventRecord[];
/** The reference: every rule evaluated on every event. */
let expected: string[];
/** A rule of each spelling's shape, so the corpus is known to hold them all. */
const spelledAs = { source: 0, taxonomy: 0, anyChannel: 0 };
/** One rule in this many gets an event spelled from its values. */
const SPELL_EVERY = 4;
/** A channel no mapping lists: only `product: windows` rules (every Windows event) see its events. */
const OTHER_CHANNEL = 'Microsoft-Windows-Sample/Operational';

/** A string a Sigma value matches (wildcards spelled as nothing), or undefined for kinds not spelled. */
function spell(value: SigmaValue): string | number | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'expansion') return value.values[0] === undefined ? undefined : spell(value.values[0]);
  if (value.kind !== 'string' || value.encoding === 'bytes') return undefined;
  return value.parts.map((part) => (part.kind === 'text' ? part.text : part.kind === 'alternatives' ? (part.options[0] ?? '') : part.kind === 'one' ? 'x' : '')).join('');
}

/** Fields a rule's positive items ask for, spelled from their first value. */
function spellFields(node: DetectionNode, into: Record<string, string | number>): void {
  if (node.kind !== 'item') {
    for (const child of node.items) spellFields(child, into);
    return;
  }
  const first = node.values[0];
  const spelled = first === undefined ? undefined : spell(first);
  if (node.negated || spelled === undefined) return;
  into[node.field ?? 'Message'] ??= spelled;
}

/**
 * An event made of a rule's own values: a flat record in taxonomy names when `taxonomy` is asked or the
 * mappings know no source of the rule's log source; else a Windows event of its first source (a source
 * that names no channel, `product: windows`, gets a channel no mapping names).
 */
function spellEvent(rule: CompiledRule, taxonomy: boolean): Record<string, unknown> {
  const fields: Record<string, string | number> = {};
  // SigmaHQ names what its conditions exclude `filter...`: spelled, it would keep the rule from matching.
  for (const [name, identifier] of rule.rule.detection.identifiers) if (!name.startsWith('filter')) spellFields(identifier.body, fields);
  const source = resolveLogSource(mapping, rule.rule.logsource)[0];
  if (taxonomy || source === undefined) {
    spelledAs.taxonomy += 1;
    return fields;
  }
  const channel = source.channels?.[0];
  if (channel === undefined) spelledAs.anyChannel += 1;
  else spelledAs.source += 1;
  return { Channel: channel ?? OTHER_CHANNEL, EventID: source.eventIds?.[0] ?? 1, ...fields };
}

const pairsOf = (found: { rule: number; event: number }[]): string[] => found.map(({ rule, event }) => `${rule}:${event}`).sort();

/** Every (rule, event) pair a scan of the file finds, with the engine options given. */
async function scanFile(rules: readonly CompiledRule[], options: ScanEngineOptions): Promise<string[]> {
  const engine = createScanEngine(rules, options);
  const found: { rule: number; event: number }[] = [];
  await scanEventFile(file, 'events.ndjson', engine, { match: (match) => found.push({ rule: rules.indexOf(match.rule), event: match.event }), diagnostic: () => undefined });
  return pairsOf(found);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dac-sigmahq-equivalence-'));
  mapping = (await loadMappings(DEFAULT_MAPPINGS_DIR)).mappings;
  loaded = await loadCompiledRules([SIGMAHQ], process.cwd(), {}, mapping);
  const estate = path.join(dir, 'estate.ndjson');
  const windows = path.join(dir, 'windows.ndjson');
  await generateEstateEvents('process-creation', estate, 100, 7, 0.3);
  await generateEstateEvents('windows', windows, 150, 11, 0.3);
  // Every SPELL_EVERY-th rule, alternately in its source's shape and as taxonomy fields; and every rule
  // that takes any Windows event (few: `product: windows` alone).
  const takesAnyChannel = (rule: CompiledRule): boolean => resolveLogSource(mapping, rule.rule.logsource).some((source) => source.channels === undefined && source.eventIds === undefined);
  const spelled = loaded.rules.flatMap((rule, index) => {
    if (takesAnyChannel(rule)) return [JSON.stringify(spellEvent(rule, false))];
    return index % SPELL_EVERY === 0 ? [JSON.stringify(spellEvent(rule, index % (2 * SPELL_EVERY) === 0))] : [];
  });
  file = path.join(dir, 'events.ndjson');
  await writeFile(file, `${(await readFile(estate, 'utf8')) + (await readFile(windows, 'utf8')) + spelled.join('\n')}\n`);
  events = [];
  for await (const item of readEvents(file)) if (item.kind === 'event') events.push(item.record);
  const found: { rule: number; event: number }[] = [];
  for (const event of events) loaded.rules.forEach((rule, index) => {
    if (rule.matches(event)) found.push({ rule: index, event: event.index });
  });
  expected = pairsOf(found);
}, HANG_GUARD);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SigmaHQ rules with and without each optimisation', () => {
  it('has a corpus worth comparing: thousands of rules, events of every shape, and matches of many rules', () => {
    expect(loaded.rules.length).toBeGreaterThan(3000);
    expect(spelledAs.source).toBeGreaterThan(200);
    expect(spelledAs.taxonomy).toBeGreaterThan(200);
    expect(spelledAs.anyChannel).toBeGreaterThan(0);
    const matched = new Set(expected.map((pair) => Number(pair.split(':')[0])));
    const anyChannel = [...matched].filter((rule) => resolveLogSource(mapping, (loaded.rules[rule] as CompiledRule).rule.logsource).some((source) => source.channels === undefined));
    const unmapped = [...matched].filter((rule) => resolveLogSource(mapping, (loaded.rules[rule] as CompiledRule).rule.logsource).length === 0);
    console.info(`SigmaHQ equivalence: ${loaded.rules.length} rules, ${events.length} events, ${expected.length} matches of ${matched.size} distinct rules (${unmapped.length} of unmapped log sources, ${anyChannel.length} of product: windows alone)`);
    expect(matched.size).toBeGreaterThan(600);
    expect(unmapped.length).toBeGreaterThan(50);
    expect(anyChannel.length).toBeGreaterThan(0);
  });

  it('the rule index (log-source groups, per-field automata, requirements) finds the same pairs', () => {
    const variants: [string, RuleIndex][] = [
      ['grouped and selected', new RuleIndex(loaded.rules)],
      ['grouped, every rule evaluated', new RuleIndex(loaded.rules, { select: false })],
    ];
    for (const [name, index] of variants) {
      const found = events.flatMap((event) => index.matchEvent(event).map((rule) => ({ rule, event: event.index })));
      expect(pairsOf(found), name).toEqual(expected);
    }
  }, HANG_GUARD);

  it('rules rebuilt from plain data and compiled on first use (the rule cache, the workers) find the same pairs', () => {
    const rebuilt = createRulesFromPack(loaded.pack, {}, mapping);
    const index = new RuleIndex(rebuilt);
    const found = events.flatMap((event) => index.matchEvent(event).map((rule) => ({ rule, event: event.index })));
    expect(pairsOf(found)).toEqual(expected);
  }, HANG_GUARD);

  it('the raw-text prefilter, where it applies, skips no line a rule matches', async () => {
    // With every rule it cannot apply (some rules name no literal); with those that do, it skips lines.
    const withNeedles = loaded.rules.filter((rule) => rule.needles !== undefined);
    expect(createScanEngine(loaded.rules).linePrefilter).toBeUndefined();
    expect(createScanEngine(withNeedles).linePrefilter).toBeDefined();
    const subset = (pairs: string[]): string[] => pairs.filter((pair) => loaded.rules[Number(pair.split(':')[0])]?.needles !== undefined);
    const remap = (pairs: string[]): string[] => pairs.map((pair) => `${loaded.rules.indexOf(withNeedles[Number(pair.split(':')[0])] as CompiledRule)}:${pair.split(':')[1]}`).sort();
    expect(remap(await scanFile(withNeedles, {}))).toEqual(subset(expected));
    expect(remap(await scanFile(withNeedles, { prefilter: false }))).toEqual(subset(expected));
    expect(await scanFile(loaded.rules, {})).toEqual(expected);
  }, HANG_GUARD);

  it('worker threads find the same pairs, and count every record as one thread does', async () => {
    const engine = createScanEngine(loaded.rules);
    const single = await scanEventFile(file, 'events.ndjson', engine, { match: () => undefined, diagnostic: () => undefined }, createSourceRecogniser(mapping).recognise);
    const recogniser = createSourceRecogniser(mapping);
    const scanner = new FileScanner(engine, { threads: 2, minParallelBytes: 0, chunkBytes: 64 * 1024, pack: loaded.pack, mappingsDir: DEFAULT_MAPPINGS_DIR, mapping, recogniser });
    const found: { rule: number; event: number }[] = [];
    let summary: FileScanSummary | undefined;
    try {
      // The workers start while the main thread scans a first time; the second scan shares the work.
      for (let pass = 0; pass < 2; pass += 1) {
        found.length = 0;
        summary = await scanner.scanFile(file, 'events.ndjson', { match: (match) => found.push({ rule: loaded.rules.indexOf(match.rule), event: match.event }), diagnostic: () => undefined });
        await scanner.settled();
      }
    } finally {
      await scanner.close();
    }
    expect(scanner.workerChunks).toBeGreaterThan(0);
    expect(pairsOf(found)).toEqual(expected);
    expect(summary?.account).toEqual(single.account);
    const totals = totalAccounts([single.account]);
    expect(totals.recognised).toBeGreaterThan(100);
    expect(totals.taxonomy).toBeGreaterThan(100);
    expect(totals.unrecognised).toBeGreaterThan(0);
    // The workers' records count for reachability: every kind seen in one thread is seen here too.
    expect(recogniser.sawFlat).toBe(true);
    expect(new Set(recogniser.identities().map((identity) => `${identity.channel}:${identity.eventId}`)).size).toBeGreaterThan(10);
  }, HANG_GUARD);

});
