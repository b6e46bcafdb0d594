/**
 * The offsets (in decoded text) of bytes the decoder could not decode, as a queue a streaming reader
 * consumes in file order: it asks, record by record, whether the record's text holds one.
 */
export class InvalidOffsetQueue {
  private offsets: number[] = [];
  private head = 0;

  /** Queues the offsets a decoded chunk reports (ascending, after those already queued). */
  add(offsets: readonly number[]): void {
    for (const offset of offsets) this.offsets.push(offset);
  }

  /** The first offset not yet consumed. */
  peek(): number | undefined {
    return this.offsets[this.head];
  }

  /** True when an offset lies in [start, end); consumes every offset before `end`. */
  take(start: number, end: number): boolean {
    let found = false;
    while (this.head < this.offsets.length && (this.offsets[this.head] as number) < end) {
      if ((this.offsets[this.head] as number) >= start) found = true;
      this.head += 1;
    }
    // Drop what was consumed now and then, so a file full of bad bytes does not keep them all.
    if (this.head > 1024) {
      this.offsets = this.offsets.slice(this.head);
      this.head = 0;
    }
    return found;
  }
}
