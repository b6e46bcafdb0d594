/**
 * The rules of a scan, indexed so that the work per event grows with what the event holds, not with
 * the number of rules (Hyperscan and the best SIEM engines work this way):
 *
 * 1. Rules are grouped by log source (the same bindings, src/mapping): an event is bound once per group,
 *    and only groups whose sources admit it look at it, so an event meets only the rules of its source.
 * 2. In a group, the literal atoms of every rule's requirements (src/compile/needles.ts) are compiled
 *    into one automaton per field: an event's field is read and scanned once, whatever the number of
 *    rules naming it.
 * 3. A rule is evaluated only when all its clauses hold (or when it has none): a necessary condition,
 *    so the rules that match are exactly those evaluating every rule would find.
 */
import { foldCase } from '../compile/case-fold.js';
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { bindEvent } from '../mapping/bind-event.js';
import type { SourceBinding } from '../mapping/mapping.js';
import { NeedleAutomaton, pickWindow } from './needle-automaton.js';

/** Which optimisations the index uses; all on by default. Turning one off never changes the matches. */
export interface RuleIndexOptions {
  /** Evaluate only rules whose requirements hold (else every rule of every group that admits the event). */
  readonly select?: boolean;
  /** Bind an event once per log-source group (else each rule binds it through its own `matches`). */
  readonly group?: boolean;
}

/** Below this many rules in a group, evaluating them all is cheaper than scanning for atoms. */
const SELECTION_THRESHOLD = 8;

/** A needle with characters outside ASCII, found by looking for one of its characters first. */
interface WideNeedle {
  readonly needle: string;
  readonly clauses: readonly number[];
}

/** The atoms of one field (or of every value, for keywords) and what finds them. */
interface FieldScan {
  /** undefined: keyword atoms, searched in every value of the event. */
  readonly field: string | undefined;
  /** The ASCII needles, all found in one pass; undefined when there are none. */
  readonly automaton: NeedleAutomaton | undefined;
  /** Clauses each needle of the automaton satisfies. */
  readonly clausesOfNeedle: readonly (readonly number[])[];
  /** Needles with non-ASCII characters, by the code unit looked for first (most are emoji and look-alikes). */
  readonly wide: ReadonlyMap<number, readonly WideNeedle[]>;
}

/** The character a wide needle is indexed by: a non-ASCII code unit of it, preferring those that are not high surrogates (shared by all emoji). */
function pickKeyUnit(needle: string): number {
  let key = -1;
  for (let index = 0; index < needle.length; index += 1) {
    const code = needle.charCodeAt(index);
    if (code < 0x80) continue;
    const highSurrogate = code >= 0xd800 && code <= 0xdbff;
    if (key === -1 || (!highSurrogate && code > key)) key = code;
  }
  return key;
}

function createFieldScan(field: string | undefined, needles: ReadonlyMap<string, readonly number[]>): FieldScan {
  const windows = new Map<string, number[]>();
  const wide = new Map<number, WideNeedle[]>();
  for (const [needle, clauses] of needles) {
    const key = pickKeyUnit(needle);
    if (key === -1) {
      const window = pickWindow(needle);
      const list = windows.get(window);
      if (list === undefined) windows.set(window, [...clauses]);
      else for (const clause of clauses) if (!list.includes(clause)) list.push(clause);
    } else {
      let list = wide.get(key);
      if (list === undefined) wide.set(key, (list = []));
      list.push({ needle, clauses });
    }
  }
  return { field, automaton: windows.size > 0 ? new NeedleAutomaton([...windows.keys()]) : undefined, clausesOfNeedle: [...windows.values()], wide };
}

const isAscii = (text: string): boolean => {
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) >= 0x80) return false;
  return true;
};

/** Calls `visit` with the text of every scalar of a value, lists and nested objects included. */
function visitTexts(value: FieldValue | undefined, visit: (text: string) => void, depth = 0): void {
  if (value === undefined || value === null || depth > 64) return;
  if (typeof value !== 'object') {
    visit(typeof value === 'string' ? value : String(value));
    return;
  }
  const children = Array.isArray(value) ? (value as readonly FieldValue[]) : Object.values(value as { readonly [key: string]: FieldValue });
  for (const child of children) visitTexts(child, visit, depth + 1);
}

