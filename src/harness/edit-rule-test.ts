/**
 * Adds golden-event entries to a rule's rule-test.yml as a targeted text edit: the new entry goes after
 * the last entry of `events` (or replaces an empty `events: []`), in the file's own indentation, and
 * everything else (comments, layout, quoting) stays byte for byte. The result is parsed again and must
 * hold exactly the old entries plus the new one, or the edit is refused.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseYaml } from '../load/yaml.js';
import type { Verdict } from './test-report.js';

/** A golden-event entry to add. */
export interface GoldenEntry {
  readonly file: string;
  readonly verdict: Verdict;
  readonly falsepositive?: number | string;
  readonly provenance: string;
}

/** A YAML scalar for a value: plain when YAML reads it back unchanged as text, else double-quoted (JSON). */
function formatScalar(value: string): string {
  const plain = /^[A-Za-z0-9_./\\][A-Za-z0-9_./\\ -]*$/.test(value) && !/ $/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?\d[\d.eE+-]*)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/**
 * The lines of an entry at a sequence indentation, as YAML that reads back as the entry: the file
 * and a text falsepositive plain when that is safe, the provenance always double-quoted (it holds
 * colons, quotes and `#`).
 */
export function formatGoldenEntry(entry: GoldenEntry, indent: string): string[] {
  const lines = [`${indent}- file: ${formatScalar(entry.file)}`, `${indent}  verdict: ${entry.verdict}`];
  if (entry.falsepositive !== undefined) lines.push(`${indent}  falsepositive: ${typeof entry.falsepositive === 'number' ? entry.falsepositive : formatScalar(entry.falsepositive)}`);
  lines.push(`${indent}  provenance: ${JSON.stringify(entry.provenance)}`);
  return lines;
}

const isBlankOrComment = (line: string): boolean => /^\s*(#.*)?$/.test(line);
const indentationOf = (line: string): number => line.length - line.trimStart().length;

/** The entry as the spec's value holds it once parsed. */
function entryValue(entry: GoldenEntry): Record<string, unknown> {
  return { file: entry.file, verdict: entry.verdict, ...(entry.falsepositive === undefined ? {} : { falsepositive: entry.falsepositive }), provenance: entry.provenance };
}

/**
 * The text of a rule-test.yml with `entry` appended to `events`, or why it cannot be done safely (the
 * file does not parse, `events` is not a list, or is a non-empty flow list).
 */
export function appendGoldenEntry(text: string, entry: GoldenEntry, file: string): { text?: string; problem?: string } {
  const parsed = parseYaml(text, file);
  const document = parsed.documents[0];
  const value = document?.value as { events?: unknown } | undefined;
  if (document === undefined || parsed.diagnostics.some((d) => d.severity === 'error') || typeof value !== 'object' || value === null) {
    return { problem: `${file} does not parse as a rule-test spec; fix it first` };
  }
  if (!Array.isArray(value.events)) return { problem: `${file} has no 'events' list` };
  const lines = text.split('\n');
  let updated: string;
  if (value.events.length === 0) {
    const at = document.locate(['events']);
    const line = lines[at.line - 1] ?? '';
    const rest = line.slice(at.column - 1);
    const flow = /^\[\s*\]/.exec(rest);
    if (flow === null) return { problem: `${file}: 'events' is empty but not written as []; add the entry by hand` };
    const keyIndent = indentationOf(line);
    const before = line.slice(0, at.column - 1).replace(/\s+$/, '');
    const after = rest.slice(flow[0].length).trim();
    const replaced = [`${before}${after === '' ? '' : ` ${after}`}`, ...formatGoldenEntry(entry, `${' '.repeat(keyIndent)}  `)];
    updated = [...lines.slice(0, at.line - 1), ...replaced, ...lines.slice(at.line)].join('\n');
  } else {
    const first = document.locate(['events', 0]);
    const firstLine = lines[first.line - 1] ?? '';
    const dash = firstLine.lastIndexOf('-', first.column - 1);
    if (dash === -1 || firstLine.trimStart().startsWith('[') || /:\s*\[/.test(lines[document.locate(['events']).line - 1] ?? '')) {
      return { problem: `${file}: 'events' is written as a flow list; add the entry by hand` };
    }
    const last = document.locate(['events', value.events.length - 1]);
    let end = last.line - 1;
    for (let index = last.line; index < lines.length; index += 1) {
      const line = lines[index] as string;
      if (isBlankOrComment(line)) continue;
      if (indentationOf(line) <= dash) break;
      end = index;
    }
    updated = [...lines.slice(0, end + 1), ...formatGoldenEntry(entry, firstLine.slice(0, dash)), ...lines.slice(end + 1)].join('\n');
  }
  const check = parseYaml(updated, file).documents[0]?.value as { events?: unknown[] } | undefined;
  const expected = { ...value, events: [...value.events, entryValue(entry)] };
  if (check === undefined || !isDeepStrictEqual(check, expected)) return { problem: `${file}: the edit would not read back as intended; add the entry by hand` };
  return { text: updated };
}
