import { readFile, stat } from 'node:fs/promises';
import {
  COLLECTION_STYLE,
  constructFromEvents,
  EVENT_ID,
  floatCoreTag,
  floatYaml11Tag,
  getScalarValue,
  intCoreTag,
  intYaml11Tag,
  NOT_RESOLVED,
  parseEvents,
  SCALAR_STYLE,
  YAMLException,
  type Event,
  type ScalarTagDefinition,
} from 'js-yaml';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { indexLines, type LineIndex } from './source-text.js';

/** A path into a YAML document: mapping keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** One YAML document: its plain value and where each of its nodes was written. */
export interface YamlDocument {
  readonly value: unknown;
  /** The whole text of the file the document came from, and the document's place in it (0-based). */
  readonly text: string;
  readonly index: number;
  /** Where the node at `path` starts; the nearest written ancestor when the node has no place of its own. */
  locate(path: YamlPath): Position;
  /** Where the key of the mapping entry at `path` starts; falls back to `locate`. */
  locateKey(path: YamlPath): Position;
  /**
   * Where character `offset` of the scalar at `path` is, counted from the scalar's content (inside any
   * quote). Exact for one-line scalars without escapes, which conditions are.
   */
  locateInScalar(path: YamlPath, offset: number): Position;
  /**
   * Where the node at `path` is written, as offsets into `text`: a scalar's whole extent (quotes
   * included), a collection's start and style; undefined when no node was written there.
   */
  spanOf(path: YamlPath): NodeSpan | undefined;
  /** Where the key of the mapping entry at `path` is written (a scalar's extent), or undefined. */
  keySpanOf(path: YamlPath): NodeSpan | undefined;
}

/** How a node is written: a scalar's style, or a block or flow collection. */
export type NodeStyle = 'plain' | 'single-quoted' | 'double-quoted' | 'literal' | 'folded' | 'block' | 'flow';

/**
 * The text of one node: `start` to `end` (0-based, end-exclusive) covers a scalar with its quotes; a
 * collection's `end` is its start, since the event stream does not say where a collection ends.
 */
export interface NodeSpan {
  readonly start: number;
  readonly end: number;
  readonly style: NodeStyle;
}

/** The documents of one YAML text, and every problem found while reading them. */
export interface YamlParseResult {
  readonly documents: readonly YamlDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Rule files larger than this are refused before parsing: no Sigma rule comes near it. */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;
/** Aliases may share nodes; when they add more than this many nodes once expanded, a document is an alias bomb. */
export const MAX_EXPANDED_NODES = 100_000;
/** Deeper nesting than this is not a rule; js-yaml stops there instead of overflowing the stack. */
const MAX_DEPTH = 64;
/** Keys that would reach Object.prototype if any later code copied them with plain assignment. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

const pathKey = (path: YamlPath): string => path.map(String).join('\u0000');

interface Places {
  readonly values: Map<string, number>;
  readonly keys: Map<string, number>;
  /** Where each scalar's content starts (after an opening quote). */
  readonly contents: Map<string, number>;
  /** The extent and style of each value and each key (see NodeSpan). */
  readonly spans: Map<string, NodeSpan>;
  readonly keySpans: Map<string, NodeSpan>;
  /** Plain scalars YAML 1.2 reads as a number that YAML 1.1 reads otherwise (see `readNumberDisagreement`). */
  readonly disagreements: { readonly path: YamlPath; readonly text: string; readonly yaml12: number; readonly yaml11?: number }[];
}

