import { describe, expect, it } from 'vitest';
import {
  CATALOG,
  RENAMED_COPIES,
  WEB_SERVERS,
  describeHashes,
  describeSigner,
  extractSha256,
  findProgramByOriginalFileName,
  findProgramBySha256,
  findRenamedCopy,
  describeSelectorProblems,
  findEntry,
  selectEntries,
} from '../../../../generators/catalog/index.js';
import { describeWindowsPathProblem, extractFileName } from '../../../../generators/paths.js';

describe('catalogue', () => {
  it('keys entries by unique lower-case image names that every install path ends with', () => {
    const names = CATALOG.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of CATALOG) {
      expect(entry.name).toBe(entry.name.toLowerCase());
      expect(entry.paths.length).toBeGreaterThan(0);
      expect(entry.roles.length).toBeGreaterThan(0);
      if (entry.renamedFrom !== undefined) continue;
      for (const path of entry.paths) expect(extractFileName(path).toLowerCase()).toBe(entry.name);
    }
  });

  it('holds renamed copies under other file names, with their original\'s version resource and hashes', () => {
    expect(RENAMED_COPIES.length).toBeGreaterThan(0);
    for (const copy of RENAMED_COPIES) {
      const original = findEntry(copy.renamedFrom ?? '');
      expect(copy.name).toBe(`${original?.name} (renamed)`);
      expect(copy.roles).toEqual(['renamed']);
      expect(copy.pe).toEqual(original?.pe);
      for (const path of copy.paths) {
        expect(extractFileName(path).toLowerCase()).not.toBe(original?.name);
        expect(findEntry(extractFileName(path))).toBeUndefined();
        expect(describeHashes(copy, path)).toBe(describeHashes(original, original?.paths[0] ?? ''));
      }
      expect(findProgramByOriginalFileName(copy.pe?.originalFileName ?? '')).toBe(original);
      expect(findProgramBySha256(extractSha256(describeHashes(copy, copy.paths[0] ?? '')) ?? '')).toBe(original);
      expect(findRenamedCopy(original?.name ?? '')).toBe(copy);
    }
    // Two files of one program (System32 and SysWOW64) are different files.
    const cmd = findEntry('cmd.exe');
    expect(describeHashes(cmd, 'C:\\Windows\\System32\\cmd.exe')).not.toBe(describeHashes(cmd, 'C:\\Windows\\SysWOW64\\cmd.exe'));
    expect(describeHashes(cmd, 'C:\\Windows\\System32\\cmd.exe')).toBe(describeHashes(cmd, 'c:\\windows\\system32\\CMD.EXE'));
  });

  it('names who signed a file: Microsoft Windows for the operating system, the vendor otherwise', () => {
    expect(describeSigner(findEntry('whoami.exe'))).toBe('Microsoft Windows');
    expect(describeSigner(findEntry('plink.exe'))).toBe('Simon Tatham');
    expect(describeSigner(findEntry('sh.exe'))).toBeUndefined();
  });

  it('holds only valid, distinct, absolute Windows paths', () => {
    for (const entry of CATALOG) {
      expect(new Set(entry.paths).size).toBe(entry.paths.length);
      for (const path of entry.paths)
        expect({ path, problem: describeWindowsPathProblem(path) }).toEqual({ path, problem: undefined });
    }
  });

  it('names only catalogue entries as launchers', () => {
    for (const entry of CATALOG) {
      for (const launcher of entry.launchedBy ?? [])
        expect({ entry: entry.name, launcher, found: findEntry(launcher) !== undefined }).toMatchObject({
          found: true,
        });
    }
  });

  it('places web servers where their installers do', () => {
    expect(findEntry('w3wp.exe')?.paths).toEqual([
      'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
      'C:\\Windows\\SysWOW64\\inetsrv\\w3wp.exe',
    ]);
    expect(findEntry('tomcat9.exe')?.paths).toContain(
      'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\tomcat9.exe',
    );
    expect(findEntry('tomcat8.exe')?.paths).toContain(
      'C:\\Program Files\\Apache Software Foundation\\Tomcat 8.5\\bin\\tomcat8.exe',
    );
    for (const major of [6, 7, 8, 9, 10, 11]) expect(findEntry(`tomcat${major}.exe`)?.roles).toContain('web-server');
    expect(findEntry('java.exe')?.roles).toEqual(expect.arrayContaining(['web-server', 'not-rule-parent-name']));
    for (const path of findEntry('sqlservr.exe')?.paths ?? [])
      expect(path).toMatch(/\\Microsoft SQL Server\\MSSQL\d+(_\d+)?\.[A-Z]+\\MSSQL\\Binn\\sqlservr\.exe$/);
    expect(WEB_SERVERS.every((entry) => entry.runsAs !== undefined && entry.launchedBy !== undefined)).toBe(true);
  });
});

describe('selectors', () => {
  it('select by names or tags, minus exclusions, in catalogue order', () => {
    expect(selectEntries({ names: ['PING.EXE', 'cmd.exe'] }).map((entry) => entry.name)).toEqual([
      'cmd.exe',
      'ping.exe',
    ]);
    const shells = selectEntries({ tags: ['shell'], exclude: ['mshta.exe'] }).map((entry) => entry.name);
    expect(shells).toContain('powershell.exe');
    expect(shells).not.toContain('mshta.exe');
    expect(selectEntries({ names: ['w3wp.exe'], tags: ['shell'] }).map((entry) => entry.name)).toContain('w3wp.exe');
    expect(selectEntries({})).toHaveLength(CATALOG.length);
  });

  it('report unknown names and tags, and empty selections', () => {
    expect(describeSelectorProblems({ names: ['nosuch.exe'], tags: ['nosuch' as never] })).toEqual([
      'unknown catalogue name "nosuch.exe"',
      'unknown role tag "nosuch"',
    ]);
    expect(describeSelectorProblems({ names: ['cmd.exe'], exclude: ['cmd.exe'] })).toEqual([
      'the selector matches no entry',
    ]);
    expect(() => selectEntries({ exclude: ['nosuch.exe'] })).toThrow(/unknown catalogue name/);
  });
});
