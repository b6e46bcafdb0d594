import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { reportInternalError } from '../../../src/cli/main.js';
import { EXIT_INTERNAL, writeWithBackPressure } from '../../../src/cli/io.js';
import { GuardedOutput, isClosedDescriptor } from '../../../src/cli/process-io.js';
import { captureIo } from './capture-io.js';

/** A writable that is full until drained, and fails when told, as a pipe does. */
class FakeStream extends EventEmitter {
  written = '';
  writableNeedDrain = false;
  write(chunk: string, callback?: (error?: Error | null) => void): boolean {
    this.written += chunk;
    this.writableNeedDrain = this.written.length >= 4;
    if (callback) setImmediate(() => callback(null));
    return !this.writableNeedDrain;
  }
}

describe('GuardedOutput', () => {
  it('waits for drain when the stream is full, and lets go when it fails', async () => {
    const stream = new FakeStream();
    const output = new GuardedOutput(stream);
    let drained = false;
    const waiting = writeWithBackPressure(output, 'abcd').then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    stream.writableNeedDrain = false;
    stream.emit('drain');
    await waiting;
    expect(drained).toBe(true);

    stream.writableNeedDrain = true;
    const stuck = output.drained();
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await stuck;
    expect(output.failure).toEqual({ code: 'EPIPE', message: 'the reader closed the pipe (EPIPE)' });
    expect(output.write('more')).toBe(false);
    expect(stream.written).toBe('abcd');
  });

  it('fails with EBADF on the first write when the descriptor was closed at start, and never before', async () => {
    const stream = new FakeStream();
    const output = new GuardedOutput(stream, true);
    expect(output.failure).toBeUndefined();
    expect(output.write('x')).toBe(false);
    expect(output.failure?.code).toBe('EBADF');
    expect(stream.written).toBe('');
    await output.finished();
  });

  it('records a write that throws instead of letting it escape', () => {
    const output = new GuardedOutput({
      write: () => {
        throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      },
      on: () => undefined,
      once: () => undefined,
      removeListener: () => undefined,
    });
    expect(output.write('x')).toBe(false);
    expect(output.failure?.message).toBe('no space left on the device (ENOSPC)');
  });

  it('does not take a descriptor that is open for writing for a closed one', () => {
    expect(isClosedDescriptor(2)).toBe(false);
  });
});

describe('reportInternalError', () => {
  it('is one line, control characters escaped, and exit 70', () => {
    const io = captureIo('/');
    expect(reportInternalError(new Error('boom\u001b[2J\nsecond line'), io)).toBe(EXIT_INTERNAL);
    expect(io.err()).toBe('dac: internal error: boom\\x1b[2J\\nsecond line; please report it\n');
  });
});
