import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyEdits, formatUnifiedDiff } from '../../../src/mutate/text-diff.js';
import type { TextEdit } from '../../../src/mutate/mutant.js';

/** Applies a unified diff to the text it was made from, as `patch` does, checking every context and removed line. */
function patch(text: string, diff: string): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: string[] = [];
  let at = 0;
  const body = diff.split('\n').slice(2);
  for (let index = 0; index < body.length; index += 1) {
    const header = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(body[index] as string);
    if (header === null) throw new Error(`expected a hunk header, got ${body[index]}`);
    const oldStart = Number(header[1]);
    const from = Number(header[2]) === 0 ? oldStart : oldStart - 1;
    out.push(...lines.slice(at, from));
    at = from;
    while (index + 1 < body.length && !(body[index + 1] as string).startsWith('@@')) {
      index += 1;
      const line = body[index] as string;
      const whole = body[index + 1] === '\\ No newline at end of file' ? line.slice(1) : `${line.slice(1)}\n`;
      if (whole === line.slice(1)) index += 1;
      if (line.startsWith('+')) out.push(whole);
      else {
        if (lines[at] !== whole) throw new Error(`line ${at + 1} is ${JSON.stringify(lines[at])}, the diff says ${JSON.stringify(whole)}`);
        if (line.startsWith(' ')) out.push(whole);
        at += 1;
      }
    }
  }
  return [...out, ...lines.slice(at)].join('');
}

const textAndEdits = fc
  .tuple(fc.array(fc.stringMatching(/^[a-z ]{0,6}$/), { minLength: 1, maxLength: 30 }), fc.boolean())
  .map(([lines, newline]) => `${lines.join('\n')}${newline ? '\n' : ''}`)
  .chain((text) =>
    fc
      .uniqueArray(fc.nat(text.length), { minLength: 0, maxLength: 8 })
      .chain((cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const pairs: [number, number][] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2) pairs.push([sorted[i] as number, sorted[i + 1] as number]);
        return fc.tuple(...pairs.map(([start, end]) => fc.stringMatching(/^[a-z\n]{0,8}$/).map((insert): TextEdit => ({ start, end, text: insert }))));
      })
      .map((edits) => ({ text, edits: edits.filter((edit) => edit.end > edit.start || edit.text !== '') })),
  );

test.prop([textAndEdits])('the unified diff of some edits turns the text into the edited text', ({ text, edits }) => {
  const edited = applyEdits(text, edits);
  const diff = formatUnifiedDiff('f.yml', text, edits);
  expect(patch(text, diff)).toBe(edited);
});

describe('formatUnifiedDiff', () => {
  it('shows a changed line with two lines of context, and a deleted line', () => {
    const text = 'a\nb\nc\nd\ne\nf\ng\n';
    expect(formatUnifiedDiff('r.yml', text, [{ start: 4, end: 5, text: 'C' }])).toBe('--- r.yml\n+++ r.yml (mutant)\n@@ -1,5 +1,5 @@\n a\n b\n-c\n+C\n d\n e');
    expect(formatUnifiedDiff('r.yml', text, [{ start: 12, end: 14, text: '' }])).toBe('--- r.yml\n+++ r.yml (mutant)\n@@ -5,3 +5,2 @@\n e\n-g\n f'.replace('-g\n f', ' f\n-g'));
  });

  it('refuses overlapping edits, which only a broken operator proposes', () => {
    expect(() => applyEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }])).toThrow(/overlapping/);
  });
});
