import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { captureIo, type CapturedIo } from '../../cli/capture-io.js';

/** A scratch git repository for tests: files, commits, and an io that captures a command's output. */
export interface TempRepo {
  readonly root: string;
  write(path: string, text: string | Buffer): Promise<void>;
  remove(path: string): Promise<void>;
  git(...args: string[]): string;
  commit(message: string): string;
  io(): CapturedIo;
  dispose(): Promise<void>;
}

/** The rule the tests edit: a small web-shell rule in the repository's layout. */
export const RULE_PATH = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
export const RULE_ID = '2a1c1239-2603-413d-89eb-93656dcf81a9';

/** Writes the test rule's text, with its parts replaceable. */
export function ruleText(options: { id?: string; modified?: string; images?: string[]; parents?: string[]; title?: string; level?: string; product?: string } = {}): string {
  const images = options.images ?? ['*\\cmd.exe', '*\\whoami.exe'];
  const parents = options.parents ?? ['*\\w3wp.exe', '*\\httpd.exe'];
  return [
    `title: ${options.title ?? 'Shell Spawned by a Web Server'}`,
    `id: ${options.id ?? RULE_ID}`,
    'status: experimental',
    'date: 2026-01-10',
    `modified: ${options.modified ?? '2026-01-10'}`,
    'tags:',
    '  - attack.persistence',
    '  - attack.t1505.003',
    'logsource:',
    '  category: process_creation',
    `  product: ${options.product ?? 'windows'}`,
    'detection:',
    '  selection:',
    '    ParentImage:',
    ...parents.map((parent) => `      - '${parent}'`),
    '    Image:',
    ...images.map((image) => `      - '${image}'`),
    '  condition: selection',
    `level: ${options.level ?? 'high'}`,
    '',
  ].join('\n');
}

/** Writes a changeset's text: front matter bumping `sigma-dac`, then the body. */
export function changesetText(bump: string, body: string): string {
  return `---\n"sigma-dac": ${bump}\n---\n\n${body}\n`;
}

/** Creates a git repository in a temporary folder, with a package.json and nothing committed. */
export async function createTempRepo(): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), 'dac-repo-'));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git('init', '-q', '-b', 'main');
  const repo: TempRepo = {
    root,
    async write(path, text) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    },
    async remove(path) {
      await rm(join(root, path), { force: true, recursive: true });
    },
    git,
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    io: () => captureIo(root),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  await repo.write('package.json', `${JSON.stringify({ name: 'sigma-dac', version: '0.1.0', private: true, license: 'MIT' }, null, 2)}\n`);
  return repo;
}
