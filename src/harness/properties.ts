/**
 * Property tests over generated events (the `properties` check of `dac test`). For every sample of
 * every space of a rule's scenario spec (a process tree, or a few events of another activity), every
 * event is judged twice: on its full set of fields (the rule's logic alone), then rendered and read back
 * through the real readers, mapping and engine in one of its activity's formats (for process creations
 * the 8 of Sysmon EID 1 XML, Security 4688 XML v2, v1 and v0, evtx_dump JSON of both, Winlogbeat ECS and
 * flat JSON; for the others Event XML, evtx_dump JSON, Winlogbeat JSON and flat JSON), rotating through
 * them from a drawn offset so every sample mixes formats; `renderings: all` reads every event in every
 * format. The contract: the rule fires on an
 * event iff the event lies in a true-positive or documented false-positive space, except where the
 * rendering's log source cannot provide a field the rule needs for that event (the mapping's
 * `unavailable` list): there it must not fire, and that blind spot is reported once as a note. With the
 * pack's filters applied (filters/), the rule must also stop firing on the false-positive spaces they
 * suppress, and on nothing else. Runs are deterministic (fast-check seed); deep runs are split into
 * shards of consecutive seeds run on worker threads; a failure prints the shrunk counterexample as a
 * golden event and the command that replays it.
 */
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import fc from 'fast-check';
import { applyFilters, describeFilter, loadFilters, selectFilters, type SigmaFilter } from '../compile/apply-filters.js';
import type { CompiledRule } from '../compile/compile-rule.js';
import type { ItemExplanation } from '../compile/explanation.js';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import type { EventItem, TextEventParser } from '../events/event-item.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { FlatRecord } from '../events/flat-record.js';
import { NdjsonParser } from '../events/read-ndjson.js';
import { XmlEventParser } from '../events/read-xml.js';
import { bindEvent, matchesSource } from '../mapping/bind-event.js';
import type { SourceBinding } from '../mapping/mapping.js';
import type { SigmaRule } from '../model/rule.js';
import { DEFAULT_CONFIG, type RenderingChoice } from './config.js';
import { describeWorkerSource, runShardsInWorkers, type ShardResult } from './property-pool.js';
import { formatGoldenEntry } from './edit-rule-test.js';
import { checkGoldenPredictions } from './predict-events.js';
import { planShards, RUNS_PER_SHARD, type Shard } from './property-shards.js';
import type { RuleCheck, RuleContext } from './run-tests.js';
import type { ActivityRendering as Rendering, ScenarioEvent, ScenarioSample } from './activities/activity.js';
import {
  checkSpecAgainstRule,
  checkSpecAgainstSources,
  findFalsePositiveEntry,
  loadScenarioSpec,
  resolveSpace,
  type ScenarioSpace,
  type ScenarioSpec,
} from './scenario-spec.js';
import { createClassifier, type EventClass } from './scenario-trees.js';
import type { Failure, PropertyResult } from './test-report.js';
import { detectionFields } from '../model/rule-fields.js';


/** What the properties of one rule need: the rule compiled and bound, the seed and runs, where its spec lives. */
export interface PropertyContext {
  readonly rule: SigmaRule;
  readonly compiled: CompiledRule;
  readonly bindings: readonly SourceBinding[];
  readonly seed: number;
  readonly runs: number;
  readonly repoRoot: string;
  readonly testFolder: string;
  /** The pack's filters folder, relative to the repository root (dac.config.yml `filters`). */
  readonly filtersDir?: string;
  /** Which renderings of each event are read back: one per event, rotating (default), or all of them. */
  readonly renderings?: RenderingChoice;
  /** Runs per shard (default {@link RUNS_PER_SHARD}): more runs are split into shards of consecutive seeds. */
  readonly runsPerShard?: number;
  /**
   * The mapping folder (absolute) worker threads load to rebuild the rule's bindings; without it every
   * shard runs in this thread.
   */
  readonly mappingsDir?: string;
  /** Worker threads for the shards (default: the cores available). */
  readonly threads?: number;
  /** Told now and then which property runs and how many of the rule's runs are done, for a progress display. */
  readonly onProgress?: (progress: PropertyProgress) => void;
}

/** How far a rule's property runs are: `done` of `total` runs over all its properties, and the one running. */
export interface PropertyProgress {
  readonly property: string;
  readonly done: number;
  readonly total: number;
}

/** Runs between two progress reports of a property running in this thread. */
const PROGRESS_EVERY_RUNS = 64;

