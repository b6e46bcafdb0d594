import { describe, expect, it } from 'vitest';
import { matches, selection } from './rule-fixture.js';

describe('field values (spec "General", "Special Field Values")', () => {
  it('compares whole values by default, case-insensitively', () => {
    const rule = selection('Image', "'C:\\Windows\\System32\\cmd.exe'");
    expect(matches(rule, { Image: 'c:\\windows\\system32\\CMD.exe' })).toBe(true);
    expect(matches(rule, { Image: 'C:\\Windows\\System32\\cmd.exe ' })).toBe(false);
    expect(matches(rule, { Image: 'x C:\\Windows\\System32\\cmd.exe' })).toBe(false);
  });

  it('folds Unicode case', () => {
    expect(matches(selection('Name', "'STRASSE'"), { Name: 'straße' })).toBe(true);
    expect(matches(selection('Name', "'ΟΔΟΣ'"), { Name: 'οδοσ' })).toBe(true);
    expect(matches(selection('Name|startswith', "'ΟΔΟΣ'"), { Name: 'οδοσα' })).toBe(true);
    expect(matches(selection('Name', "'Ärger'"), { Name: 'ÄRGER' })).toBe(true);
    expect(matches(selection('Name', "'Ärger'"), { Name: 'Arger' })).toBe(false);
  });

  it('null matches a missing field or a null value, nothing else', () => {
    const rule = selection('PasswordLastSet', 'null');
    expect(matches(rule, {})).toBe(true);
    expect(matches(rule, { PasswordLastSet: null })).toBe(true);
    expect(matches(rule, { PasswordLastSet: '' })).toBe(false);
    expect(matches(rule, { PasswordLastSet: 'null' })).toBe(false);
  });

  it("'' matches the empty string only", () => {
    const rule = selection('CommandLine', "''");
    expect(matches(rule, { CommandLine: '' })).toBe(true);
    expect(matches(rule, {})).toBe(false);
    expect(matches(rule, { CommandLine: ' ' })).toBe(false);
  });

  it('an empty list is a null test, as in pySigma', () => {
    const rule = selection('PasswordLastSet', '[]');
    expect(matches(rule, {})).toBe(true);
    expect(matches(rule, { PasswordLastSet: 'x' })).toBe(false);
  });

  it('numbers match numbers and numeric strings', () => {
    const rule = selection('EventID', '4688');
    expect(matches(rule, { EventID: 4688 })).toBe(true);
    expect(matches(rule, { EventID: '4688' })).toBe(true);
    expect(matches(rule, { EventID: ' 4688 ' })).toBe(true);
    expect(matches(rule, { EventID: 4689 })).toBe(false);
    expect(matches(rule, { EventID: '4688x' })).toBe(false);
  });

  it('a string value matches a number field by its text', () => {
    expect(matches(selection('EventID', "'4688'"), { EventID: 4688 })).toBe(true);
    expect(matches(selection('EventID', "'46*'"), { EventID: 4688 })).toBe(true);
    expect(matches(selection('EventID', "'47*'"), { EventID: 4688 })).toBe(false);
  });

  it('a hex number in the rule (YAML reads 0x3e7 as 999) matches the hex text Windows writes', () => {
    expect(matches(selection('LogonId', '0x3e7'), { LogonId: '0x3E7' })).toBe(true);
    expect(matches(selection('LogonId', '0x3e7'), { LogonId: '0x3e8' })).toBe(false);
  });

  it('booleans match booleans and their text', () => {
    const rule = selection('Enabled', 'true');
    expect(matches(rule, { Enabled: true })).toBe(true);
    expect(matches(rule, { Enabled: 'TRUE' })).toBe(true);
    expect(matches(rule, { Enabled: false })).toBe(false);
    expect(matches(rule, { Enabled: 'yes' })).toBe(false);
  });

  it('a list of values is an OR', () => {
    const rule = selection('Image|endswith', "['\\cmd.exe', '\\powershell.exe']");
    expect(matches(rule, { Image: 'C:\\x\\powershell.exe' })).toBe(true);
    expect(matches(rule, { Image: 'C:\\x\\pwsh.exe' })).toBe(false);
  });

  it('a list-valued field matches when any element does', () => {
    const rule = selection('Tags|contains', "'admin'");
    expect(matches(rule, { Tags: ['users', 'domain admins'] })).toBe(true);
    expect(matches(rule, { Tags: ['users', 'guests'] })).toBe(false);
    expect(matches(selection('Ports', '443'), { Ports: [80, 443] })).toBe(true);
  });

  it('an object-valued field does not match a string', () => {
    expect(matches(selection('Data', "'x'"), { Data: { Name: 'x' } })).toBe(false);
  });

  it('does not read inherited properties as fields', () => {
    expect(matches(selection('constructor|contains', "'function'"), {})).toBe(false);
  });
});

describe('keyword searches (spec "Keywords search")', () => {
  it('look for each keyword in every field value, OR-linked', () => {
    const rule = "keywords:\n  - 'event::clear'\n  - 'event::drop'\ncondition: keywords";
    expect(matches(rule, { Message: 'mimikatz # EVENT::Clear' })).toBe(true);
    expect(matches(rule, { A: 'x', B: 'privilege::debug event::drop' })).toBe(true);
    expect(matches(rule, { Message: 'event:: clear' })).toBe(false);
  });

  it('reach into lists and nested objects, and numbers', () => {
    const rule = "keywords:\n  - 'secret'\n  - 31337\ncondition: keywords";
    expect(matches(rule, { Data: { Inner: ['a', 'top SECRET'] } })).toBe(true);
    expect(matches(rule, { Port: 31337 })).toBe(true);
    expect(matches(rule, { Data: { Inner: ['a'] }, Port: 80 })).toBe(false);
  });

  it('do not match field names', () => {
    expect(matches("keywords:\n  - 'secret'\ncondition: keywords", { secret: 'x' })).toBe(false);
  });

  it('a single keyword written as a plain value', () => {
    expect(matches("kw: 'needle'\ncondition: kw", { A: 'haystack with needle' })).toBe(true);
  });
});

describe('maps and lists of maps (spec "Maps", "Lists")', () => {
  it('a map is an AND', () => {
    const rule = "selection:\n  EventID: 4738\n  PasswordLastSet: null\ncondition: selection";
    expect(matches(rule, { EventID: 4738 })).toBe(true);
    expect(matches(rule, { EventID: 4738, PasswordLastSet: '%%1794' })).toBe(false);
    expect(matches(rule, { EventID: 4737 })).toBe(false);
  });

  it('a list of maps is an OR of ANDs', () => {
    const rule = "selection:\n  - Image|endswith: '\\example.exe'\n  - Description|contains: 'Test executable'\n    Company: ACME\ncondition: selection";
    expect(matches(rule, { Image: 'C:\\example.exe' })).toBe(true);
    expect(matches(rule, { Description: 'A Test executable', Company: 'acme' })).toBe(true);
    expect(matches(rule, { Description: 'A Test executable', Company: 'other' })).toBe(false);
  });
});
