/**
 * The harness as a team adopts it: `npm pack` builds the package, a throwaway repository holding a copy of
 * some of SigmaHQ's rules installs it offline (an empty npm cache, so nothing can come from a registry),
 * `dac init` sets it up, and `dac test` runs and reports every rule: one with golden events written here,
 * the others without, said so; `dac scan` scans a large NDJSON file on worker threads started from the
 * compiled JavaScript (the package has no TypeScript loader and no bundler).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { securityEvent, sysmonEvent } from '../unit/harness/temp-pack.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const sigmahq = join(repoRoot, 'tests/fixtures/sigmahq/rules');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };

// A rule of the copy that gets golden events here: status test, so it needs a true positive and a true
// negative from each log source it claims (Sysmon EID 1 and Security 4688).
const TESTED = 'proc_creation_win_device_credential_deployment';
const TESTED_ID = 'b8b1b304-a60f-4999-9a6e-c547bde03ffd';
const TOOL = 'C:\\Windows\\System32\\DeviceCredentialDeployment.exe';
const EXPLORER = 'C:\\Windows\\explorer.exe';
const NOTEPAD = 'C:\\Windows\\System32\\notepad.exe';

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

describe('the harness installed in a repository of SigmaHQ-style rules', () => {
  const team = mkdtempSync(join(tmpdir(), 'dac-team-'));
  const cache = mkdtempSync(join(tmpdir(), 'dac-empty-npm-cache-'));
  const offline = { npm_config_cache: cache, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  const ruleFiles: string[] = [];
  let packed = '';
  let install: SpawnSyncReturns<string>;
  const dac = (...args: string[]) => run(join(team, 'node_modules', '.bin', 'dac'), args, team);

  beforeAll(() => {
    const out = mkdtempSync(join(tmpdir(), 'dac-pack-'));
    const pack = run('npm', ['pack', '--silent', '--pack-destination', out], repoRoot, { npm_config_update_notifier: 'false' });
    expect(pack.status, pack.stderr).toBe(0);
    packed = join(out, readdirSync(out).find((name) => name.endsWith('.tgz')) ?? '');

    // A copy of some of SigmaHQ's rules, laid out as SigmaHQ lays them out.
    const processCreation = readdirSync(join(sigmahq, 'windows/process_creation')).sort().slice(0, 24);
    const linux = readdirSync(join(sigmahq, 'linux/process_creation')).sort().slice(0, 6);
    for (const [folder, names] of [['windows/process_creation', [...processCreation, `${TESTED}.yml`]], ['linux/process_creation', linux]] as const) {
      mkdirSync(join(team, 'rules', folder), { recursive: true });
      for (const name of new Set(names)) {
        cpSync(join(sigmahq, folder, name), join(team, 'rules', folder, name));
        ruleFiles.push(`rules/${folder}/${name}`);
      }
    }
    writeFileSync(join(team, 'package.json'), `${JSON.stringify({ name: 'team-rules', version: '1.0.0', private: true }, null, 2)}\n`);
    install = run('npm', ['install', '--save-dev', packed], team, offline);
    // Packing compiles the whole harness (tsc) and installing unpacks it: minutes on a loaded 2-core
    // machine, so this hook may take longer than the suite's default.
  }, 600_000);

  it('installs offline from the tarball, dependencies included, and answers --version', () => {
    expect(install.status, install.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(team, 'package.json'), 'utf8')).devDependencies[manifest.name]).toMatch(/^file:/);
    const version = run('npx', ['dac', '--version'], team, offline);
    expect(version.stdout).toBe(`${manifest.name} ${manifest.version}\n`);
  });

  it('is set up by dac init, with the editor schemas resolving into node_modules', () => {
    const init = dac('init');
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain(`dac init: ${ruleFiles.length} rule files in rules/`);
    const settings = JSON.parse(readFileSync(join(team, '.vscode/settings.json'), 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
    for (const schema of Object.keys(settings['yaml.schemas'])) {
      expect(schema).toMatch(new RegExp(`^node_modules/${manifest.name}/lib/schemas/`));
      expect(() => readFileSync(join(team, schema))).not.toThrow();
    }
    expect(readdirSync(join(team, 'tests/rules'))).toHaveLength(ruleFiles.length + 1);
  });

  it('runs dac test over every rule: the one with golden events replayed, the others reported as having none', () => {
    const folder = join(team, 'tests/rules', TESTED);
    writeFileSync(join(folder, 'sysmon.xml'), `<Events>${sysmonEvent(EXPLORER, TOOL)}${sysmonEvent(EXPLORER, NOTEPAD)}</Events>`);
    writeFileSync(join(folder, 'security.xml'), `<Events>${securityEvent(EXPLORER, TOOL)}${securityEvent(EXPLORER, NOTEPAD)}</Events>`);
    writeFileSync(join(folder, 'rule-test.yml'), `rule: ${TESTED_ID}
events:
  - file: sysmon.xml
    verdict: match
    provenance: synthesized for the package test, DeviceCredentialDeployment.exe then notepad.exe
    overrides:
      - { event: 1, verdict: no-match }
  - file: security.xml
    verdict: match
    provenance: synthesized for the package test, the same two processes as Security 4688
    overrides:
      - { event: 1, verdict: no-match }
`);
    const test = dac('test', '--report-dir', 'reports');
    expect(test.status, `${test.stdout}\n${test.stderr}`).toBe(0);
    const lines = test.stdout.split('\n').filter((line) => /^(PASS|FAIL) /.test(line));
    expect(lines.map((line) => line.split(/ +/)[1]).sort()).toEqual([...ruleFiles].sort());
    expect(lines.find((line) => line.includes(TESTED))).toMatch(/^PASS {2}\S+ {2}tp 2 tn 2 fp 0 {2}coverage 100%/);
    expect(lines.filter((line) => line.includes('no golden events (no rule-test.yml)'))).toHaveLength(ruleFiles.length - 1);
    expect(test.stdout).toContain(`${ruleFiles.length - 1} of ${ruleFiles.length} rules have no golden events`);
    expect(test.stdout).toMatch(new RegExp(`^${ruleFiles.length} rules: ${ruleFiles.length} passed, 0 failed; `, 'm'));
    expect(readdirSync(join(team, 'reports')).sort()).toEqual(['junit.xml', 'navigator-layer.json', 'report.html', 'report.json', 'results.sarif', 'summary.md']);
  });

  it('scans a large NDJSON file on worker threads, finding and counting what one thread does', () => {
    // 9 MiB of flat and Sysmon process creations (8 MiB is where workers start), a few of the tested tool.
    const lines: string[] = [];
    for (let index = 0, size = 0; size < 9 * 1024 * 1024; index += 1) {
      const image = index % 5000 === 0 ? TOOL : index % 2 === 0 ? NOTEPAD : EXPLORER;
      const fields = { Image: image, CommandLine: `"${image}" /n ${index}`, ParentImage: EXPLORER, User: 'CORP\\alice' };
      const line = JSON.stringify(index % 3 === 0 ? { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, ...fields } : fields);
      lines.push(line);
      size += line.length + 1;
    }
    // Two files: the workers start while the main thread scans the first, and share the second.
    for (const name of ['events-1.ndjson', 'events-2.ndjson']) writeFileSync(join(team, name), `${lines.join('\n')}\n`);
    // A rule without a literal, so every line is parsed (no raw-text prefilter) and scanning takes a while.
    mkdirSync(join(team, 'hunt'));
    writeFileSync(join(team, 'hunt/quiet.yml'), `title: Nothing but executables
id: 44444444-4444-4444-8444-444444444444
status: test
logsource: {category: process_creation, product: windows}
detection:
  executable:
    Image|endswith: '.exe'
  condition: not executable
level: low
`);
    const scan = ['scan', '--rules', 'rules', '--rules', 'hunt', 'events-1.ndjson', 'events-2.ndjson'];
    const threaded = dac(...scan.slice(0, 1), '--threads', '2', ...scan.slice(1));
    const single = dac(...scan.slice(0, 1), '--threads', '1', '--no-cache', ...scan.slice(1));
    expect(threaded.status, threaded.stderr).toBe(0);
    expect(single.status, single.stderr).toBe(0);
    expect(threaded.stdout.split('\n').filter((line) => line.includes(TESTED_ID))).toHaveLength(2 * Math.ceil(lines.length / 5000));
    expect(threaded.stdout).toBe(single.stdout);
    // The same account of every record; the threaded run says it used two threads, and warns of nothing.
    expect(threaded.stderr).toContain(', scanned on 2 threads');
    expect(threaded.stderr.replace(', scanned on 2 threads', '')).toBe(single.stderr);
    expect(threaded.stderr).not.toMatch(/scan\/worker-failed|through tsx|cache was not saved/);
    // What loading the rules found is kept in the node_modules folder dac is installed in.
    expect(readdirSync(join(team, 'node_modules/.cache/sigma-dac')).some((name) => name.startsWith('rules-'))).toBe(true);
    expect(existsSync(join(team, 'node_modules', manifest.name, 'node_modules/.cache'))).toBe(false);
  });

  it('runs dac mutate with its worker threads from the compiled package', () => {
    // The golden events above kill some mutants; the others (contains for endswith, a * added at the end,
    // cased) go to two worker threads, which must start from lib/bin/mutant-worker.js with no loader.
    const mutate = dac('mutate', `rules/windows/process_creation/${TESTED}.yml`, '--threads', '2');
    expect(mutate.stderr).not.toContain('workers-failed');
    expect(mutate.stdout).toMatch(/^FAIL {2}\S+ {2}mutation score [\d.]+% \(threshold 100%\)/m);
    expect(mutate.stdout).toMatch(/mutants judged in [\d.]+ s \(\d+ by golden replay alone, [2-9]\d* through the properties on 2 worker threads\)/);
    expect(mutate.stdout).toContain('no hint: the rule has no scenarios.yml to generate events from.');
    expect(mutate.status).toBe(1);
  });
});
