#!/usr/bin/env node
// The `dac` command. In the repository it runs the TypeScript sources through tsx, so what you run is
// what you edit; in the package `npm pack` builds (no src/), it runs the compiled lib/ with no loader.
import { existsSync } from 'node:fs';

// Whatever happens, one line and a documented status, never a stack trace (DAC_DEBUG=1 shows it).
const fatal = (error) => {
  const message = error instanceof Error ? error.message : String(error);
  try {
    process.stderr.write(`dac: internal error: ${message.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')}; please report it\n`);
    if (process.env.DAC_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  } catch {
    // stderr itself is gone; the status still tells.
  }
  process.exit(70);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

const sources = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../lib/src/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
