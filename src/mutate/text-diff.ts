/**
 * Applies text edits to a rule file and shows them as a unified diff (the format `diff -u` and `git
 * diff` print), hunk by hunk with a little context, so a mutant reads like the change a reviewer sees.
 */
import type { TextEdit } from './mutant.js';

/** Applies non-overlapping edits; throws on overlapping ones, which only a broken operator proposes. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at || edit.end < edit.start) throw new Error(`overlapping or inverted edits at offset ${edit.start}`);
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}

/** Splits text into lines, each with its line break (the last one may have none). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const CONTEXT = 2;

interface Change {
  /** 0-based first and one-past-last original line the change covers. */
  readonly from: number;
  readonly to: number;
  readonly lines: readonly string[];
}

/**
 * The unified diff of `text` and the text `edits` make of it, headed `--- <file>` and
 * `+++ <file> (mutant)`.
 */
export function formatUnifiedDiff(file: string, text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const original = splitLines(text);
  // Group edits whose lines touch, then rewrite each group's lines.
  const groups: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const from = lineOf(edit.start);
    const to = Math.max(from, lineOf(Math.max(edit.start, edit.end - 1))) + 1;
    const last = groups[groups.length - 1];
    if (last !== undefined && from < last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(edit);
    } else groups.push({ from, to, edits: [edit] });
  }
  const changes: Change[] = [];
  for (let index = 0; index < groups.length; index += 1) {
    const group = groups[index] as (typeof groups)[number];
    for (;;) {
      const base = starts[group.from] ?? 0;
      const region = original.slice(group.from, group.to).join('');
      const rewritten = applyEdits(region, group.edits.map((edit) => ({ ...edit, start: edit.start - base, end: edit.end - base })));
      // A rewritten region that no longer ends its last line runs into the next line: that line changes too.
      if (rewritten.endsWith('\n') || rewritten === '' || group.to >= original.length) {
        changes.push({ from: group.from, to: group.to, lines: splitLines(rewritten) });
        break;
      }
      group.to += 1;
      while ((groups[index + 1]?.from ?? Infinity) < group.to) {
        const next = groups.splice(index + 1, 1)[0] as (typeof groups)[number];
        group.to = Math.max(group.to, next.to);
        group.edits.push(...next.edits);
      }
    }
  }
  const out = [`--- ${file}`, `+++ ${file} (mutant)`];
  // A line without its line break is the file's last: diff says so after it, or patch would add one.
  const show = (mark: string, line: string): string[] => (line.endsWith('\n') ? [`${mark}${line.replace(/\r?\n$/, '')}`] : [`${mark}${line}`, '\\ No newline at end of file']);
  let shift = 0;
  let index = 0;
  while (index < changes.length) {
    // Changes closer than twice the context share a hunk.
    let end = index;
    while (end + 1 < changes.length && (changes[end + 1] as Change).from - (changes[end] as Change).to <= 2 * CONTEXT) end += 1;
    const first = changes[index] as Change;
    const last = changes[end] as Change;
    const from = Math.max(0, first.from - CONTEXT);
    const to = Math.min(original.length, last.to + CONTEXT);
    const body: string[] = [];
    let shiftInHunk = 0;
    let line = from;
    for (let k = index; k <= end; k += 1) {
      const change = changes[k] as Change;
      for (; line < change.from; line += 1) body.push(...show(' ', original[line] ?? ''));
      for (; line < change.to; line += 1) body.push(...show('-', original[line] ?? ''));
      for (const added of change.lines) body.push(...show('+', added));
      shiftInHunk += change.lines.length - (change.to - change.from);
    }
    for (; line < to; line += 1) body.push(...show(' ', original[line] ?? ''));
    const newCount = to - from + shiftInHunk;
    const oldStart = to - from === 0 ? from : from + 1;
    const newStart = newCount === 0 ? from + shift : from + shift + 1;
    out.push(`@@ -${oldStart},${to - from} +${newStart},${newCount} @@`, ...body);
    shift += shiftInHunk;
    index = end + 1;
  }
  return out.join('\n');
}
