import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../generators/catalog/index.js';
import {
  commandLine,
  composeCommandLine,
  fillCommandLine,
  formatArgv0,
  quoteArgument,
  splitCommandLine,
} from '../../../generators/command-lines.js';

describe('splitCommandLine', () => {
  it('follows the C runtime rules for quotes and backslashes', () => {
    expect(splitCommandLine('"C:\\Program Files\\PHP\\php-cgi.exe" -b 127.0.0.1:9000')).toEqual([
      'C:\\Program Files\\PHP\\php-cgi.exe',
      '-b',
      '127.0.0.1:9000',
    ]);
    expect(splitCommandLine('a "b c" d')).toEqual(['a', 'b c', 'd']);
    expect(splitCommandLine('a \\\\\\"b c')).toEqual(['a', '\\"b', 'c']);
    expect(splitCommandLine('a "b\\\\" c')).toEqual(['a', 'b\\', 'c']);
    expect(splitCommandLine('a "b""c" d')).toEqual(['a', 'b"c', 'd']);
    expect(splitCommandLine('C:\\dir\\x.exe  \t two')).toEqual(['C:\\dir\\x.exe', 'two']);
    expect(splitCommandLine('')).toEqual([]);
  });

  it('reads back any arguments quoteArgument wrote', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ' ', '\t', '"', '\\', 'é', '&') })), (args) => {
        expect(splitCommandLine(['prog.exe', ...args.map(quoteArgument)].join(' ')).slice(1)).toEqual(args);
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatArgv0', () => {
  it('quotes paths with spaces in every style', () => {
    const spaced = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
    expect(formatArgv0(spaced, 'path')).toBe(`"${spaced}"`);
    expect(formatArgv0(spaced, 'quoted-path')).toBe(`"${spaced}"`);
    expect(formatArgv0(spaced, 'name')).toBe('pwsh.exe');
    expect(formatArgv0('C:\\Windows\\system32\\net1.exe', 'path-no-extension')).toBe('C:\\Windows\\system32\\net1');
    expect(formatArgv0('C:\\Windows\\System32\\cmd.exe', 'bare-name')).toBe('cmd');
    expect(formatArgv0('C:\\Windows\\System32\\conhost.exe', 'nt-path')).toBe(
      '\\??\\C:\\Windows\\System32\\conhost.exe',
    );
  });

  it('leaves two spaces after net1, as net.exe starts it', () => {
    expect(composeCommandLine('C:\\Windows\\system32\\net1.exe', { style: 'path-no-extension', args: 'user' })).toBe(
      'C:\\Windows\\system32\\net1  user',
    );
  });
});

describe('fillCommandLine', () => {
  it('resolves every token', () => {
    expect(
      fillCommandLine('-p {ppid} {pid} -ap "{apppool}" -s{instance}', {
        pid: 8,
        parentPid: 12,
        appPool: 'DefaultAppPool',
        instance: 'SQLEXPRESS',
      }),
    ).toBe('-p 12 8 -ap "DefaultAppPool" -sSQLEXPRESS');
  });
});

describe('commandLine', () => {
  it("starts every catalogue entry's command line with its image, quoted when the path has spaces", () => {
    for (const entry of CATALOG) {
      for (const image of entry.paths) {
        for (const line of fc.sample(commandLine(entry.name, image), { seed: 1, numRuns: 20 })) {
          const argv0 = splitCommandLine(line)[0] ?? '';
          const bare = argv0.replace(/^\\\?\?\\/, '');
          expect(image === bare || image.endsWith(`\\${bare}`) || image.replace(/\.exe$/i, '').endsWith(bare)).toBe(
            true,
          );
          if (bare.includes(' ')) expect(line.startsWith('"')).toBe(true);
        }
      }
    }
  });

  it("gives web shells' favourite tools realistic arguments", () => {
    const cmd = fc.sample(commandLine('cmd.exe', 'C:\\Windows\\System32\\cmd.exe'), { seed: 2, numRuns: 300 });
    expect(cmd.some((line) => /\/c "cd \/d ".+"&.+"$/.test(line))).toBe(true);
    // China Chopper's [S]/[E] wrapping is a rule's business: specs name it as a variant, so plain cmd.exe never carries it.
    expect(cmd.some((line) => line.includes('echo [S]'))).toBe(false);
    expect(cmd.some((line) => / \/c whoami$/.test(line))).toBe(true);
    const powershell = fc.sample(
      commandLine('powershell.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'),
      { seed: 2, numRuns: 300 },
    );
    const encoded = powershell
      .map((line) => / -(?:enc|EncodedCommand|e|ec) (\S+)$/.exec(line)?.[1])
      .find((value) => value !== undefined);
    expect(Buffer.from(encoded ?? '', 'base64').toString('utf16le').length).toBeGreaterThan(3);
    const csc = fc.sample(commandLine('csc.exe', 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe'), {
      seed: 2,
      numRuns: 5,
    });
    for (const line of csc)
      expect(line).toMatch(
        /^"C:\\Windows\\Microsoft\.NET\\Framework64\\v4\.0\.30319\\csc\.exe" \/noconfig \/fullpaths @".+\\Temporary ASP\.NET Files\\.+\.cmdline"$/,
      );
    const tomcat = fc.sample(
      commandLine('tomcat9.exe', 'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\tomcat9.exe'),
      { seed: 2, numRuns: 1 },
    );
    expect(tomcat[0]).toBe(
      '"C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\tomcat9.exe" //RS//Tomcat9',
    );
  });
});
