import type { Position } from '../diagnostics/diagnostic.js';

/** Maps offsets in a text to 1-based line and column numbers. */
export interface LineIndex {
  positionAt(offset: number): Position;
}

/** Indexes a text's line starts once, so each lookup is a binary search. */
export function indexLines(text: string): LineIndex {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return {
    positionAt(offset: number): Position {
      const clamped = Math.max(0, Math.min(offset, text.length));
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((starts[mid] ?? 0) <= clamped) low = mid;
        else high = mid - 1;
      }
      return { line: low + 1, column: clamped - (starts[low] ?? 0) + 1 };
    },
  };
}
