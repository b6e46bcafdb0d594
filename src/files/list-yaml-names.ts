/**
 * The YAML files of a data folder (mappings/, targets/): the files, not sub-folders, named `*.yml` or
 * `*.yaml`, in code-unit order of names, so every load reads them in the same order.
 */
import { readdir } from 'node:fs/promises';

/** The folder's YAML file names in order, or why the folder cannot be read. */
export async function listYamlFileNames(dir: string): Promise<{ readonly names: readonly string[] } | { readonly reason: string }> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return { names: entries.filter((entry) => entry.isFile() && /\.ya?ml$/i.test(entry.name)).map((entry) => entry.name).sort() };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}