const resolveWith = (tags: readonly ScalarTagDefinition<number>[], text: string): number | undefined => {
  for (const tag of tags) {
    const value = tag.resolve(text, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return undefined;
};

/**
 * How YAML 1.2 (this loader, core schema) and YAML 1.1 (PyYAML, which the Sigma tool chain uses) read a
 * plain scalar, when YAML 1.2 reads a number and YAML 1.1 does not read the same one: `00000429` and
 * `1e3` are text in YAML 1.1, `0644` is the octal number 420. Undefined when both agree.
 */
export function readNumberDisagreement(text: string): { readonly yaml12: number; readonly yaml11?: number } | undefined {
  const yaml12 = resolveWith([intCoreTag, floatCoreTag], text);
  if (yaml12 === undefined) return undefined;
  const yaml11 = resolveWith([intYaml11Tag, floatYaml11Tag], text);
  if (yaml11 === yaml12 || (Number.isNaN(yaml11) && Number.isNaN(yaml12))) return undefined;
  return yaml11 === undefined ? { yaml12 } : { yaml12, yaml11 };
}

const SCALAR_STYLES: Readonly<Record<number, NodeStyle>> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single-quoted',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double-quoted',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

function spanOfEvent(event: Event): NodeSpan | undefined {
  switch (event.type) {
    case EVENT_ID.SCALAR: {
      const style = SCALAR_STYLES[event.style] ?? 'plain';
      const quoted = style === 'single-quoted' || style === 'double-quoted';
      return { start: nodeOffset(event), end: quoted ? event.valueEnd + 1 : event.valueEnd, style };
    }
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return { start: event.start, end: event.start, style: event.style === COLLECTION_STYLE.FLOW ? 'flow' : 'block' };
    default:
      return undefined;
  }
}

interface Frame {
  readonly kind: 'map' | 'seq' | 'skip';
  readonly path: YamlPath;
  index: number;
  key: string | undefined;
  keyOffset: number;
  keySpan: NodeSpan | undefined;
}

function nodeOffset(event: Event): number {
  switch (event.type) {
    case EVENT_ID.SCALAR:
      // Quoted scalars' values start after the quote; point at the quote, where the author sees the value begin.
      return event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED
        ? event.valueStart - 1
        : event.valueStart;
    case EVENT_ID.ALIAS:
      return event.anchorStart;
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return event.start;
    default:
      return 0;
  }
}

/**
 * Replays the parser's event stream to record where every value and key of each document starts.
 * js-yaml builds values from the same events, so the paths found here are the paths of the values.
 */
function collectPlaces(text: string, events: readonly Event[]): Places[] {
  const documents: Places[] = [];
  let places: Places | undefined;
  const stack: Frame[] = [];
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      places = { values: new Map(), keys: new Map(), contents: new Map(), spans: new Map(), keySpans: new Map(), disagreements: [] };
      documents.push(places);
      stack.length = 0;
      stack.push({ kind: 'seq', path: [], index: 0, key: undefined, keyOffset: 0, keySpan: undefined });
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    if (!places) continue;
    const top = stack[stack.length - 1];
    if (!top) continue;
    const opensCollection = event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE;
    if (top.kind === 'skip') {
      if (opensCollection) stack.push({ kind: 'skip', path: top.path, index: 0, key: undefined, keyOffset: 0, keySpan: undefined });
      continue;
    }
    if (top.kind === 'map' && top.key === undefined) {
      // A mapping key. Complex (collection) keys are legal YAML but never Sigma; their insides are skipped.
      top.keyOffset = nodeOffset(event);
      top.keySpan = spanOfEvent(event);
      top.key = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event) : '[complex key]';
      if (opensCollection) stack.push({ kind: 'skip', path: top.path, index: 0, key: undefined, keyOffset: 0, keySpan: undefined });
      continue;
    }
    let path: YamlPath;
    if (top.kind === 'map') {
      path = [...top.path, top.key as string];
      places.keys.set(pathKey(path), top.keyOffset);
      if (top.keySpan !== undefined) places.keySpans.set(pathKey(path), top.keySpan);
      top.key = undefined;
    } else {
      // The document frame is a one-slot sequence whose only child is the root.
      path = stack.length === 1 ? [] : [...top.path, top.index];
      top.index += 1;
    }
    places.values.set(pathKey(path), nodeOffset(event));
    const span = spanOfEvent(event);
    if (span !== undefined) places.spans.set(pathKey(path), span);
    if (event.type === EVENT_ID.SCALAR) {
      places.contents.set(pathKey(path), event.valueStart);
      // Only an untagged plain scalar is resolved by the schema; a quoted or tagged one is what it says.
      if (event.style === SCALAR_STYLE.PLAIN && !(event.tagEnd > event.tagStart)) {
        const scalar = getScalarValue(text, event);
        const disagreement = readNumberDisagreement(scalar);
        if (disagreement) places.disagreements.push({ path, text: scalar, ...disagreement });
      }
    }
    if (event.type === EVENT_ID.MAPPING) stack.push({ kind: 'map', path, index: 0, key: undefined, keyOffset: 0, keySpan: undefined });
    if (event.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'seq', path, index: 0, key: undefined, keyOffset: 0, keySpan: undefined });
  }
  return documents;
}