/** One generated input of a property: a sample of a space and where its rotation through the formats starts. */
export interface PropertyInput {
  readonly scenario: ScenarioSample;
  readonly renderingOffset: number;
}

/** What the properties of one rule found: failures, blind-spot notes and the run's figures. */
export interface PropertyOutcome {
  readonly failures: Failure[];
  /** One note per log source and missing field that kept the rule from firing on a true or documented false positive. */
  readonly notes: Diagnostic[];
  readonly properties?: PropertyResult;
  readonly skipped?: string;
  /** The scenario spec the properties ran from, when they ran. */
  readonly spec?: ScenarioSpec;
}

/** How a rendering's verdict disagreed with the spec. */
export type MismatchKind =
  | 'missed-detection'
  | 'undocumented-false-positive'
  | 'false-positive-not-fired'
  | 'filter-removed-true-positive'
  | 'filter-removed-unlisted-false-positive'
  | 'filter-kept-false-positive'
  | 'fired-while-blind'
  | 'unreadable-rendering';

/** The first disagreement found in one tree. */
export interface Mismatch {
  readonly kind: MismatchKind;
  readonly event: ScenarioEvent;
  /** The event's position in the tree's start order. */
  readonly eventIndex: number;
  readonly verdictClass: EventClass;
  readonly rendering: Rendering;
  /** True when the event already disagreed on its full set of fields, before any rendering was read back. */
  readonly onFields?: boolean;
  readonly record?: EventRecord;
  readonly problem?: string;
  readonly expected: boolean;
  readonly got: boolean;
}

/**
 * The formats event `eventIndex` of a sample is read back in: all of them, or one, rotating through the
 * formats from the sample's offset so that a sample's events come in different formats.
 */
export function chooseFormats(choice: RenderingChoice, formats: readonly string[], renderingOffset: number, eventIndex: number): readonly string[] {
  if (choice === 'all') return formats;
  return [formats[(renderingOffset + eventIndex) % formats.length] as string];
}


/** Feeds one text to a reader and returns its items, as reading a file of that text would. */
function readText(parser: TextEventParser, text: string): EventItem[] {
  return [...parser.feed({ text, invalidOffsets: [] }), ...parser.end()];
}

/** A log source's view of the rule: the rule's fields it cannot provide on an event version, with the mapping's reasons. */
interface SourceView {
  readonly binding?: SourceBinding;
  readonly version?: number;
  readonly missing: ReadonlyMap<string, string>;
}

/**
 * A blind spot as plain data (what a worker thread sends back): a log source and the rule's fields it
 * lacks, with the mapping's reasons, the event versions and how many renderings of each space it hid.
 */
export interface BlindSpot {
  readonly key: string;
  readonly title: string;
  readonly fields: readonly (readonly [string, string])[];
  readonly versions: readonly number[];
  readonly spaces: readonly (readonly [string, number])[];
}

/** Records each blind spot once: per source and missing fields, the versions and spaces it hid. */
class BlindSpotLog {
  private readonly spots = new Map<string, { title: string; fields: ReadonlyMap<string, string>; versions: Set<number>; spaces: Map<string, number> }>();

  add(view: SourceView, culprits: readonly string[], space: ScenarioSpace | undefined): void {
    if (view.binding === undefined) return;
    const key = `${view.binding.id}\u0000${culprits.join(',')}`;
    let spot = this.spots.get(key);
    if (spot === undefined) {
      spot = { title: view.binding.title, fields: new Map(culprits.map((field) => [field, view.missing.get(field) ?? ''])), versions: new Set(), spaces: new Map() };
      this.spots.set(key, spot);
    }
    if (view.version !== undefined) spot.versions.add(view.version);
    const name = space === undefined ? '(none)' : `${space.kind} '${space.name}'`;
    spot.spaces.set(name, (spot.spaces.get(name) ?? 0) + 1);
  }

  /** Adds spots seen elsewhere (a worker's), in their order, summing the counts. */
  merge(spots: readonly BlindSpot[]): void {
    for (const { key, title, fields, versions, spaces } of spots) {
      let spot = this.spots.get(key);
      if (spot === undefined) {
        spot = { title, fields: new Map(fields), versions: new Set(), spaces: new Map() };
        this.spots.set(key, spot);
      }
      for (const version of versions) spot.versions.add(version);
      for (const [name, count] of spaces) spot.spaces.set(name, (spot.spaces.get(name) ?? 0) + count);
    }
  }

  /** The spots recorded since the last call, as data; the log is empty afterwards. */
  take(): BlindSpot[] {
    const spots = [...this.spots].map(([key, spot]) => ({
      key,
      title: spot.title,
      fields: [...spot.fields],
      versions: [...spot.versions],
      spaces: [...spot.spaces],
    }));
    this.spots.clear();
    return spots;
  }

