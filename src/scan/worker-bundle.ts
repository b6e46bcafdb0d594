/**
 * The scan worker as one JavaScript file. A worker thread started through tsx pays for a TypeScript
 * loader of its own (about 60 MB and half a second per thread); bundled with esbuild, the same code
 * starts in a few megabytes. The bundle is built from the sources as they are (every `import.meta.url`
 * kept pointing at its source file, so data files are found where they are) and kept in the cache
 * folder under a hash of every source file, so what runs is still what was edited. When it cannot be
 * built or written, workers start through tsx instead (bin/scan-worker.js): slower to start, the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../files/write-file-atomic.js';

const SRC_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./scan-worker.ts', import.meta.url));
const PACKAGE_LOCK = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

/** A hash of every source file (and of the locked dependencies): a bundle of other code is never run. */
function hashSources(): string {
  const hash = createHash('sha256');
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts')) hash.update(`${path.relative(SRC_ROOT, file)}\0`).update(readFileSync(file));
    }
  };
  visit(SRC_ROOT);
  if (existsSync(PACKAGE_LOCK)) hash.update(readFileSync(PACKAGE_LOCK));
  hash.update(`node ${process.version}`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * The URL of the bundled scan worker in `cacheDir`, built if needed; or the reason it cannot be had.
 */
export async function ensureWorkerBundle(cacheDir: string): Promise<{ url: URL } | { problem: string }> {
  try {
    const file = path.join(cacheDir, `scan-worker-${hashSources()}.mjs`);
    if (existsSync(file)) return { url: pathToFileURL(file) };
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      // CommonJS dependencies (ajv) call require; an ES module has none of its own.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      plugins: [
        {
          name: 'keep-import-meta-url',
          setup(build) {
            // Each module finds its data files from its own URL: keep the URL of its source file.
            build.onLoad({ filter: /\.ts$/ }, async (args) => ({
              contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
              loader: 'ts',
            }));
          },
        },
      ],
    });
    const output = result.outputFiles[0];
    if (output === undefined) return { problem: 'esbuild produced no output' };
    await mkdir(cacheDir, { recursive: true });
    await writeFileAtomic(file, output.contents);
    return { url: pathToFileURL(file) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
