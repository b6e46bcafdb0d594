import { describe, expect, it } from 'vitest';
import {
  applyCasing,
  computeShortName,
  describeWindowsPathProblem,
  extractDirectory,
  extractFileName,
  isWindowsPath,
  splitWindowsPath,
} from '../../../generators/paths.js';

describe('computeShortName', () => {
  it('gives NTFS 8.3 names to long folder names, none to names that already fit', () => {
    expect(computeShortName('Program Files')).toBe('PROGRA~1');
    expect(computeShortName('Program Files (x86)')).toBe('PROGRA~2');
    expect(computeShortName('WindowsPowerShell')).toBe('WINDOW~1');
    expect(computeShortName('Microsoft.NET')).toBe('MICROS~1.NET');
    expect(computeShortName('Tomcat 9.0')).toBe('TOMCAT~1.0');
    expect(computeShortName('Apache Software Foundation', 2)).toBe('APACHE~2');
    expect(computeShortName('a+b;c=d[e]')).toBe('A_B_C_~1');
    for (const fits of ['Windows', 'System32', 'inetsrv', 'Apache2.2', 'bin', 'w3wp.exe'])
      expect(computeShortName(fits)).toBeUndefined();
  });
});

describe('splitWindowsPath', () => {
  it('recognises drive, \\\\?\\, \\??\\ and UNC roots', () => {
    expect(splitWindowsPath('C:\\Windows\\System32\\cmd.exe')).toEqual({
      root: 'C:',
      kind: 'drive',
      rootNames: [],
      segments: ['Windows', 'System32', 'cmd.exe'],
      trailingSeparator: false,
    });
    expect(splitWindowsPath('\\\\?\\c:\\inetpub\\')).toMatchObject({
      kind: 'extended-drive',
      segments: ['inetpub'],
      trailingSeparator: true,
    });
    expect(splitWindowsPath('\\??\\C:\\Windows\\system32\\conhost.exe')).toMatchObject({ kind: 'nt-drive' });
    expect(splitWindowsPath('\\\\fs01\\tools\\nc.exe')).toMatchObject({
      kind: 'unc',
      rootNames: ['fs01', 'tools'],
      segments: ['nc.exe'],
    });
    expect(splitWindowsPath('\\\\?\\UNC\\fs01\\C$\\x.exe')).toMatchObject({
      kind: 'extended-unc',
      rootNames: ['fs01', 'C$'],
    });
    expect(splitWindowsPath('cmd.exe')).toBeUndefined();
    expect(splitWindowsPath('C:Windows')).toBeUndefined();
  });
});

describe('describeWindowsPathProblem', () => {
  it('accepts real paths, with spaces, parentheses, ampersands and non-ASCII names', () => {
    for (const path of [
      'C:\\Program Files (x86)\\Apache Software Foundation\\Tomcat 9.0\\bin\\tomcat9.exe',
      'c:\\windows\\system32\\',
      '\\\\127.0.0.1\\C$\\Windows\\R&D\\新建文件夹\\a b.txt',
      '\\\\?\\C:\\PROGRA~1\\x.exe',
    ]) {
      expect(describeWindowsPathProblem(path)).toBeUndefined();
    }
  });

  it('names what is wrong with invalid paths', () => {
    expect(describeWindowsPathProblem('C:\\a\\\\b')).toMatch(/empty name/);
    expect(describeWindowsPathProblem('C:\\a<b\\c')).toMatch(/reserved character/);
    expect(describeWindowsPathProblem('C:\\a\\b.')).toMatch(/ends with a space or a period/);
    expect(describeWindowsPathProblem('C:\\temp\\CON.txt')).toMatch(/reserved device name/);
    expect(describeWindowsPathProblem('C:\\temp\\lpt1')).toMatch(/reserved device name/);
    expect(describeWindowsPathProblem('C:\\a\\..\\b')).toMatch(/relative segment/);
    expect(describeWindowsPathProblem(`C:\\${'a'.repeat(256)}`)).toMatch(/longer than 255/);
    expect(describeWindowsPathProblem('relative\\path')).toMatch(/no drive/);
    expect(describeWindowsPathProblem('\\\\srv\\sh|are\\x')).toMatch(/reserved character/);
    expect(isWindowsPath('C:\\a\tb')).toBe(false);
  });
});

describe('applyCasing', () => {
  it('keeps, lowers, uppers or mixes by mask', () => {
    expect(applyCasing('Program Files', 'keep')).toBe('Program Files');
    expect(applyCasing('Program Files', 'lower')).toBe('program files');
    expect(applyCasing('Program Files', 'upper')).toBe('PROGRAM FILES');
    expect(applyCasing('abcd', 0b0101)).toBe('AbCd');
  });
});

describe('extractFileName and extractDirectory', () => {
  it('split a path at its last backslash', () => {
    expect(extractFileName('C:\\Windows\\System32\\PING.EXE')).toBe('PING.EXE');
    expect(extractDirectory('C:\\Windows\\System32\\PING.EXE')).toBe('C:\\Windows\\System32\\');
  });
});