  toNotes(rule: SigmaRule): Diagnostic[] {
    const at = rule.source.locate(['detection']);
    return [...this.spots.values()].map((spot) => {
      const versions = spot.versions.size === 0 ? '' : ` (event version${spot.versions.size > 1 ? 's' : ''} ${[...spot.versions].sort().join(', ')})`;
      const fields = [...spot.fields].map(([field, reason]) => `${field}: ${reason}`).join('; ');
      const spaces = [...spot.spaces].map(([name, count]) => `${name} (${count} rendering${count === 1 ? '' : 's'})`).join(', ');
      return createDiagnostic(rule.file, at, 'properties/blind-spot', 'note',
        `rule '${rule.title}' cannot fire on ${spot.title}${versions} for ${spaces}, because it needs ${fields}; those renderings are expected not to match`);
    });
  }
}

/** Checks trees against the contract, with the rule as written or with its filters applied. */
class TreeChecker {
  private readonly views = new Map<string, SourceView>();
  private readonly classify: (...identities: readonly string[]) => EventClass;
  private readonly ruleFields: ReadonlySet<string>;

  constructor(
    private readonly spec: ScenarioSpec,
    private readonly compiled: CompiledRule,
    private readonly bindings: readonly SourceBinding[],
    private readonly tuned: CompiledRule | undefined,
    private readonly blindSpots: BlindSpotLog,
    private readonly choice: RenderingChoice,
  ) {
    this.classify = createClassifier(spec);
    this.ruleFields = new Set(detectionFields(compiled.rule));
  }

  private describeSource(record: EventRecord): SourceView {
    if (record.channel === undefined && record.eventId === undefined) return { missing: new Map() };
    const key = `${record.channel ?? ''}\u0000${record.eventId ?? ''}\u0000${record.version ?? ''}`;
    const known = this.views.get(key);
    if (known !== undefined) return known;
    const binding = this.bindings.find((candidate) => matchesSource(record, candidate));
    const missing = new Map<string, string>();
    for (const entry of binding?.unavailable ?? []) {
      const applies = entry.versions === undefined || record.version === undefined || entry.versions.includes(record.version);
      if (applies && this.ruleFields.has(entry.field)) missing.set(entry.field, entry.reason);
    }
    const view: SourceView = { ...(binding !== undefined ? { binding } : {}), ...(record.version !== undefined ? { version: record.version } : {}), missing };
    this.views.set(key, view);
    return view;
  }

  /**
   * Renders each event in its formats and reads the renderings back through the real readers: the XML
   * renderings as one XML file, the JSON ones as one NDJSON file, which costs two reader instances per
   * tree. Returns, per event, its renderings and for each the record read or the reader's problem.
   */
  private readBack(events: readonly ScenarioEvent[], renderingOffset: number): { rendered: Rendering[][]; records: (EventRecord | string)[][] } {
    const formats = this.spec.activity.formats;
    const rendered = events.map((event, index) =>
      chooseFormats(this.choice, formats, renderingOffset, index).map((format) => event.event.render(format)),
    );
    const records: (EventRecord | string)[][] = rendered.map((list) => list.map(() => 'the reader returned no event for it'));
    for (const xml of [true, false]) {
      const order: [number, number][] = [];
      const texts: string[] = [];
      rendered.forEach((list, event) =>
        list.forEach((rendering, format) => {
          if ((rendering.extension === '.xml') !== xml) return;
          order.push([event, format]);
          texts.push(rendering.text);
        }),
      );
      if (texts.length === 0) continue;
      const parser: TextEventParser = xml ? new XmlEventParser('generated/renderings.xml') : new NdjsonParser('generated/renderings.ndjson');
      for (const item of readText(parser, `${texts.join('\n')}\n`)) {
        const index = item.kind === 'event' ? item.record.index : item.index;
        const place = index === undefined ? undefined : order[index];
        if (place === undefined) continue;
        const row = records[place[0]] as (EventRecord | string)[];
        row[place[1]] = item.kind === 'event' ? item.record : `${item.diagnostic.code}: ${item.diagnostic.message}`;
      }
    }
    return { rendered, records };
  }