/** The rules of one log source, and the per-event state of their selection. */
class RuleGroup {
  /** Group-local indexes of the rules that have no requirements: evaluated on every event. */
  private readonly always: readonly number[];
  /** Atoms by field, then needle: the clauses each satisfies. */
  private readonly atoms: ReadonlyMap<string | undefined, ReadonlyMap<string, readonly number[]>>;
  /** The automata, built when the first event reaches the group: a pack's rarer log sources may never need theirs. */
  private scans: readonly FieldScan[] | undefined;
  /** For each clause, its rule (group-local). */
  private readonly ruleOfClause: Int32Array;
  private readonly clausesOfRule: Uint8Array;
  /** Generation stamps: a clause counts once per event; a rule's count is reset on its first clause. */
  private readonly clauseStamp: Uint32Array;
  private readonly ruleStamp: Uint32Array;
  private readonly ruleCount: Uint8Array;
  private generation = 0;
  private candidates: number[] = [];
  private scan: FieldScan | undefined;

  constructor(
    /** Global indexes of the group's rules, ascending. */
    readonly members: readonly number[],
    private readonly rules: readonly CompiledRule[],
    readonly bindings: readonly SourceBinding[] | undefined,
    readonly select: boolean,
  ) {
    const always: number[] = [];
    const ruleOfClause: number[] = [];
    const clausesOfRule = new Uint8Array(members.length);
    const atoms = new Map<string | undefined, Map<string, number[]>>();
    members.forEach((ruleIndex, local) => {
      const { requirements } = rules[ruleIndex] as CompiledRule;
      if (requirements.length === 0) {
        always.push(local);
        return;
      }
      clausesOfRule[local] = requirements.length;
      for (const clause of requirements) {
        const clauseId = ruleOfClause.length;
        ruleOfClause.push(local);
        for (const atom of clause) {
          let needles = atoms.get(atom.field);
          if (needles === undefined) atoms.set(atom.field, (needles = new Map()));
          let clauses = needles.get(atom.needle);
          if (clauses === undefined) needles.set(atom.needle, (clauses = []));
          if (clauses[clauses.length - 1] !== clauseId) clauses.push(clauseId);
        }
      }
    });
    this.always = always;
    this.atoms = atoms;
    this.ruleOfClause = Int32Array.from(ruleOfClause);
    this.clausesOfRule = clausesOfRule;
    this.clauseStamp = new Uint32Array(ruleOfClause.length);
    this.ruleStamp = new Uint32Array(members.length);
    this.ruleCount = new Uint8Array(members.length);
  }

  /** Counts clauses as they come to hold; a rule whose clauses all hold becomes a candidate. */
  private satisfy(clauses: readonly number[]): void {
    const { clauseStamp, ruleStamp, ruleCount, generation } = this;
    for (const clause of clauses) {
      if (clauseStamp[clause] === generation) continue;
      clauseStamp[clause] = generation;
      const rule = this.ruleOfClause[clause] as number;
      if (ruleStamp[rule] !== generation) {
        ruleStamp[rule] = generation;
        ruleCount[rule] = 0;
      }
      ruleCount[rule] = (ruleCount[rule] as number) + 1;
      if (ruleCount[rule] === this.clausesOfRule[rule]) this.candidates.push(rule);
    }
  }

  private readonly hit = (needle: number): void => {
    this.satisfy((this.scan as FieldScan).clausesOfNeedle[needle] as readonly number[]);
  };

