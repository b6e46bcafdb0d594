/**
 * Paths that files of the repository name (golden event files in rule-test.yml, the folders of
 * dac.config.yml) must stay inside the repository, symbolic links included: a test spec must not be
 * able to make `dac test` read `../../../../secret.json` or a link to it and print its values into
 * report.html and report.json.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** Where a path resolved: inside the repository (with its real location), or outside. */
export type Containment =
  | { readonly inside: true; readonly path: string }
  | { readonly inside: false; readonly path: string; readonly realPath: string };

/** The real path of `target`, or of its nearest existing ancestor joined with the rest (for paths that do not exist yet). */
async function realPathOf(target: string): Promise<string> {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return target;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** True when `child` is `root` or below it (both absolute, normalised). */
export function isWithin(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * Resolves `given` against `base` and says whether it stays inside `repoRoot` once every symbolic link
 * on the way is followed. A path that does not exist is judged by its nearest existing ancestor.
 */
export async function resolveInsideRepository(repoRoot: string, base: string, given: string): Promise<Containment> {
  const resolved = path.resolve(base, given);
  const [root, real] = await Promise.all([realPathOf(path.resolve(repoRoot)), realPathOf(resolved)]);
  return isWithin(root, real) ? { inside: true, path: resolved } : { inside: false, path: resolved, realPath: real };
}
