import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

/** `512 B`, `64.0 KiB`, `1.13 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** The progress bar of `dac scan`: bytes of the file being read, and which file of how many. */
export interface ScanProgressDisplay {
  /** How many inputs there are now (a folder expands to its files as they are reached). */
  setInputs(count: number): void;
  /** A new file starts; `size` is its length in bytes, when known. */
  startFile(index: number, name: string, size: number | undefined): void;
  /** Bytes of the current file read, and the run's events and matches so far. */
  update(bytes: number, events: number, matches: number): void;
  /** Takes the bar off the line so a diagnostic can be written, and puts it back. */
  pause(): void;
  resume(): void;
  stop(): void;
}

/**
 * A bar on stderr while `dac scan` reads, on a terminal only: one large file moves the bar by its bytes,
 * instead of sitting at "0/1 files" until it is done.
 */
export function createScanProgress(io: CliIo, files: number): ScanProgressDisplay | undefined {
  if (io.stderr.isTTY !== true) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: 'scanning {file} |{bar}| {percentage}% {done} of {size}, file {position}/{files}, {events} events, {matches} matches',
      stream: io.stderr as NodeJS.WritableStream,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let state = { file: '', position: 0, size: 0, known: false, bytes: 0, events: 0, matches: 0 };
  let running = false;
  const payload = () => ({
    file: state.file,
    done: formatBytes(state.bytes),
    size: state.known ? formatBytes(state.size) : '?',
    position: state.position,
    files,
    events: state.events.toLocaleString('en-US'),
    matches: state.matches.toLocaleString('en-US'),
  });
  // An empty or unsized file still needs a total above 0 for the bar to draw.
  const total = (): number => Math.max(1, state.known ? state.size : state.bytes);
  const draw = (): void => {
    if (!running) {
      bar.start(total(), Math.min(state.bytes, total()), payload());
      running = true;
    } else {
      bar.setTotal(total());
      bar.update(Math.min(state.bytes, total()), payload());
    }
  };
  return {
    setInputs(count) {
      files = count;
    },
    startFile(index, name, size) {
      state = { ...state, file: name, position: index + 1, size: size ?? 0, known: size !== undefined, bytes: 0 };
      draw();
    },
    update(bytes, events, matches) {
      state = { ...state, bytes, events, matches };
      draw();
    },
    pause() {
      if (running) bar.stop();
      running = false;
    },
    resume() {
      draw();
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