  // Atoms are about folded text. ASCII text is searched as it is (the automaton ignores ASCII case);
  // text with characters that fold to ASCII, or with any non-ASCII when wide needles are looked for,
  // is folded first.
  private readonly visit = (text: string): void => {
    const scan = this.scan as FieldScan;
    const { automaton, wide } = scan;
    const lookWide = wide.size > 0;
    if (automaton !== undefined ? automaton.scanUnfolded(text, this.hit, lookWide) : !lookWide || isAscii(text)) return;
    const folded = foldCase(text);
    automaton?.scanMore(folded, this.hit);
    if (!lookWide) return;
    for (let index = 0; index < folded.length; index += 1) {
      const code = folded.charCodeAt(index);
      if (code < 0x80) continue;
      const candidates = wide.get(code);
      if (candidates === undefined) continue;
      for (const candidate of candidates) if (folded.includes(candidate.needle)) this.satisfy(candidate.clauses);
    }
  };

  /** Group-local indexes of the rules whose requirements hold on the bound event, in no order. */
  private selectCandidates(bound: EventRecord): number[] {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.clauseStamp.fill(0);
      this.ruleStamp.fill(0);
      this.generation = 1;
    }
    this.candidates = [...this.always];
    this.scans ??= [...this.atoms].map(([field, needles]) => createFieldScan(field, needles));
    for (const scan of this.scans) {
      this.scan = scan;
      scan.automaton?.beginRound();
      if (scan.field !== undefined) {
        const value = bound.get(scan.field);
        if (typeof value === 'string') this.visit(value);
        else visitTexts(value, this.visit);
      } else {
        // Keywords: every value of the event, as the keyword items see them.
        for (const name of bound.fieldNames()) visitTexts(bound.get(name), this.visit);
      }
    }
    this.scan = undefined;
    return this.candidates;
  }

  /** Adds the global indexes of the group's rules that match the event to `found`. */
  collectMatches(event: EventRecord, found: number[]): void {
    const bound = this.bindings === undefined ? event : bindEvent(event, this.bindings);
    if (bound === undefined) return;
    const { members, rules } = this;
    if (!this.select || members.length < SELECTION_THRESHOLD) {
      for (const ruleIndex of members) if ((rules[ruleIndex] as CompiledRule).detect(bound)) found.push(ruleIndex);
      return;
    }
    for (const local of this.selectCandidates(bound)) {
      const ruleIndex = members[local] as number;
      if ((rules[ruleIndex] as CompiledRule).detect(bound)) found.push(ruleIndex);
    }
  }
}

/** Groups rules by the identity of their bindings: rules with the same sources in the same order bind an event alike. */
function groupByBindings(rules: readonly CompiledRule[]): Map<string, { bindings: readonly SourceBinding[] | undefined; members: number[] }> {
  const sourceIds = new Map<SourceBinding, number>();
  const groups = new Map<string, { bindings: readonly SourceBinding[] | undefined; members: number[] }>();
  rules.forEach((rule, index) => {
    const { bindings } = rule;
    let key = '*';
    if (bindings !== undefined) {
      key = bindings
        .map((binding) => {
          let id = sourceIds.get(binding);
          if (id === undefined) sourceIds.set(binding, (id = sourceIds.size));
          return id;
        })
        .join(',');
    }
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { bindings, members: [] }));
    group.members.push(index);
  });
  return groups;
}

/** Finds, for each event, the rules that match it. */
export class RuleIndex {
  private readonly groups: readonly RuleGroup[];
  private readonly grouped: boolean;

  constructor(
    readonly rules: readonly CompiledRule[],
    options: RuleIndexOptions = {},
  ) {
    this.grouped = options.group ?? true;
    const select = options.select ?? true;
    this.groups = this.grouped
      ? [...groupByBindings(rules).values()].map(({ bindings, members }) => new RuleGroup(members, rules, bindings, select))
      : [];
  }

  /** The indexes (into `rules`) of the rules that match the event, ascending. */
  matchEvent(event: EventRecord): number[] {
    const found: number[] = [];
    if (!this.grouped) {
      this.rules.forEach((rule, index) => {
        if (rule.matches(event)) found.push(index);
      });
      return found;
    }
    for (const group of this.groups) group.collectMatches(event, found);
    if (found.length > 1) found.sort((a, b) => a - b);
    return found;
  }
}
