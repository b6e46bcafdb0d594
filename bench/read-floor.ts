/**
 * The floor a scan is measured against: reading an event file with readEvents (JSON.parse per NDJSON
 * line, as `dac scan` reads it) and matching no rule, in one thread. Prints the events and errors read.
 *
 * Run: `node --import tsx bench/read-floor.ts FILE`.
 */
import { readEvents } from '../src/events/read-events.js';

const [file] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: read-floor.ts FILE\n');
  process.exit(2);
}
let events = 0;
let errors = 0;
for await (const item of readEvents(file)) {
  if (item.kind === 'event') events += 1;
  else errors += 1;
}
process.stdout.write(`${events} events, ${errors} errors\n`);
