/**
 * The text of one record as it arrives in pieces, kept only up to a cap: past the cap nothing more of
 * the record is kept, so a 100 MB line or value costs no more memory than the cap (the reader then
 * reports the record as too large).
 */
export class CappedText {
  private parts: string[] = [];
  private keptLength = 0;
  private over = false;

  constructor(readonly maxChars: number) {}

  /** True when nothing has been kept and the cap has not been passed. */
  get isEmpty(): boolean {
    return this.keptLength === 0 && !this.over;
  }

  /** True once the record has passed the cap. */
  get overflowed(): boolean {
    return this.over;
  }

  /** Appends a piece of the record, or drops everything once the record passes the cap. */
  append(piece: string): void {
    if (piece === '' || this.over) return;
    if (this.keptLength + piece.length > this.maxChars) this.markOverflowed();
    else {
      this.parts.push(piece);
      this.keptLength += piece.length;
    }
  }

  /** Records that the record passed the cap without the caller handing the text over. */
  markOverflowed(): void {
    this.over = true;
    this.parts = [];
  }

  /** The text kept so far ('' once the cap was passed). */
  text(): string {
    return this.over ? '' : this.parts.join('');
  }

  /** Forgets the record, to start the next one. */
  reset(): void {
    this.parts = [];
    this.keptLength = 0;
    this.over = false;
  }
}
