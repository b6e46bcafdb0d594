/**
 * A lazy view of one field's value (or, for keyword searches, of every value in the event) as the
 * value tests need it: flattened scalars, their text forms, and those folded for case-insensitive tests.
 * It is built once per item and event so several values share the work.
 */
import type { FieldValue } from './event-record.js';
import { foldCase } from './case-fold.js';

/** A scalar an event can hold. */
export type Scalar = string | number | boolean | null;

/** Collects the scalars of a value: list elements and, when `deep`, the values of nested objects too. */
export function collectScalars(value: FieldValue | undefined, deep: boolean, into: Scalar[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') {
    into.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value as readonly FieldValue[]) collectScalars(element, deep, into);
    return;
  }
  if (deep) for (const child of Object.values(value as { readonly [key: string]: FieldValue })) collectScalars(child, deep, into);
}

/** The text form of a scalar as Sigma compares it (numbers and booleans as their decimal/word form). */
export function textOfScalar(scalar: Scalar): string | undefined {
  if (scalar === null) return undefined;
  return typeof scalar === 'string' ? scalar : String(scalar);
}

/** A field's value, prepared lazily for the value tests. */
export class FieldView {
  private scalarList: Scalar[] | undefined;
  private textList: string[] | undefined;
  private foldedList: string[] | undefined;

  constructor(
    /** The value as the event holds it; undefined when the field is missing. */
    readonly value: FieldValue | undefined,
    private readonly deep: boolean = false,
  ) {}

  /** The scalars: the value itself, or the elements of a list (any element may match). */
  scalars(): readonly Scalar[] {
    if (this.scalarList === undefined) {
      const value = this.value;
      if (value === undefined) this.scalarList = [];
      else if (value === null || typeof value !== 'object') this.scalarList = [value];
      else {
        this.scalarList = [];
        collectScalars(value, this.deep, this.scalarList);
      }
    }
    return this.scalarList;
  }

  /** The text forms of the non-null scalars. */
  texts(): readonly string[] {
    if (this.textList === undefined) {
      const value = this.value;
      if (typeof value === 'string') this.textList = [value];
      else {
        this.textList = [];
        for (const scalar of this.scalars()) {
          const text = textOfScalar(scalar);
          if (text !== undefined) this.textList.push(text);
        }
      }
    }
    return this.textList;
  }

  /** The case-folded text forms. */
  folded(): readonly string[] {
    if (this.foldedList === undefined) this.foldedList = this.texts().map(foldCase);
    return this.foldedList;
  }
}
