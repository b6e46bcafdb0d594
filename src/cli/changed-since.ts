import { loadConfig } from '../harness/config.js';
import { listChangedRules } from '../version/changed-rules.js';

/**
 * The rule files `--changed-since REF` selects (`dac test`, `dac mutate`): those whose file or test
 * folder changed since the ref, in the folders dac.config.yml names; or, as text, why the ref cannot
 * be used (git cannot resolve it, git failed). A ref that selects nothing by mistake must never look
 * like a pull request that changed no rule, so the caller makes that text a usage error.
 */
export async function selectChangedRules(ref: string, repoRoot: string): Promise<{ readonly files: ReadonlySet<string> } | { readonly problem: string }> {
  const { config } = await loadConfig(repoRoot);
  try {
    const changed = await listChangedRules(ref, repoRoot, { rulesDir: config.rules, testsDir: config.tests });
    const error = changed.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    if (error !== undefined) return { problem: error.message };
    return { files: new Set(changed.files) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
