/**
 * The shapes a Sigma string pattern takes, so a SIEM dialect can use its own operators (equals,
 * starts with, ends with, contains) and fall back to a regular expression only for the rest.
 */
import type { StringPart } from '../../model/detection.js';

/** A pattern's shape: one literal with its anchoring, or a general pattern. */
export type PatternShape =
  | { readonly kind: 'equals' | 'startswith' | 'endswith' | 'contains'; readonly text: string }
  | { readonly kind: 'general'; readonly parts: readonly StringPart[] };

/** Classifies folded parts (keywords already wrapped in `*`). */
export function classifyPattern(parts: readonly StringPart[]): PatternShape {
  const inner = parts.filter((part) => !(part.kind === 'text' && part.text === ''));
  const isAny = (part: StringPart | undefined): boolean => part?.kind === 'any';
  const texts = inner.filter((part) => part.kind === 'text') as { kind: 'text'; text: string }[];
  const others = inner.filter((part) => part.kind !== 'text' && part.kind !== 'any');
  if (others.length > 0 || texts.length > 1) return { kind: 'general', parts: inner };
  const text = texts[0]?.text ?? '';
  const leading = isAny(inner[0]);
  const trailing = inner.length > 0 && isAny(inner[inner.length - 1]);
  const anyCount = inner.filter((part) => part.kind === 'any').length;
  if (texts.length === 0) return anyCount === 0 ? { kind: 'equals', text: '' } : { kind: 'general', parts: inner };
  if (anyCount === 0) return { kind: 'equals', text };
  if (anyCount === 1 && trailing && !leading) return { kind: 'startswith', text };
  if (anyCount === 1 && leading && !trailing) return { kind: 'endswith', text };
  if (anyCount === 2 && leading && trailing) return { kind: 'contains', text };
  return { kind: 'general', parts: inner };
}

/** A whole-text regular expression of parts (RE2, PCRE and Java share this syntax), without anchors. */
export function writePatternRegex(parts: readonly StringPart[]): string {
  const escape = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`);
  return parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return escape(part.text);
        case 'any':
          return '.*';
        case 'one':
          return '.';
        case 'alternatives':
          return `[${part.options.map(escape).join('')}]`;
        case 'placeholder':
          throw new Error('placeholders are expanded before rendering');
      }
    })
    .join('');
}