  /**
   * The first disagreement in a tree, or undefined when every event keeps the contract: first on its
   * full set of fields (the rule's logic alone, whatever the format), then in each rendering read back.
   */
  check({ scenario, renderingOffset }: PropertyInput, withFilters: boolean): Mismatch | undefined {
    const events = scenario.events;
    const { rendered, records } = this.readBack(events, renderingOffset);
    for (let index = 0; index < events.length; index++) {
      const event = events[index] as ScenarioEvent;
      const verdictClass = this.classify(...event.identities);
      const flat = event.event.fields;
      const flatRecord = new FlatRecord('generated/flat', index, flat);
      // The untuned rule's verdict on all the fields, needed only to tell blind spots: computed on demand.
      let fullVerdict: boolean | undefined;
      const firesOnFields = (): boolean => (fullVerdict ??= this.compiled.matches(flatRecord));
      const fieldMismatch = withFilters ? this.judgeTuned(flatRecord, verdictClass, false) : this.judge(flatRecord, verdictClass, false);
      if (fieldMismatch !== undefined) {
        return { event, eventIndex: index, verdictClass, rendering: event.event.render('flat-json'), onFields: true, ...fieldMismatch, record: flatRecord };
      }
      const eventRenderings = rendered[index] ?? [];
      for (let renderingIndex = 0; renderingIndex < eventRenderings.length; renderingIndex++) {
        const rendering = eventRenderings[renderingIndex] as Rendering;
        const read = records[index]?.[renderingIndex];
        const base = { event, eventIndex: index, verdictClass, rendering };
        if (read === undefined || typeof read === 'string') {
          return { ...base, kind: 'unreadable-rendering', problem: read ?? 'missing', expected: false, got: false };
        }
        const view = this.describeSource(read);
        let blind = false;
        if (verdictClass.kind !== 'background' && view.missing.size > 0 && firesOnFields()) {
          const without = (fields: Iterable<string>) => {
            const projected: Record<string, string | number> = { ...flat };
            for (const field of fields) delete projected[field];
            return this.compiled.matches(new FlatRecord('generated/flat', index, projected));
          };
          if (!without(view.missing.keys())) {
            blind = true;
            if (!withFilters) {
              const missing = [...view.missing.keys()];
              // Name the fields that alone restore the verdict; when none does, all of them are needed.
              const single = missing.filter((field) => without(missing.filter((other) => other !== field)));
              this.blindSpots.add(view, single.length > 0 ? single : missing, verdictClass.space);
            }
          }
        }
        const mismatch = withFilters ? this.judgeTuned(read, verdictClass, blind) : this.judge(read, verdictClass, blind);
        if (mismatch !== undefined) return { ...base, ...mismatch, record: read };
      }
    }
    return undefined;
  }

  private judge(record: EventRecord, verdictClass: EventClass, blind: boolean): Pick<Mismatch, 'kind' | 'expected' | 'got'> | undefined {
    const expected = verdictClass.kind !== 'background' && !blind;
    const got = this.compiled.matches(record);
    if (got === expected) return undefined;
    if (got) return { kind: blind ? 'fired-while-blind' : 'undocumented-false-positive', expected, got };
    return { kind: verdictClass.kind === 'false-positive' ? 'false-positive-not-fired' : 'missed-detection', expected, got };
  }

  private judgeTuned(record: EventRecord, verdictClass: EventClass, blind: boolean): Pick<Mismatch, 'kind' | 'expected' | 'got'> | undefined {
    const tuned = this.tuned ?? this.compiled;
    const suppressed = verdictClass.kind === 'false-positive' && (verdictClass.space?.filters?.length ?? 0) > 0;
    const expected = verdictClass.kind !== 'background' && !suppressed && !blind;
    const got = tuned.matches(record);
    if (got === expected) return undefined;
    if (got) {
      if (suppressed && !blind) return { kind: 'filter-kept-false-positive', expected, got };
      return { kind: blind ? 'fired-while-blind' : 'undocumented-false-positive', expected, got };
    }
    const untuned = this.compiled.matches(record);
    if (!untuned) return { kind: verdictClass.kind === 'false-positive' ? 'false-positive-not-fired' : 'missed-detection', expected, got };
    return { kind: verdictClass.kind === 'false-positive' ? 'filter-removed-unlisted-false-positive' : 'filter-removed-true-positive', expected, got };
  }
}

const HEADLINES: Readonly<Record<MismatchKind, string>> = {
  'missed-detection': 'missed detection',
  'undocumented-false-positive': 'undocumented false positive',
  'false-positive-not-fired': 'documented false positive that does not fire',
  'filter-removed-true-positive': 'a filter removes a true positive',
  'filter-removed-unlisted-false-positive': 'a filter suppresses a false-positive space that does not list it',
  'filter-kept-false-positive': 'a filter leaves its false positive firing',
  'fired-while-blind': 'fired on a source that cannot provide the fields the rule needs',
  'unreadable-rendering': 'a rendering could not be read back',
};