function makeDocument(value: unknown, places: Places, lines: LineIndex, text: string, index: number): YamlDocument {
  const find = (map: Map<string, number>, path: YamlPath): number | undefined => {
    for (let length = path.length; length >= 0; length -= 1) {
      const offset = map.get(pathKey(path.slice(0, length)));
      if (offset !== undefined) return offset;
    }
    return undefined;
  };
  return {
    value,
    text,
    index,
    locate: (path) => lines.positionAt(find(places.values, path) ?? 0),
    locateKey: (path) => lines.positionAt(places.keys.get(pathKey(path)) ?? find(places.values, path) ?? 0),
    locateInScalar: (path, offset) => {
      const start = places.contents.get(pathKey(path));
      return start === undefined ? lines.positionAt(find(places.values, path) ?? 0) : lines.positionAt(start + offset);
    },
    spanOf: (path) => places.spans.get(pathKey(path)),
    keySpanOf: (path) => places.keySpans.get(pathKey(path)),
  };
}

/** Counts the nodes written in each document (scalars, mappings, sequences; keys included) and its aliases. */
function countWrittenNodes(events: readonly Event[]): { nodes: number; aliases: number }[] {
  const counts: { nodes: number; aliases: number }[] = [];
  let current: { nodes: number; aliases: number } | undefined;
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      current = { nodes: 0, aliases: 0 };
      counts.push(current);
    } else if (current && event.type === EVENT_ID.ALIAS) {
      current.aliases += 1;
    } else if (current && (event.type === EVENT_ID.SCALAR || event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE)) {
      current.nodes += 1;
    }
  }
  return counts;
}

/** Counts nodes as if every alias were expanded, sharing work per node so a bomb costs linear time. */
function countExpandedNodes(value: unknown, memo: Map<object, number>, limit: number): number {
  if (value === null || typeof value !== 'object') return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  memo.set(value, limit + 1); // a cycle counts as unbounded
  let total = 1;
  for (const child of Object.values(value)) {
    total += countExpandedNodes(child, memo, limit);
    if (total > limit) break;
  }
  memo.set(value, total);
  return total;
}

/** Copies a document into plain trees, dropping keys that could pollute prototypes. */
function sanitize(value: unknown, path: (string | number)[], onForbiddenKey: (path: YamlPath) => void): unknown {
  if (Array.isArray(value)) return value.map((item, index) => sanitize(item, [...path, index], onForbiddenKey));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      onForbiddenKey([...path, key]);
      continue;
    }
    copy[key] = sanitize(child, [...path, key], onForbiddenKey);
  }
  return copy;
}

function codeOfYamlError(reason: string): string {
  if (/duplicated mapping key/i.test(reason)) return 'yaml/duplicate-key';
  if (/tab/i.test(reason)) return 'yaml/tab-indentation';
  if (/alias/i.test(reason)) return 'yaml/alias';
  if (/depth/i.test(reason)) return 'yaml/too-deep';
  return 'yaml/syntax';
}

/**
 * Parses YAML text into documents with source positions (YAML 1.2 core schema: dates stay strings).
 * Syntax errors, duplicate keys, tab indentation, alias bombs and prototype-polluting keys become
 * diagnostics; a document that cannot be read is left out.
 */
export function parseYaml(text: string, file: string): YamlParseResult {
  const lines = indexLines(text);
  const diagnostics: Diagnostic[] = [];
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: MAX_DEPTH });
    values = constructFromEvents(events, { source: text, filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const position = error.mark
      ? { line: error.mark.line + 1, column: error.mark.column + 1 }
      : { line: 1, column: 1 };
    diagnostics.push(createDiagnostic(file, position, codeOfYamlError(error.reason), 'error', `YAML: ${error.reason}`));
    return { documents: [], diagnostics };
  }
  const placesPerDocument = collectPlaces(text, events);
  const writtenNodes = countWrittenNodes(events);
  const documents: YamlDocument[] = [];
  values.forEach((raw, index) => {
    const places = placesPerDocument[index] ?? { values: new Map(), keys: new Map(), contents: new Map(), spans: new Map(), keySpans: new Map(), disagreements: [] };
    const document = makeDocument(undefined, places, lines, text, index);
    // Only aliases can make a document bigger than its text: a plain list of 100,000 values is read
    // as it is (the file size limit bounds it), and a document is a bomb when aliases add more than
    // MAX_EXPANDED_NODES nodes to what is written.
    const written = writtenNodes[index] ?? { nodes: 0, aliases: 0 };
    const limit = written.nodes + MAX_EXPANDED_NODES;
    if (written.aliases > 0 && countExpandedNodes(raw, new Map(), limit) > limit) {
      diagnostics.push(
        createDiagnostic(file, document.locate([]), 'yaml/alias-bomb', 'error',
          `YAML: aliases expand this document by more than ${MAX_EXPANDED_NODES} nodes; it is not read`),
      );
      return;
    }
    const value = sanitize(raw, [], (path) =>
      diagnostics.push(
        createDiagnostic(file, document.locateKey(path), 'yaml/forbidden-key', 'error',
          `YAML: the key '${String(path[path.length - 1])}' is not allowed (it could pollute object prototypes); it is ignored`),
      ),
    );
    keepAuthorsNumbers(value, places, document, file, diagnostics);
    documents.push(makeDocument(value, places, lines, text, index));
  });
  return { documents, diagnostics };
}

