// A worker thread of deep property runs (src/harness/property-pool.ts): loads the TypeScript sources
// through tsx, as bin/dac.js does, since worker threads do not inherit the loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/harness/property-worker.ts');
