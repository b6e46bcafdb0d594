// Builds lib/, what `npm pack` ships as the harness (run by the prepack script; `--clean` removes it,
// run by postpack). lib/ mirrors the repository root: lib/src and lib/generators compiled by tsc, and
// the data the harness reads beside them (schemas, mappings, config, data, the changelog formatter,
// package.json for `dac --version`), so every path a module finds relative to itself is the same in
// the repository and in an installed package. Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');

rmSync(lib, { recursive: true, force: true });
if (process.argv.includes('--clean')) process.exit(0);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build-package: tsc failed; no package built');
  process.exit(compiled.status ?? 1);
}
for (const folder of ['schemas', 'mappings', 'config', 'data']) {
  cpSync(join(root, folder), join(lib, folder), { recursive: true });
}
mkdirSync(join(lib, '.changeset'), { recursive: true });
cpSync(join(root, '.changeset', 'changelog.cjs'), join(lib, '.changeset', 'changelog.cjs'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(lib, 'package.json'), `${JSON.stringify({ name: manifest.name, version: manifest.version, type: 'module', private: true }, null, 2)}\n`);
// The worker threads of deep property runs and of dac mutate: compiled, they need no loader
// (bin/property-worker.js and bin/mutant-worker.js register tsx for the sources).
mkdirSync(join(lib, 'bin'), { recursive: true });
writeFileSync(join(lib, 'bin', 'property-worker.js'), "// A worker thread of deep property runs, in the built package.\nawait import('../src/harness/property-worker.js');\n");
writeFileSync(join(lib, 'bin', 'mutant-worker.js'), "// A worker thread of dac mutate, in the built package.\nawait import('../src/mutate/mutant-worker.js');\n");
console.error(`build-package: lib/ built for ${manifest.name}@${manifest.version}`);
