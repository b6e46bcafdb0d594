import { execFile, spawn } from 'node:child_process';

/** The outcome of one git command. */
export interface GitResult {
  readonly ok: boolean;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Git output of a whole rule tree can be large; past this a command is refused rather than buffered. */
const MAX_GIT_OUTPUT = 512 * 1024 * 1024;

/** Runs git with arguments (never through a shell) in a folder and collects its output. */
export function runGit(args: readonly string[], cwd: string, input?: string): Promise<GitResult> {
  if (input === undefined) {
    return new Promise((resolve) => {
      execFile('git', [...args], { cwd, encoding: 'buffer', maxBuffer: MAX_GIT_OUTPUT }, (error, stdout, stderr) => {
        resolve({ ok: !error, stdout: stdout ?? Buffer.alloc(0), stderr: (stderr ?? Buffer.alloc(0)).toString('utf8').trim() || (error?.message ?? '') });
      });
    });
  }
  return new Promise((resolve) => {
    const child = spawn('git', [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ ok: false, stdout: Buffer.alloc(0), stderr: error.message }));
    child.on('close', (code) => resolve({ ok: code === 0, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() }));
    // git may exit before reading all its input (a bad ref); its status says so, not an EPIPE crash.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Splits NUL-separated git output (`-z`) into its paths. */
export function splitNul(output: Buffer): string[] {
  return output.toString('utf8').split('\0').filter((path) => path !== '');
}

/**
 * Resolves a ref to a commit id, or explains why it cannot. A ref that starts with `-` is refused so
 * user input can never be read as a git option.
 */
export async function resolveCommit(ref: string, repoRoot: string): Promise<{ commit?: string; error?: string }> {
  if (ref === '' || ref.startsWith('-')) return { error: `'${ref}' is not a git ref` };
  const result = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], repoRoot);
  const commit = result.stdout.toString('utf8').trim();
  if (!result.ok || !/^[0-9a-f]{40,64}$/.test(commit)) {
    return { error: `git cannot resolve '${ref}' to a commit${result.stderr ? ` (${result.stderr})` : ''}; fetch it first (CI needs fetch-depth: 0)` };
  }
  return { commit };
}

/** Lists the files under a folder at a commit, repository-relative. */
export async function listFilesAtCommit(commit: string, folder: string, repoRoot: string): Promise<{ files: string[]; error?: string }> {
  const result = await runGit(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, '--', folder], repoRoot);
  if (!result.ok) return { files: [], error: result.stderr };
  return { files: splitNul(result.stdout) };
}

/** Lists the files under a folder at a commit with their modes (`120000` a symbolic link), repository-relative. */
export async function listEntriesAtCommit(commit: string, folder: string, repoRoot: string): Promise<{ entries: { path: string; mode: string }[]; error?: string }> {
  const result = await runGit(['ls-tree', '-r', '-z', '--full-tree', commit, '--', folder], repoRoot);
  if (!result.ok) return { entries: [], error: result.stderr };
  // Each record is `<mode> <type> <object>\t<path>`; the path is verbatim with -z.
  const entries = splitNul(result.stdout).flatMap((record) => {
    const tab = record.indexOf('\t');
    const mode = record.slice(0, record.indexOf(' '));
    return tab < 0 ? [] : [{ path: record.slice(tab + 1), mode }];
  });
  return { entries };
}

/**
 * Reads many files at a commit through one `git cat-file --batch` process, so a pack of thousands
 * of rules costs one process, not thousands. Paths git does not know are left out of the map.
 */
export async function readFilesAtCommit(
  commit: string,
  paths: readonly string[],
  repoRoot: string,
): Promise<{ files: Map<string, Buffer>; error?: string }> {
  const files = new Map<string, Buffer>();
  if (paths.length === 0) return { files };
  const input = paths.map((path) => `${commit}:${path}\n`).join('');
  const result = await runGit(['cat-file', '--batch'], repoRoot, input);
  if (!result.ok) return { files, error: result.stderr };
  const out = result.stdout;
  let offset = 0;
  for (const path of paths) {
    const newline = out.indexOf(0x0a, offset);
    if (newline < 0) break;
    const header = out.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    // `<object> blob <size>` for a hit; `<request> missing` (or `ambiguous`) otherwise.
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) continue;
    const size = Number(match[2]);
    if (match[1] === 'blob') files.set(path, Buffer.from(out.subarray(offset, offset + size)));
    offset += size + 1; // the content is followed by a newline
  }
  return { files };
}

/** The commit id of HEAD, or undefined outside a git checkout. */
export async function readHeadCommit(repoRoot: string): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], repoRoot);
  const commit = result.stdout.toString('utf8').trim();
  return result.ok && commit !== '' ? commit : undefined;
}
