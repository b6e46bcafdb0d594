import { describe, expect, it } from 'vitest';
import { describeHashes, findEntry } from '../../../generators/catalog/index.js';
import { createIdentifier } from '../../../src/harness/identify-process.js';

const identify = createIdentifier([{ name: 'chopper-renamed', of: 'cmd.exe (renamed)', arguments: ['&echo [S]&cd&echo [E]'] }]);

describe('identifying a process by what its file is', () => {
  it('takes a file at its name when its version resource agrees (Tomcat runners are all prunsrv.exe inside)', () => {
    expect(identify({ image: 'C:\\Tomcat 9.0\\bin\\tomcat9.exe', originalFileName: 'prunsrv.exe' })).toEqual({ identity: 'tomcat9.exe' });
    expect(identify({ image: 'C:\\Windows\\System32\\cmd.exe', originalFileName: 'Cmd.Exe' })).toEqual({ identity: 'cmd.exe' });
  });

  it('tells a renamed copy by its OriginalFileName or its hashes, under any name', () => {
    expect(identify({ image: 'C:\\Users\\Public\\x.exe', originalFileName: 'whoami.exe' })).toEqual({ identity: 'whoami.exe (renamed)' });
    // Masquerading as another catalogue program: its content says cmd.exe.
    expect(identify({ image: 'C:\\Windows\\Temp\\svchost.exe', originalFileName: 'Cmd.Exe' })).toEqual({ identity: 'cmd.exe (renamed)' });
    const cmd = findEntry('cmd.exe');
    expect(identify({ image: 'C:\\Windows\\Temp\\c.exe', originalFileName: '-', hashes: describeHashes(cmd, 'C:\\Windows\\SysWOW64\\cmd.exe') })).toEqual({ identity: 'cmd.exe (renamed)' });
    // A renamed copy's variants apply as to any entry.
    expect(identify({ image: 'C:\\Windows\\Temp\\c.exe', originalFileName: 'Cmd.Exe', commandLine: 'c.exe /c cd /d "C:\\"&whoami&echo [S]&cd&echo [E]' })).toEqual({ identity: 'chopper-renamed' });
  });

  it('names a copy of a program that has no renamed entry, which no space selects', () => {
    expect(identify({ image: 'C:\\Tools\\ipc.exe', originalFileName: 'ipconfig.exe' })).toEqual({ identity: 'ipconfig.exe renamed as ipc.exe' });
  });

  it('keeps what it cannot tell: an unknown program without a version resource is itself', () => {
    expect(identify({ image: 'C:\\Python27\\python.exe', originalFileName: '?' })).toEqual({ identity: 'python.exe' });
    expect(identify({ image: 'C:\\Windows\\Temp\\c.exe' })).toEqual({ identity: 'c.exe' });
  });
});
