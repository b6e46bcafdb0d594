#!/usr/bin/env node
// The `dac` command: runs the TypeScript sources through tsx, so what you run is what you edit.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
