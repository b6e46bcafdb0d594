/**
 * Edits of a rule's YAML text at the places the parser recorded (YamlDocument.spanOf / keySpanOf):
 * replace a scalar or a key, delete an element of a list or an entry of a mapping. Each returns the
 * edit, or the reason the text cannot be changed that way (the operator then reports the mutant as
 * unwritable instead of guessing).
 */
import { load } from 'js-yaml';
import type { NodeSpan, YamlDocument, YamlPath } from '../load/yaml.js';
import type { TextEdit } from './mutant.js';

/** An edit, or why it cannot be made. */
export type EditResult = { readonly edit: TextEdit } | { readonly reason: string };

/** Writes `text` as a single-quoted YAML scalar (YAML 1.2 §7.3.2: a quote is written twice). */
export function quoteSingle(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Writes `text` as a YAML scalar: plain when YAML reads it back as the same string, single-quoted otherwise. */
export function formatScalar(text: string, { quoted = false }: { quoted?: boolean } = {}): string {
  if (!quoted && text !== '' && !/[\n\r\t]/.test(text) && text.trim() === text) {
    try {
      if (load(text) === text) return text;
    } catch {
      // Not plain-safe: quote it.
    }
  }
  return quoteSingle(text);
}

const isQuoted = (span: NodeSpan): boolean => span.style === 'single-quoted' || span.style === 'double-quoted';

function replaceSpan(span: NodeSpan | undefined, render: (quoted: boolean) => string, what: string): EditResult {
  if (span === undefined) return { reason: `the ${what} is not written as a scalar` };
  if (span.style === 'literal' || span.style === 'folded') return { reason: `the ${what} is a block scalar` };
  if (span.style === 'block' || span.style === 'flow') return { reason: `the ${what} is a collection` };
  return { edit: { start: span.start, end: span.end, text: render(isQuoted(span)) } };
}

/** Replaces the scalar value at `path` with the string `text`, keeping it quoted if it was. */
export function replaceScalar(document: YamlDocument, path: YamlPath, text: string): EditResult {
  return replaceSpan(document.spanOf(path), (quoted) => formatScalar(text, { quoted }), 'value');
}

/** Replaces the scalar value at `path` with a number. */
export function replaceNumber(document: YamlDocument, path: YamlPath, value: number): EditResult {
  return replaceSpan(document.spanOf(path), () => String(value), 'value');
}

/** Renames the key of the mapping entry at `path`. */
export function renameKey(document: YamlDocument, path: YamlPath, key: string): EditResult {
  return replaceSpan(document.keySpanOf(path), (quoted) => formatScalar(key, { quoted }), 'key');
}

const lineStartOf = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

/** The offset just past the end of the line holding `offset` (its newline included). */
function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function childAt(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as Record<string | number, unknown>)[key];
}

/** The value written at `path` in the document. */
export function valueAt(document: YamlDocument, path: YamlPath): unknown {
  return path.reduce<unknown>((value, key) => childAt(value, key), document.value);
}

/** Where the text of the node at `path` ends: the end of its last scalar, key or value. */
function endOf(document: YamlDocument, path: YamlPath, value: unknown): number {
  const own = document.spanOf(path);
  let end = own?.end ?? 0;
  if (Array.isArray(value)) {
    value.forEach((element, index) => (end = Math.max(end, endOf(document, [...path, index], element))));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      end = Math.max(end, document.keySpanOf([...path, key])?.end ?? 0, endOf(document, [...path, key], child));
    }
  }
  return end;
}

/** Deletes element `path` (its last part an index) of a list, block or flow style. */
export function deleteListElement(document: YamlDocument, path: YamlPath): EditResult {
  const text = document.text;
  const index = path[path.length - 1];
  const listPath = path.slice(0, -1);
  const list = valueAt(document, listPath);
  if (typeof index !== 'number' || !Array.isArray(list)) return { reason: 'not an element of a list' };
  const span = document.spanOf(path);
  const listSpan = document.spanOf(listPath);
  if (span === undefined || listSpan === undefined) return { reason: 'the element has no recorded place' };
  const end = endOf(document, path, list[index]);
  if (listSpan.style === 'flow') {
    if (span.style === 'block' || span.style === 'flow') return { reason: 'a collection inside a flow list' };
    const next = document.spanOf([...listPath, index + 1]);
    if (next !== undefined && /^\s*,\s*$/.test(text.slice(end, next.start))) return { edit: { start: span.start, end: next.start, text: '' } };
    const previous = index > 0 ? document.spanOf([...listPath, index - 1]) : undefined;
    if (previous !== undefined && /^\s*,\s*$/.test(text.slice(previous.end, span.start))) return { edit: { start: previous.end, end, text: '' } };
    return { reason: 'the flow list is not written as `[a, b, ...]`' };
  }
  // Block style: `  - value` on its own line(s); the dash is between the line start and the value.
  const lineStart = lineStartOf(text, span.start);
  if (!/^[ \t]*-[ \t]+$/.test(text.slice(lineStart, span.start))) return { reason: 'the element does not start its own `- ` line' };
  return { edit: { start: lineStart, end: nextLineStart(text, Math.max(end - 1, span.start)), text: '' } };
}

/** Deletes the entry `path` (its last part a key) of a block mapping, its value with it. */
export function deleteMapEntry(document: YamlDocument, path: YamlPath): EditResult {
  const text = document.text;
  const key = path[path.length - 1];
  const mapPath = path.slice(0, -1);
  const map = valueAt(document, mapPath);
  const keySpan = document.keySpanOf(path);
  if (typeof key !== 'string' || map === null || typeof map !== 'object' || keySpan === undefined) return { reason: 'not an entry of a mapping' };
  if (document.spanOf(mapPath)?.style === 'flow') return { reason: 'the mapping is written in flow style' };
  const end = endOf(document, path, childAt(map, key));
  const lineStart = lineStartOf(text, keySpan.start);
  const before = text.slice(lineStart, keySpan.start);
  if (/^[ \t]*$/.test(before)) return { edit: { start: lineStart, end: nextLineStart(text, Math.max(end - 1, keySpan.start)), text: '' } };
  // The first entry of a map that is a list element (`- Image: x`): the next entry moves up behind the dash.
  if (/^[ \t]*-[ \t]+$/.test(before)) {
    const keys = Object.keys(map);
    const following = keys[keys.indexOf(key) + 1];
    const next = following === undefined ? undefined : document.keySpanOf([...mapPath, following]);
    if (next !== undefined) return { edit: { start: keySpan.start, end: next.start, text: '' } };
  }
  return { reason: 'the entry does not start its own line' };
}
