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
 *    so the rules that match are exactly those evaluating every rule would find. A hit fans out only to
 *    the rules whose most exclusive clause (their anchor) it belongs to; their other clauses are checked
 *    after the scan, against the atoms the event was found to hold.
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
  readonly atom: number;
}

/** The atoms of one field (or of every value, for keywords) and what finds them. */
interface FieldScan {
  /** undefined: keyword atoms, searched in every value of the event. */
  readonly field: string | undefined;
  /** The ASCII atoms (windows of needles), all found in one pass; undefined when there are none. */
  readonly automaton: NeedleAutomaton | undefined;
  /** The atom of each needle of the automaton. */
  readonly atomOfNeedle: Int32Array;
  /** Atoms with non-ASCII characters, by the code unit looked for first (most are emoji and look-alikes). */
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

/**
 * What selecting the rules of a group needs, built when its first event arrives. Each rule's clauses
 * are lists of atom ids; an atom is what one automaton finds (a window of an ASCII needle, or a needle
 * with other characters) in one field. A hit only stamps its atom, and puts in the running the rules
 * whose *anchor* clause holds it: the clause whose atoms the fewest rules share, so a common atom
 * (`\powershell.exe` in Image) fans out to few rules. A rule in the running is a candidate when its
 * other clauses hold an atom stamped for this event too.
 */
interface Selection {
  readonly scans: readonly FieldScan[];
  /** Per group-local rule: its clauses as atom ids, the anchor first. */
  readonly clauses: readonly (readonly Int32Array[])[];
  /** Per atom: the group-local rules whose anchor clause holds it. */
  readonly anchored: readonly (readonly number[])[];
  readonly atomStamp: Uint32Array;
  readonly ruleStamp: Uint32Array;
}

function buildSelection(members: readonly number[], rules: readonly CompiledRule[]): Selection {
  // Atoms by field, then by what is looked for.
  const atomIds = new Map<string | undefined, Map<string, number>>();
  let atomCount = 0;
  const idOf = (field: string | undefined, needle: string): number => {
    let byNeedle = atomIds.get(field);
    if (byNeedle === undefined) atomIds.set(field, (byNeedle = new Map()));
    const looked = pickKeyUnit(needle) === -1 ? pickWindow(needle) : needle;
    let id = byNeedle.get(looked);
    if (id === undefined) byNeedle.set(looked, (id = atomCount++));
    return id;
  };
  const ruleClauses = members.map((ruleIndex) =>
    (rules[ruleIndex] as CompiledRule).requirements.map((clause) => Int32Array.from(new Set(clause.map((atom) => idOf(atom.field, atom.needle))))),
  );
  // How many rules each atom concerns: an anchor made of widely shared atoms would fan out to many rules.
  const sharing = new Uint32Array(atomCount);
  for (const clauses of ruleClauses) for (const atom of new Set(clauses.flatMap((clause) => [...clause]))) sharing[atom] = (sharing[atom] as number) + 1;
  const spread = (clause: Int32Array): number => clause.reduce((most, atom) => Math.max(most, sharing[atom] as number), 0);
  const anchored: number[][] = Array.from({ length: atomCount }, () => []);
  const clauses = ruleClauses.map((list, local) => {
    if (list.length === 0) return list;
    let anchor = 0;
    for (let index = 1; index < list.length; index += 1) {
      const a = list[index] as Int32Array;
      const b = list[anchor] as Int32Array;
      if (spread(a) < spread(b) || (spread(a) === spread(b) && a.length < b.length)) anchor = index;
    }
    for (const atom of list[anchor] as Int32Array) (anchored[atom] as number[]).push(local);
    return [list[anchor] as Int32Array, ...list.filter((_, index) => index !== anchor)];
  });
  const scans = [...atomIds].map(([field, byNeedle]): FieldScan => {
    const ascii: string[] = [];
    const asciiAtoms: number[] = [];
    const wide = new Map<number, WideNeedle[]>();
    for (const [needle, atom] of byNeedle) {
      const key = pickKeyUnit(needle);
      if (key === -1) {
        ascii.push(needle);
        asciiAtoms.push(atom);
      } else {
        let list = wide.get(key);
        if (list === undefined) wide.set(key, (list = []));
        list.push({ needle, atom });
      }
    }
    return { field, automaton: ascii.length > 0 ? new NeedleAutomaton(ascii) : undefined, atomOfNeedle: Int32Array.from(asciiAtoms), wide };
  });
  return { scans, clauses, anchored, atomStamp: new Uint32Array(atomCount), ruleStamp: new Uint32Array(members.length) };
}

/** The rules of one log source, and the per-event state of their selection. */
class RuleGroup {
  /** Group-local indexes of the rules that have no requirements: evaluated on every event. */
  private readonly always: readonly number[];
  /** Built when the first event reaches the group: a pack's rarer log sources may never need theirs. */
  private selection: Selection | undefined;
  private generation = 0;
  /** Rules whose anchor clause holds, this event. */
  private running: number[] = [];
  private scan: FieldScan | undefined;

