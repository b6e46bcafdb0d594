/**
 * ISO 8601 times for the renderers. `Date.prototype.toISOString` is a hot spot when every generated
 * event is rendered, and the processes of a tree start within seconds of each other, so the text of
 * the last whole second is kept and only the fraction is formatted each time.
 */

let lastSecond = Number.NaN;
let lastText = '';

/** `YYYY-MM-DDTHH:MM:SS` (UTC) of a time in milliseconds since the Unix epoch. */
export function formatIsoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().slice(0, 19);
    lastSecond = second;
  }
  return lastText;
}

/** The milliseconds within the second of a time, 0 to 999 (also before 1970). */
export function millisecondsOf(ms: number): number {
  return ms - Math.floor(ms / 1000) * 1000;
}
