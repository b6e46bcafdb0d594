import { describe, expect, it } from 'vitest';
import { createScanProgress, formatBytes } from '../../../src/cli/scan-progress.js';
import { captureIo } from './capture-io.js';

describe('the dac scan progress bar', () => {
  it('words sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(64 * 1024)).toBe('64.0 KiB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.50 MiB');
    expect(formatBytes(1_213_000_000)).toBe('1.13 GiB');
  });

  it('moves with the bytes of one large file, and says which file of how many', () => {
    expect(createScanProgress(captureIo('/', { isTTY: false }), 1)).toBeUndefined();
    const io = captureIo('/', { isTTY: true });
    const bar = createScanProgress(io, 2);
    bar?.startFile(0, 'big.ndjson', 4 * 1024 * 1024);
    bar?.update(3 * 1024 * 1024, 1200, 3);
    bar?.stop();
    expect(io.err()).toContain('scanning big.ndjson |');
    expect(io.err()).toContain('75% 3.00 MiB of 4.00 MiB, file 1/2, 1,200 events, 3 matches');
  });

  it('draws a file of unknown size by what has been read', () => {
    const io = captureIo('/', { isTTY: true });
    const bar = createScanProgress(io, 1);
    bar?.startFile(0, '-', undefined);
    bar?.update(2048, 10, 0);
    bar?.stop();
    expect(io.err()).toContain('2.00 KiB of ?, file 1/1');
  });
});
