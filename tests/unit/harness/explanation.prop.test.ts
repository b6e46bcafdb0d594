import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectDecidingFields } from '../../../src/harness/golden.js';
import { compileValid, createEvent } from '../compile/rule-fixture.js';

// Small alphabets make matches likely, so both verdicts of every item are exercised.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'x'), minLength: 1, maxLength: 2 });
const fieldValue = fc.option(fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' '), maxLength: 6 }), { nil: undefined });
const modifiers = fc.constantFrom('', '|contains', '|startswith', '|endswith', '|contains|all', '|neq', '|contains|neq');

interface ItemSpec {
  readonly field: 'F' | 'G';
  readonly modifiers: string;
  readonly values: readonly string[];
}

// Each identifier is a map of one or two items; two identifiers may read the same field, as the
// web-shell rule's parent selections both read ParentImage.
const item: fc.Arbitrary<ItemSpec> = fc.record({
  field: fc.constantFrom('F' as const, 'G' as const),
  modifiers,
  values: fc.array(word, { minLength: 1, maxLength: 3 }),
});
const identifier = fc.uniqueArray(item, { minLength: 1, maxLength: 2, selector: (spec) => spec.field });
const conditions = ['sel_a and sel_b', 'sel_a or not sel_b', '1 of sel_*', 'all of sel_*', 'sel_a and not (sel_b or sel_c)', 'not sel_c'];

const quote = (value: string): string => `'${value}'`;
const renderItem = (spec: ItemSpec): string =>
  `  ${spec.field}${spec.modifiers}:\n${spec.values.map((value) => `    - ${quote(value)}`).join('\n')}`;
const renderIdentifier = (name: string, items: readonly ItemSpec[]): string => `${name}:\n${items.map(renderItem).join('\n')}`;

/**
 * Explanations are held to the engine: the verdict, each identifier's and each item's are what the
 * engine says when that part is compiled alone, and the deciding fields never say an item matched when
 * it did not (or the reverse), whichever identifiers share a field.
 */
describe('explanations agree with the engine (properties)', () => {
  it('gives every identifier and item the verdict the engine gives it alone, and deciding fields that say the same', () => {
    fc.assert(
      fc.property(fc.tuple(identifier, identifier, identifier), fc.constantFrom(...conditions), fieldValue, fieldValue, ([a, b, c], condition, f, g) => {
        const names = ['sel_a', 'sel_b', 'sel_c'] as const;
        const specs = [a, b, c];
        const detection = `${names.map((name, i) => renderIdentifier(name, specs[i] ?? [])).join('\n')}\ncondition: ${condition}`;
        const rule = compileValid(detection);
        const event = createEvent({ ...(f === undefined ? {} : { F: f }), ...(g === undefined ? {} : { G: g }) });
        const explanation = rule.explain(event);
        expect(explanation.matched).toBe(rule.matches(event));

        const fields = collectDecidingFields(explanation, event);
        expect(Object.keys(fields)).toHaveLength(specs.reduce((total, items) => total + items.length, 0));
        explanation.identifiers.forEach((explained, i) => {
          const alone = compileValid(`${renderIdentifier('sel', specs[i] ?? [])}\ncondition: sel`);
          expect(explained.matched).toBe(alone.matches(event));
          explained.items.forEach((explainedItem, j) => {
            const spec = specs[i]?.[j];
            if (spec === undefined) throw new Error('an explained item the rule does not have');
            const itemAlone = compileValid(`${renderIdentifier('sel', [spec])}\ncondition: sel`);
            expect(explainedItem.matched).toBe(itemAlone.matches(event));
            const text = fields[`${explained.name}.${spec.field}${spec.modifiers}`];
            expect(text).toBeDefined();
            expect(text?.includes('(matched')).toBe(explainedItem.matched);
            expect(text?.includes('(did not match')).toBe(!explainedItem.matched);
          });
          // A map is an AND of its items: an identifier that matched has no item that did not.
          if (explained.matched) expect(explained.items.every((explainedItem) => explainedItem.matched)).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});