/**
 * Keeps the text of plain scalars that YAML 1.2 reads as a number and YAML 1.1 does not read the same
 * way (`00000429`, `0644`, `1e3`), with a warning and the fix. Sigma rules are written for, and read by,
 * a YAML 1.1 tool chain (PyYAML under pySigma): there `00000429` is the text the author meant, and a
 * SigmaHQ rule valid for pySigma must not become a different rule here.
 */
function keepAuthorsNumbers(value: unknown, places: Places, document: YamlDocument, file: string, diagnostics: Diagnostic[]): void {
  for (const { path, text, yaml12, yaml11 } of places.disagreements) {
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), value);
    const last = path[path.length - 1];
    if (last === undefined || parent === null || typeof parent !== 'object' || (parent as Record<string | number, unknown>)[last] !== yaml12) continue;
    (parent as Record<string | number, unknown>)[last] = text;
    const yaml11Reading = yaml11 === undefined ? `the text '${text}'` : `the number ${yaml11}`;
    diagnostics.push(createDiagnostic(file, document.locate(path), 'yaml/ambiguous-number', 'warning',
      `YAML 1.2 reads ${text} as the number ${yaml12}, YAML 1.1 (PyYAML, the Sigma tool chain) as ${yaml11Reading}; dac keeps the text as written. Quote it to say so: '${text}'`));
  }
}

/** Decodes file bytes as UTF-8 (or UTF-16 with a byte-order mark), reporting invalid encodings. */
export function decodeText(bytes: Uint8Array, file: string): { text?: string; diagnostics: Diagnostic[] } {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2)), diagnostics: [] };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2)), diagnostics: [] };
    // TextDecoder drops a UTF-8 byte-order mark by itself.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), diagnostics: [] };
  } catch {
    return {
      diagnostics: [createDiagnostic(file, { line: 1, column: 1 }, 'file/encoding', 'error', 'the file is not valid UTF-8 (nor UTF-16 with a byte-order mark)')],
    };
  }
}

/** A YAML file as read from disk: its text (when readable) and its documents. */
export interface YamlFile extends YamlParseResult {
  readonly file: string;
  readonly text?: string;
}

/** The text of a file to parse as YAML, or the diagnostics that say why it cannot be read. */
export interface YamlText {
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads the text of a YAML file, refusing unreadable, oversized and undecodable files with a diagnostic.
 * `displayName` is the name diagnostics carry.
 */
export async function readYamlText(path: string, displayName: string = path): Promise<YamlText> {
  const at = { line: 1, column: 1 };
  try {
    const info = await stat(path);
    if (info.size > MAX_YAML_BYTES) {
      return {
        diagnostics: [createDiagnostic(displayName, at, 'file/too-large', 'error',
          `the file is ${info.size} bytes; rule files over ${MAX_YAML_BYTES} bytes are not read`)],
      };
    }
    return decodeText(await readFile(path), displayName);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { diagnostics: [createDiagnostic(displayName, at, 'file/unreadable', 'error', `cannot read the file: ${reason}`)] };
  }
}

/**
 * Reads and parses a YAML file. `displayName` is the name diagnostics carry (a path relative to the
 * working directory, usually). Unreadable and oversized files become diagnostics.
 */
export async function loadYamlFile(path: string, displayName: string = path): Promise<YamlFile> {
  const read = await readYamlText(path, displayName);
  if (read.text === undefined) return { file: displayName, documents: [], diagnostics: read.diagnostics };
  return { file: displayName, text: read.text, ...parseYaml(read.text, displayName) };
}
