// A worker thread of `dac mutate` (src/mutate/mutant-pool.ts): loads the TypeScript sources through
// tsx, as bin/dac.js does, since worker threads do not inherit the loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/mutate/mutant-worker.ts');