function showValue(value: FieldValue | undefined): string {
  if (value === undefined) return '(absent)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Where a mismatch showed: on the event's fields (whatever the format), or in one rendering read back. */
const describeWhere = (mismatch: Mismatch): string => (mismatch.onFields ? 'on its fields' : `in ${mismatch.rendering.format}`);

function describeClass(verdictClass: EventClass): string {
  if (verdictClass.space === undefined) return 'background: in no true- or false-positive space';
  return `${verdictClass.kind} space '${verdictClass.space.name}'`;
}

/** Where to annotate: the rule's item closest to matching for a miss, its condition for a wrong firing, a filter's condition for a filter. */
function locateMismatch(mismatch: Mismatch, compiled: CompiledRule, filters: readonly SigmaFilter[]): { file: string; position: Position } {
  const rule = compiled.rule;
  const condition = rule.detection.conditions[0]?.source.position ?? rule.detection.source.position;
  const [filter] = filters;
  if (mismatch.kind.startsWith('filter-') && filter !== undefined) {
    return { file: filter.file, position: filter.source.locate(['filter', 'condition']) };
  }
  if (mismatch.got || mismatch.record === undefined) return { file: rule.file, position: condition };
  const explanation = compiled.explain(mismatch.record);
  let best: { item: ItemExplanation; unmatched: number } | undefined;
  for (const identifier of explanation.identifiers) {
    const unmatched = identifier.items.filter((item) => !item.matched);
    const first = unmatched[0];
    if (first !== undefined && (best === undefined || unmatched.length < best.unmatched)) best = { item: first, unmatched: unmatched.length };
  }
  return { file: rule.file, position: best?.item.source.position ?? condition };
}

function describeDecidingFields(compiled: CompiledRule, record: EventRecord, bindings: readonly SourceBinding[]): string[] {
  const explanation = compiled.explain(record);
  const view = bindEvent(record, bindings);
  const lines = [`identifiers: ${explanation.identifiers.map((identifier) => `${identifier.name}=${identifier.matched}`).join(', ')}`];
  const seen = new Set<string>();
  for (const identifier of explanation.identifiers) {
    for (const item of identifier.items) {
      if (item.field === undefined || seen.has(item.field)) continue;
      seen.add(item.field);
      const hit = item.values.find((value) => value.matched);
      lines.push(`  ${item.field}: ${showValue(view?.get(item.field))}${hit ? `  (matched ${hit.value})` : ''}`);
    }
  }
  return lines;
}

const slug = (text: string): string => text.toLowerCase().replace(/\.exe$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The counterexample as a golden event and the rule-test.yml entry that would keep it. */
function formatGoldenEvent(mismatch: Mismatch, rule: SigmaRule, spec: ScenarioSpec, replay: string): string[] {
  const firstXml = spec.activity.formats.find((format) => format.endsWith('-xml')) ?? 'flat-json';
  const xml = mismatch.rendering.extension === '.xml' ? mismatch.rendering : mismatch.event.event.render(firstXml);
  const source = xml.format === 'sysmon-xml' ? 'sysmon' : xml.format.replace(/-xml$/, '').replace(/-json$/, '');
  const file = `events/prop-${mismatch.event.identities.map(slug).join('-')}.${source}${xml.extension}`;
  const space = mismatch.verdictClass.space;
  const untunedExpected = mismatch.verdictClass.kind !== 'background' && (mismatch.kind.startsWith('filter-') || mismatch.expected);
  const falsepositive = space?.falsepositive;
  const verdict = !untunedExpected ? 'no-match' : mismatch.verdictClass.kind === 'false-positive' ? 'false-positive' : 'match';
  const folder = spec.file.slice(0, spec.file.lastIndexOf('/') + 1);
  const entry = formatGoldenEntry({
    file,
    verdict,
    ...(verdict === 'false-positive' && falsepositive !== undefined ? { falsepositive } : {}),
    provenance: `generated by the properties check (${replay}): ${describeIdentities(mismatch.event)}, ${describeClass(mismatch.verdictClass)}`,
  }, '  ');
  // The falsepositive entry's text, as a comment a reviewer reads beside its number.
  const documented = verdict === 'false-positive' && falsepositive !== undefined ? findFalsePositiveEntry(rule, falsepositive) : undefined;
  const lines = entry.map((line) => (documented !== undefined && line.startsWith('    falsepositive: ') ? `${line}  # ${documented.slice(0, 60).replace(/\s+/g, ' ')}` : line));
  return [`golden event (${xml.format}; save as ${folder}${file}):`, xml.text, 'rule-test.yml entry:', ...lines];
}

/** An event's identities as failures and notes name them: `parent -> process`, `process -> destination`. */
export const describeIdentities = (event: Pick<ScenarioEvent, 'identities'>): string => event.identities.join(' -> ');

/**
 * A property's input: a sample, and where its rotation through the activity's `formatCount` formats
 * starts (shrinks towards the first format).
 */
export function propertyInput(samples: fc.Arbitrary<ScenarioSample>, formatCount: number): fc.Arbitrary<PropertyInput> {
  return fc.record({ scenario: samples, renderingOffset: fc.nat(Math.max(formatCount - 1, 0)) });
}

interface PropertyPlan {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<PropertyInput>;
  readonly withFilters: boolean;
}

/** Runs one shard of a property with fast-check and turns a counterexample into a failure. */
function runProperty(
  plan: PropertyPlan,
  checker: TreeChecker,
  context: PropertyContext,
  shard: Shard,
  spec: ScenarioSpec,
  filters: readonly SigmaFilter[],
  tuned: CompiledRule | undefined,
  onRun?: () => void,
): Failure | undefined {
  const details = fc.check(
    fc.property(plan.arbitrary, (input) => {
      onRun?.();
      return checker.check(input, plan.withFilters) === undefined;
    }),
    { seed: shard.seed, numRuns: shard.runs },
  );
  if (!details.failed) return undefined;
  const inShard = shard.count > 1 ? ` (shard ${shard.index + 1} of ${shard.count})` : '';
  const replay = `seed ${details.seed}${inShard}, fast-check path "${details.counterexamplePath ?? ''}"; replay with npx dac test --seed ${context.seed} --runs ${context.runs}`;
  const [input] = details.counterexample ?? [];
  const mismatch = input === undefined ? undefined : checker.check(input, plan.withFilters);
  const rule = context.rule;
  if (mismatch === undefined) {
    const at = rule.source.locate(['detection']);
    return { check: 'properties', message: `property ${plan.name} could not run: ${String(details.errorInstance ?? 'unknown error')}`, details: replay, file: rule.file, line: at.line, column: at.column };
  }
  const compiled = plan.withFilters && tuned !== undefined ? tuned : context.compiled;
  const { file, position } = locateMismatch(mismatch, compiled, filters);
  const fields = mismatch.event.event.fields;
  const lines = [
    `property: ${plan.name}${plan.withFilters ? ` with filters ${filters.map(describeFilter).join(', ')}` : ''} (${context.runs} runs${shard.count > 1 ? ` in ${shard.count} shards` : ''}, shrunk ${details.numShrinks} times)`,
    `replay: ${replay}`,
    `event #${mismatch.eventIndex} of the shrunk ${spec.activity.name === 'process_creation' ? 'tree' : 'sample'}, ${describeWhere(mismatch)}: ${describeIdentities(mismatch.event)}`,
    ...spec.activity.keyFields.filter((field) => fields[field] !== undefined).map((field) => `  ${field}: ${String(fields[field])}`),
    `expected: ${mismatch.expected ? 'match' : 'no-match'} (${describeClass(mismatch.verdictClass)})`,
    `got: ${mismatch.problem !== undefined ? `unreadable (${mismatch.problem})` : mismatch.got ? 'match' : 'no-match'}`,
    ...(mismatch.record === undefined ? [] : describeDecidingFields(compiled, mismatch.record, context.bindings)),
    ...formatGoldenEvent(mismatch, rule, spec, `seed ${details.seed}, path "${details.counterexamplePath ?? ''}"`),
  ];
  return {
    check: 'properties',
    message: `${HEADLINES[mismatch.kind]}: ${describeIdentities(mismatch.event)} ${describeWhere(mismatch)} (${describeClass(mismatch.verdictClass)}; seed ${details.seed})`,
    details: lines.join('\n'),
    file,
    line: position.line,
    column: position.column,
  };
}

const failureOf = (diagnostic: Diagnostic): Failure => ({
  check: 'properties',
  message: `${diagnostic.code}: ${diagnostic.message}`,
  file: diagnostic.file,
  line: diagnostic.line,
  column: diagnostic.column,
});

/** Loads the pack's filters that tune the rule and checks that the spec's false-positive spaces name real ones. */
async function prepareFilters(
  context: PropertyContext,
  spec: ScenarioSpec,
): Promise<{ filters: SigmaFilter[]; tuned?: CompiledRule; diagnostics: Diagnostic[] }> {
  const loaded = await loadFilters(join(context.repoRoot, context.filtersDir ?? DEFAULT_CONFIG.filters), context.repoRoot);
  const { selected, diagnostics: selectDiagnostics } = selectFilters(context.rule, loaded.filters);
  const diagnostics = [...loaded.diagnostics.filter((d) => selected.some((filter) => filter.file === d.file) || d.severity === 'error'), ...selectDiagnostics];
  const known = new Set(selected.flatMap((filter) => [filter.id, filter.name].filter((name): name is string => name !== undefined)));
  for (const space of spec.spaces) {
    (space.filters ?? []).forEach((reference, index) => {
      if (!known.has(reference)) {
        diagnostics.push(createDiagnostic(spec.file, spec.document.locate([...space.path, 'filters', index]), 'scenario/unknown-filter', 'error',
          `'${reference}' is not the id or name of a filter in ${context.filtersDir ?? DEFAULT_CONFIG.filters}/ that applies to rule ${context.rule.id ?? context.rule.title}`));
      }
    });
  }
  if (selected.length === 0) return { filters: [], diagnostics };
  const applied = applyFilters(context.compiled, selected, { bindings: context.bindings });
  return { filters: selected, tuned: applied.compiled, diagnostics: [...diagnostics, ...applied.diagnostics] };
}

/** A rule's properties ready to run, in this thread or shard by shard in worker threads. */
export interface PreparedProperties {
  /** The properties' names, in run order: one per space, then the filters over every space when any applies. */
  readonly names: readonly string[];
  readonly spec: ScenarioSpec;
  /**
   * Runs one shard of the property at `index` (see {@link planShards}); a failure when it finds a
   * counterexample. The context's seed and runs are the whole run's, named in the replay hint.
   */
  runShard(index: number, shard: Shard, onRun?: () => void): Failure | undefined;
  /** Non-error diagnostics of the setup and the blind-spot notes of every run so far. */
  notes(): Diagnostic[];
  /** The blind spots recorded since the last call, as data (what a worker sends back). */
  takeBlindSpots(): BlindSpot[];
  /** Adds blind spots a worker recorded. */
  addBlindSpots(spots: readonly BlindSpot[]): void;
}

/**
 * Loads a rule's scenario spec and filters and prepares its properties; an outcome instead when there
 * is nothing to run (no scenarios.yml) or the setup has errors.
 */
export async function prepareProperties(context: PropertyContext): Promise<PreparedProperties | PropertyOutcome> {
  const loaded = await loadScenarioSpec(context.testFolder, context.repoRoot);
  if (loaded.spec === undefined) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    return errors.length > 0 ? { failures: errors.map(failureOf), notes: [] } : { failures: [], notes: [], skipped: `no ${basename(join(context.testFolder, 'scenarios.yml'))}` };
  }
  const spec = loaded.spec;
  const specErrors = [...loaded.diagnostics, ...checkSpecAgainstRule(spec, context.rule), ...checkSpecAgainstSources(spec, context.bindings)].filter((d) => d.severity === 'error');
  const prepared = await prepareFilters(context, spec);
  const setupErrors = [...specErrors, ...prepared.diagnostics.filter((d) => d.severity === 'error')];
  if (setupErrors.length > 0) return { failures: setupErrors.map(failureOf), notes: [] };

  const blindSpots = new BlindSpotLog();
  const checker = new TreeChecker(spec, context.compiled, context.bindings, prepared.tuned, blindSpots, context.renderings ?? 'rotate');
  const arbitraries = spec.spaces.map((space) => propertyInput(spec.activity.sample(resolveSpace(space, spec), space), spec.activity.formats.length));
  const plans: PropertyPlan[] = spec.spaces.map((space, index) => ({
    name: `${space.kind} '${space.name}'`,
    arbitrary: arbitraries[index] as fc.Arbitrary<PropertyInput>,
    withFilters: false,
  }));
  if (prepared.tuned !== undefined) {
    plans.push({ name: 'every space', arbitrary: fc.oneof(...arbitraries), withFilters: true });
  }
  return {
    names: plans.map((plan) => plan.name),
    spec,
    runShard(index, shard, onRun) {
      const plan = plans[index];
      if (plan === undefined) throw new Error(`no property ${index}: there are ${plans.length}`);
      return runProperty(plan, checker, context, shard, spec, prepared.filters, prepared.tuned, onRun);
    },
    notes: () => [...prepared.diagnostics.filter((d) => d.severity !== 'error'), ...blindSpots.toNotes(context.rule)],
    takeBlindSpots: () => blindSpots.take(),
    addBlindSpots: (spots) => blindSpots.merge(spots),
  };
}

/**
 * Runs a rule's properties (those at the indices `only`, or all): one per space of its scenario spec
 * (the rule as written), and one over all spaces with the pack's filters applied when any filter tunes
 * the rule. Runs past {@link RUNS_PER_SHARD} are split into shards, run on worker threads when the
 * context names the mapping folder. Skipped when the rule's test folder has no scenarios.yml.
 */
export async function runProperties(context: PropertyContext, only?: readonly number[]): Promise<PropertyOutcome> {
  const prepared = await prepareProperties(context);
  if (!('runShard' in prepared)) return prepared;
  const indices = only ?? prepared.names.map((_, index) => index);
  const shards = planShards(context.seed, context.runs, context.runsPerShard);
  const jobs = indices.flatMap((property) => shards.map((shard) => ({ property, shard })));
  const threads = Math.min(context.threads ?? availableParallelism(), jobs.length);
  // Progress counts runs: those of finished shards, and in this thread the runs of the shard running.
  const total = jobs.reduce((sum, job) => sum + job.shard.runs, 0);
  let finished = 0;
  const report = context.onProgress;
  const nameOf = (property: number): string => prepared.names[property] ?? `property ${property}`;
  const runHere = (): ShardResult[] => {
    finished = 0;
    const results = jobs.map(({ property, shard }) => {
      const name = nameOf(property);
      report?.({ property: name, done: finished, total });
      let runs = 0;
      const onRun = report && ((): void => {
        runs += 1;
        // Shrinking a counterexample calls the predicate again: never count past the shard's runs.
        if (runs % PROGRESS_EVERY_RUNS === 0) report({ property: name, done: finished + Math.min(runs, shard.runs), total });
      });
      const failure = prepared.runShard(property, shard, onRun);
      finished += shard.runs;
      return { failure, blindSpots: [] };
    });
    const last = jobs.at(-1);
    if (last !== undefined) report?.({ property: nameOf(last.property), done: finished, total });
    return results;
  };
  const warnings: Diagnostic[] = [];
  let results: readonly ShardResult[];
  if (shards.length > 1 && threads > 1 && context.mappingsDir !== undefined) {
    try {
      report?.({ property: nameOf(jobs[0]?.property ?? 0), done: 0, total });
      results = await runShardsInWorkers(describeWorkerSource(context, context.mappingsDir), jobs, threads, (job) => {
        finished += job.shard.runs;
        report?.({ property: nameOf(job.property), done: finished, total });
      });
      for (const result of results) prepared.addBlindSpots(result.blindSpots);
    } catch (error) {
      // The shards are the same wherever they run: a broken worker costs time, never a verdict.
      warnings.push(createDiagnostic(context.rule.file, context.rule.source.locate(['detection']), 'properties/workers-failed', 'warning',
        `worker threads could not run the properties (${error instanceof Error ? error.message : String(error)}); the shards ran in this thread instead`));
      results = runHere();
    }
  } else {
    results = runHere();
  }
  // Per property, the failure of its first failing shard: the same whichever thread ran which shard.
  const failures: Failure[] = [];
  for (const property of indices) {
    const failure = results.find((result, job) => jobs[job]?.property === property && result.failure !== undefined)?.failure;
    if (failure !== undefined) failures.push(failure);
  }
  return {
    failures,
    notes: [...warnings, ...prepared.notes()],
    properties: { runs: context.runs, seed: context.seed, properties: indices.length, failed: failures.length },
    spec: prepared.spec,
  };
}

/** The `properties` check of `dac test`: the rule's scenario spec as property tests over generated trees. */
export const propertyCheck: RuleCheck & { run(context: RuleContext): Promise<PropertyOutcome> } = {
  name: 'properties',
  async run(context: RuleContext): Promise<PropertyOutcome> {
    const { reportProgress } = context;
    const outcome = await runProperties({
      ...context,
      filtersDir: context.config.filters,
      mappingsDir: resolve(context.repoRoot, context.config.mappings),
      ...(reportProgress ? { onProgress: ({ property, done, total }: PropertyProgress) => reportProgress(property, total === 0 ? 1 : done / total) } : {}),
    });
    // The golden events, real captures among them, must agree with the spec as generated ones do.
    if (outcome.spec === undefined || context.spec === undefined || context.events.length === 0) return outcome;
    const golden = checkGoldenPredictions(outcome.spec, context.compiled, context.bindings, context.events, context.spec.file);
    return { ...outcome, failures: [...outcome.failures, ...golden] };
  },
};
