#!/usr/bin/env node
// The `dac` command: runs the TypeScript sources through tsx, so what you run is what you edit.
import { register } from 'tsx/esm/api';

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

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
