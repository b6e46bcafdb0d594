import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG, findEntry, selectEntries } from '../../../generators/catalog/index.js';
import { splitCommandLine } from '../../../generators/command-lines.js';
import { isWindowsPath } from '../../../generators/paths.js';
import {
  PROCESS_CREATION_FIELDS,
  backgroundProcess,
  benignChild,
  listProcesses,
  processCreations,
  processOf,
  processTree,
  shellOrRecon,
  treeFromSpec,
  webServer,
  type ProcessTree,
} from '../../../generators/process-tree.js';

const webShellTree = processTree({ root: webServer(), children: shellOrRecon(), depth: 3, maxChildren: 3 });

function collectPids(tree: ProcessTree): number[] {
  return [tree.launcher.pid, ...listProcesses(tree).map(({ process }) => process.pid)];
}

describe('processTree', () => {
  it("gives every process a unique pid that is a multiple of 4, and each child its parent's pid as ppid", () => {
    fc.assert(
      fc.property(webShellTree, (tree) => {
        const pids = collectPids(tree);
        expect(new Set(pids).size).toBe(pids.length);
        for (const pid of pids) {
          expect(pid % 4).toBe(0);
          expect(pid).toBeGreaterThan(4);
        }
        for (const event of processCreations(tree)) {
          const parent = listProcesses(tree).find(({ process }) => process.pid === event.ProcessId)?.parent;
          expect(event.ParentProcessId).toBe(parent?.pid);
          expect(event.ParentProcessGuid).toBe(parent?.guid);
          expect(event.ParentImage).toBe(parent?.image);
          expect(event.ParentCommandLine).toBe(parent?.commandLine);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('starts every process after its parent, and lists creations in start order', () => {
    fc.assert(
      fc.property(webShellTree, (tree) => {
        for (const { process, parent } of listProcesses(tree)) expect(process.startMs).toBeGreaterThan(parent.startMs);
        const times = processCreations(tree).map((event) => event.context.timeMs);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps process GUIDs unique and runs children as their parent's account in their parent's folder", () => {
    fc.assert(
      fc.property(webShellTree, (tree) => {
        const listed = listProcesses(tree);
        const guids = [tree.launcher.guid, ...listed.map(({ process }) => process.guid)];
        expect(new Set(guids).size).toBe(guids.length);
        for (const { process, parent, depth } of listed) {
          if (depth === 0) continue;
          expect(process.account).toBe(parent.account);
          expect(process.currentDirectory).toBe(parent.currentDirectory);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('emits one creation per process with every Sigma field, images valid paths, argv[0] naming the image', () => {
    fc.assert(
      fc.property(webShellTree, (tree) => {
        const events = processCreations(tree);
        expect(events).toHaveLength(listProcesses(tree).length);
        for (const event of events) {
          for (const field of PROCESS_CREATION_FIELDS) expect(event[field]).not.toBe('');
          expect(isWindowsPath(event.Image)).toBe(true);
          const argv0 = (splitCommandLine(event.CommandLine)[0] ?? '').replace(/^\\\?\?\\/, '').toLowerCase();
          const image = event.Image.toLowerCase();
          expect(image === argv0 || image.endsWith(`\\${argv0}`) || image.replace(/\.exe$/, '').endsWith(argv0)).toBe(
            true,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it("resolves command-line tokens: WerFault is told its parent's pid, w3wp its pool, sqlservr its instance", () => {
    const tree = processTree({ root: webServer(['w3wp.exe']), children: benignChild(['werfault.exe']) });
    fc.assert(
      fc.property(tree, (sample) => {
        const [root, child] = processCreations(sample);
        expect(child?.CommandLine).toContain(`-p ${root?.ProcessId} `);
        expect(root?.CommandLine).toMatch(/-ap "[^"{}]+" /);
        expect(root?.CommandLine).not.toContain('{');
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(processTree({ root: webServer(['sqlservr.exe']) }), (sample) => {
        const [root] = processCreations(sample);
        // The install folder names the instance (the logged image may spell it as an 8.3 short name).
        const instance = /MSSQL\d+(?:_\d+)?\.([^\\]+)\\/i.exec(root?.context.installPath ?? '')?.[1];
        expect(root?.CommandLine.endsWith(` -s${instance}`)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('starts web servers from their usual launchers under their usual accounts', () => {
    fc.assert(
      fc.property(processTree({ root: webServer(['w3wp.exe']) }), (tree) => {
        const [root] = processCreations(tree);
        expect(tree.launcher.entry).toBe('svchost.exe');
        expect(root?.ParentUser).toBe('NT AUTHORITY\\SYSTEM');
        // An application pool runs as its pool identity or, when so configured, a built-in service account.
        expect(root?.User).toMatch(/^(IIS APPPOOL\\.+|NT AUTHORITY\\(SYSTEM|NETWORK SERVICE|LOCAL SERVICE))$/);
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(processTree({ root: webServer(['sqlservr.exe']) }), (tree) => {
        const [root] = processCreations(tree);
        expect(root?.User).toMatch(/^(NT SERVICE\\MSSQL(SERVER|\$[A-Z]+)|NT AUTHORITY\\(SYSTEM|NETWORK SERVICE))$/);
      }),
      { numRuns: 100 },
    );
  });

  it('honours depth, minChildren and maxChildren', () => {
    const shaped = processTree({
      root: webServer(),
      children: shellOrRecon(),
      depth: 2,
      minChildren: 2,
      maxChildren: 2,
    });
    fc.assert(
      fc.property(shaped, (tree) => {
        expect(tree.root.children).toHaveLength(2);
        const depths = listProcesses(tree).map(({ depth }) => depth);
        expect(Math.max(...depths)).toBeLessThanOrEqual(2);
        for (const { process } of listProcesses(tree)) expect(process.children.length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(processTree({ root: backgroundProcess() }), (tree) => {
        expect(listProcesses(tree)).toHaveLength(1);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses shapes too large for unique pids', () => {
    expect(() => processTree({ root: webServer(), children: shellOrRecon(), depth: 4, maxChildren: 5 })).toThrow(
      /exceeds/,
    );
  });

  it('shrinks a failing property to a minimal tree of first entries at their canonical paths', () => {
    // Fails on any tree with 3 or more processes below the root.
    const result = fc.check(
      fc.property(webShellTree, (tree) => listProcesses(tree).length < 4),
      { seed: 42, numRuns: 500 },
    );
    expect(result.failed).toBe(true);
    const [counterexample] = result.counterexample ?? [];
    if (counterexample === undefined) throw new Error('no counterexample');
    const listed = listProcesses(counterexample);
    expect(listed).toHaveLength(4);
    const [firstWebServer] = selectEntries({ tags: ['web-server'] });
    const [firstShell] = selectEntries({ tags: ['shell', 'recon', 'download'] });
    expect(listed[0]?.process.entry).toBe(firstWebServer?.name);
    for (const { process, depth } of listed) {
      if (depth > 0) expect(process.entry).toBe(firstShell?.name);
      // Path spellings shrink away: every image is its catalogue path as installed.
      expect(process.image).toBe(process.installPath);
      expect(process.installPath).toBe(findEntry(process.entry)?.paths[0]);
    }
  });
});

describe('treeFromSpec', () => {
  it("draws parents and children from the spec's selectors", () => {
    const tree = treeFromSpec({
      parents: { names: ['httpd.exe', 'nginx.exe'] },
      children: { names: ['cmd.exe'] },
      descendants: { tags: ['recon'] },
      depth: 2,
    });
    fc.assert(
      fc.property(tree, (sample) => {
        for (const { process, depth } of listProcesses(sample)) {
          if (depth === 0) expect(['httpd.exe', 'nginx.exe']).toContain(process.entry);
          if (depth === 1) expect(process.entry).toBe('cmd.exe');
          if (depth === 2) expect(findEntry(process.entry)?.roles).toContain('recon');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects selectors naming unknown entries', () => {
    expect(() => treeFromSpec({ parents: { names: ['nosuch.exe'] } })).toThrow(/unknown catalogue name "nosuch.exe"/);
  });
});

describe('coverage', () => {
  it('reaches every catalogue entry and every install path (fixed seed)', () => {
    const everything = processTree({
      root: processOf({}, { launcher: true }),
      children: processOf({}),
      maxChildren: 4,
    });
    const seenEntries = new Set<string>();
    const seenPaths = new Set<string>();
    for (const tree of fc.sample(everything, { seed: 20240601, numRuns: 1500 })) {
      for (const { process } of listProcesses(tree)) {
        seenEntries.add(process.entry);
        seenPaths.add(process.installPath);
      }
    }
    expect([...CATALOG.map((entry) => entry.name)].filter((name) => !seenEntries.has(name))).toEqual([]);
    expect(CATALOG.flatMap((entry) => entry.paths).filter((path) => !seenPaths.has(path))).toEqual([]);
  });

  it('reaches every web server as a root and every shell or recon tool as its child (fixed seed)', () => {
    const seen = new Set<string>();
    for (const tree of fc.sample(webShellTree, { seed: 7, numRuns: 800 })) {
      for (const event of processCreations(tree)) {
        if (event.context.depth === 1) seen.add(`${event.context.parentEntry}>${event.context.entry}`);
      }
    }
    const roots = selectEntries({ tags: ['web-server'] }).map((entry) => entry.name);
    const children = selectEntries({ tags: ['shell', 'recon', 'download'] }).map((entry) => entry.name);
    for (const root of roots) expect([...seen].some((pair) => pair.startsWith(`${root}>`))).toBe(true);
    for (const child of children) expect([...seen].some((pair) => pair.endsWith(`>${child}`))).toBe(true);
  });
});