  constructor(
    /** Global indexes of the group's rules, ascending. */
    readonly members: readonly number[],
    private readonly rules: readonly CompiledRule[],
    readonly bindings: readonly SourceBinding[] | undefined,
    select: boolean,
  ) {
    this.always = members.flatMap((ruleIndex, local) => ((rules[ruleIndex] as CompiledRule).requirements.length === 0 ? [local] : []));
    // A small group's rules are evaluated outright, unless one of them searches every value of the event
    // (keywords): evaluating that on every event costs more than one scan for its atoms.
    const searchesEveryValue = members.some((ruleIndex) =>
      (rules[ruleIndex] as CompiledRule).requirements.some((clause) => clause.some((atom) => atom.field === undefined)),
    );
    this.select = select && (members.length >= SELECTION_THRESHOLD || searchesEveryValue);
  }

  /** Whether candidates are selected by their atoms (else every rule of the group is evaluated). */
  readonly select: boolean;

  /** Stamps an atom found in this event, and puts in the running the rules it anchors. */
  private stamp(atom: number): void {
    const { atomStamp, ruleStamp, anchored } = this.selection as Selection;
    const generation = this.generation;
    if (atomStamp[atom] === generation) return;
    atomStamp[atom] = generation;
    for (const rule of anchored[atom] as readonly number[]) {
      if (ruleStamp[rule] === generation) continue;
      ruleStamp[rule] = generation;
      this.running.push(rule);
    }
  }

  private readonly hit = this.stampNeedle.bind(this);
  private readonly visit = this.scanText.bind(this);

  private stampNeedle(needle: number): void {
    this.stamp((this.scan as FieldScan).atomOfNeedle[needle] as number);
  }

  // Atoms are about folded text. ASCII text is searched as it is (the automaton ignores ASCII case);
  // text with characters that fold to ASCII, or with any non-ASCII when wide needles are looked for,
  // is folded first.
  private scanText(text: string): void {
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
      for (const candidate of candidates) if (folded.includes(candidate.needle)) this.stamp(candidate.atom);
    }
  }

  /** Group-local indexes of the rules whose requirements hold on the bound event, in no order. */
  private selectCandidates(bound: EventRecord): number[] {
    const selection = (this.selection ??= buildSelection(this.members, this.rules));
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      selection.atomStamp.fill(0);
      selection.ruleStamp.fill(0);
      this.generation = 1;
    }
    this.running = [];
    for (const scan of selection.scans) {
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
    const candidates = [...this.always];
    const { atomStamp } = selection;
    const generation = this.generation;
    for (const rule of this.running) {
      const clauses = selection.clauses[rule] as readonly Int32Array[];
      // The anchor (first) holds; each other clause needs one of its atoms stamped.
      let clause = 1;
      for (; clause < clauses.length; clause += 1) {
        const atoms = clauses[clause] as Int32Array;
        let stamped = false;
        for (let index = 0; index < atoms.length && !stamped; index += 1) stamped = atomStamp[atoms[index] as number] === generation;
        if (!stamped) break;
      }
      if (clause === clauses.length) candidates.push(rule);
    }
    return candidates;
  }

  /** Adds the global indexes of the group's rules that match the event to `found`. */
  collectMatches(event: EventRecord, found: number[]): void {
    const bound = this.bindings === undefined ? event : bindEvent(event, this.bindings);
    if (bound === undefined) return;
    const { members, rules } = this;
    if (!this.select) {
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
