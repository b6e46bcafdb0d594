import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readText = (name: string) => readFile(join(root, '.github/workflows', name), 'utf8');
const readWorkflow = async (name: string) => load(await readText(name)) as Workflow;
const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = (workflow: Workflow) => stepsOf(workflow).flatMap((step) => (step.run ? [step.run] : []));
const stepRunning = (workflow: Workflow, pattern: RegExp) => stepsOf(workflow).find((step) => step.run !== undefined && pattern.test(step.run));

const WORKFLOWS = ['ci.yml', 'release.yml'];

describe.each(WORKFLOWS)('%s', (name) => {
  it('pins every action to a full commit SHA, with the version in a comment', async () => {
    const workflow = await readWorkflow(name);
    const uses = stepsOf(workflow).flatMap((step) => (step.uses ? [step.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    const text = await readText(name);
    for (const action of uses) expect(text).toMatch(new RegExp(`${action.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d+\\.\\d+\\.\\d+`));
  });

  it('reads the repository by default and grants writes only per job', async () => {
    const workflow = await readWorkflow(name);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(workflow.jobs)) expect(job.permissions).toBeDefined();
  });

  it('sets up Node 20 with the npm cache and installs with npm ci', async () => {
    const workflow = await readWorkflow(name);
    const setup = stepsOf(workflow).find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
    expect(runs(workflow)).toContain('npm ci');
    const checkout = stepsOf(workflow).find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
  });
});

describe('ci.yml', () => {
  it('runs on pull requests and pushes, with only contents: read and security-events: write', async () => {
    const ci = await readWorkflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    const permissions = Object.values(ci.jobs).map((job) => job.permissions);
    expect(permissions).toEqual([{ contents: 'read', 'security-events': 'write' }, { contents: 'read' }]);
  });

  it("runs the harness's own tests as .ci/run does: type-check, main job and tests, on Debian", async () => {
    const ci = await readWorkflow('ci.yml') as Workflow & { jobs: Record<string, Job & { container?: string }> };
    const harness = Object.values(ci.jobs).find((job) => job.steps.some((step) => step.run === '.ci/run'));
    expect(harness?.container).toMatch(/^node:20-bookworm/);
    const script = await readFile(join(root, '.ci/run'), 'utf8');
    expect(script).toContain('npm run typecheck');
    expect(script).toContain('npm run check');
    expect(script).toMatch(/^npm test/m);
  });

  it('runs the gate: typecheck, validate (SARIF and text), test with reports, lock check, diff check on PRs', async () => {
    const ci = await readWorkflow('ci.yml');
    const all = runs(ci).join('\n');
    expect(all).toContain('npm run typecheck');
    expect(all).toMatch(/npx dac validate --format sarif > reports\/\S+\.sarif/);
    expect(all).toMatch(/^npx dac validate( \|\||$)/m);
    expect(all).toContain('npx dac test --report-dir reports');
    expect(all).toContain('npx dac lock --check');
    const diff = stepRunning(ci, /npx dac diff "origin\/\$BASE_REF" --check/);
    expect(diff?.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(diff?.if).toContain("github.event_name == 'pull_request'");
  });

  it('lets a failing check fail the job: no check step ignores its exit code', async () => {
    const ci = await readWorkflow('ci.yml');
    for (const step of stepsOf(ci)) {
      expect(step).not.toHaveProperty('continue-on-error');
      if (step.run && /dac (validate|test|lock|diff|mutate)|typecheck/.test(step.run)) expect(step.run).not.toMatch(/\|\|\s*true/);
    }
    const validate = stepRunning(ci, /dac validate/);
    expect(validate?.run).toMatch(/exit "\$status"/);
  });

  it('always publishes the summary, the SARIF and the JUnit and HTML reports', async () => {
    const ci = await readWorkflow('ci.yml');
    const summary = stepRunning(ci, /cat reports\/summary\.md >> "\$GITHUB_STEP_SUMMARY"/);
    expect(summary?.if).toBe('${{ always() }}');
    const sarif = stepsOf(ci).filter((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(sarif.map((step) => step.with?.sarif_file)).toEqual(['reports/results.sarif', 'reports/validate.sarif', 'reports/mutation/results.sarif']);
    for (const step of sarif) expect(step.if).toMatch(/^\$\{\{ always\(\) && /);
    const artifact = stepsOf(ci).find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(artifact?.if).toBe('${{ always() }}');
    expect(String(artifact?.with?.path)).toContain('reports/junit.xml');
    expect(String(artifact?.with?.path)).toContain('reports/report.html');
    expect(String(artifact?.with?.path)).toContain('reports/mutation/');
    expect(summary?.run).toContain('cat reports/mutation/summary.md >> "$GITHUB_STEP_SUMMARY"');
  });

  it('mutates the rules a pull request changes, with the base ref passed through the environment', async () => {
    const ci = await readWorkflow('ci.yml');
    const mutate = stepRunning(ci, /npx dac mutate --changed-since "origin\/\$BASE_REF" --report-dir reports\/mutation/);
    expect(mutate?.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(mutate?.if).toContain("github.event_name == 'pull_request'");
  });
});

describe('release.yml', () => {
  it('runs on pushes to main with contents and pull-requests write, nothing more', async () => {
    const release = await readWorkflow('release.yml');
    expect(release.on).toEqual({ push: { branches: ['main'] } });
    expect(Object.values(release.jobs).map((job) => job.permissions)).toEqual([{ contents: 'write', 'pull-requests': 'write' }]);
  });

  it('opens the version PR with `changeset version && dac lock`, and releases only when nothing is left to version', async () => {
    const release = await readWorkflow('release.yml');
    const changesets = stepsOf(release).find((step) => step.uses?.startsWith('changesets/action@'));
    expect(changesets?.with?.version).toBe('npm run version-packages');
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['version-packages']).toBe('changeset version && node bin/dac.js lock');

    const gated = stepsOf(release).filter((step) => step.if === `\${{ steps.${changesets?.id}.outputs.hasChangesets == 'false' }}`);
    const gatedRuns = gated.map((step) => step.run ?? '').join('\n');
    expect(gatedRuns).toContain('npx dac test --report-dir reports');
    expect(gatedRuns).toMatch(/npx dac pack --out dist/);
    expect(gatedRuns).toMatch(/gh release create "\$tag"[\s\S]*dist\/\*\.tgz dist\/\*\.tgz\.sha256/);
    expect(gatedRuns).toContain('gh release view "$tag"');
  });
});
