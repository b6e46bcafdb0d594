import { describe, expect, it } from 'vitest';
import { codesOf, matches, selection } from '../compile/rule-fixture.js';

describe('contains / startswith / endswith', () => {
  it('contains matches the value anywhere, case-insensitively', () => {
    const rule = selection('CommandLine|contains', "'Invoke-Mimikatz'");
    expect(matches(rule, { CommandLine: 'powershell -c invoke-mimikatz -dump' })).toBe(true);
    expect(matches(rule, { CommandLine: 'powershell -c Invoke-Mimi' })).toBe(false);
  });

  it('startswith anchors at the beginning only', () => {
    const rule = selection('Image|startswith', "'C:\\Windows\\'");
    expect(matches(rule, { Image: 'c:\\windows\\system32\\cmd.exe' })).toBe(true);
    expect(matches(rule, { Image: 'D:\\C:\\Windows\\x.exe' })).toBe(false);
  });

  it('endswith anchors at the end only', () => {
    const rule = selection('Image|endswith', "'\\cmd.exe'");
    expect(matches(rule, { Image: 'C:\\Windows\\System32\\CMD.EXE' })).toBe(true);
    expect(matches(rule, { Image: 'C:\\Windows\\System32\\cmd.exe.bak' })).toBe(false);
  });

  it('keeps wildcards inside the value', () => {
    const rule = selection('CommandLine|contains', "'net * /add'");
    expect(matches(rule, { CommandLine: 'cmd /c net user bob pw /add' })).toBe(true);
    expect(matches(rule, { CommandLine: 'cmd /c net user bob pw /del' })).toBe(false);
  });

  it('applies to field references', () => {
    const rule = selection('CommandLine|fieldref|contains', 'Image');
    expect(matches(rule, { CommandLine: '"C:\\x\\a.exe" -run', Image: 'c:\\x\\A.exe' })).toBe(true);
    expect(matches(rule, { CommandLine: 'other', Image: 'c:\\x\\A.exe' })).toBe(false);
  });

  it('refuses numbers, regexes and networks', () => {
    expect(codesOf(selection('EventID|contains', '4688'))).toContain('modifier/incompatible');
    expect(codesOf(selection('CommandLine|re|contains', "'a.*b'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('Ip|cidr|startswith', "'10.0.0.0/8'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('CommandLine|contains', "'fine'"))).toEqual([]);
  });
});

describe('all', () => {
  it('AND-links the values', () => {
    const rule = selection('CommandLine|contains|all', "['-nop', '-enc']");
    expect(matches(rule, { CommandLine: 'powershell -nop -w hidden -enc AAAA' })).toBe(true);
    expect(matches(rule, { CommandLine: 'powershell -nop -w hidden' })).toBe(false);
  });

  it('warns on a single value and on whole-value matching', () => {
    expect(codesOf(selection('CommandLine|contains|all', "'x'"))).toContain('modifier/all-single-value');
    expect(codesOf(selection('CommandLine|all', "['a', 'b']"))).toContain('modifier/all-without-contains');
    expect(codesOf(selection('CommandLine|contains|all', "['a', 'b']"))).toEqual([]);
  });

  it('keyword lists with |all need every keyword', () => {
    const rule = "keywords:\n  '|all':\n    - 'OabVirtualDirectory'\n    - ' -ExternalUrl '\ncondition: keywords";
    expect(matches(rule, { Payload: 'Set-OabVirtualDirectory -ExternalUrl http://x' })).toBe(true);
    expect(matches(rule, { Payload: 'Set-OabVirtualDirectory', Other: 'x -ExternalUrl y' })).toBe(true);
    expect(matches(rule, { Payload: 'Set-OabVirtualDirectory' })).toBe(false);
  });
});

describe('cased', () => {
  it('matches case-sensitively', () => {
    const rule = selection('CommandLine|contains|cased', "'FromBase64String'");
    expect(matches(rule, { CommandLine: '[Convert]::FromBase64String($x)' })).toBe(true);
    expect(matches(rule, { CommandLine: '[convert]::frombase64string($x)' })).toBe(false);
  });

  it('is refused on regexes (already case-sensitive)', () => {
    expect(codesOf(selection('CommandLine|re|cased', "'x'"))).toContain('modifier/incompatible');
  });
});
