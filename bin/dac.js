#!/usr/bin/env node
// The `dac` command. In the repository it runs the TypeScript sources through tsx, so what you run is
// what you edit; in the package `npm pack` builds (no src/), it runs the compiled lib/ with no loader.
import { existsSync } from 'node:fs';

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
