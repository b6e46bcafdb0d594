import { describe, expect, it } from 'vitest';
import { codesOf, matches, selection } from '../compile/rule-fixture.js';

describe('exists', () => {
  it('tests presence, whatever the value', () => {
    const present = selection('PasswordLastSet|exists', 'true');
    const absent = selection('PasswordLastSet|exists', 'false');
    expect(matches(present, { PasswordLastSet: '' })).toBe(true);
    expect(matches(present, { PasswordLastSet: null })).toBe(true);
    expect(matches(present, { Other: 'x' })).toBe(false);
    expect(matches(absent, { Other: 'x' })).toBe(true);
    expect(matches(absent, { PasswordLastSet: 'x' })).toBe(false);
  });

  it('needs a boolean, a field and the first place in the chain', () => {
    expect(codesOf(selection('Field|exists', "'yes'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('Field|contains|exists', 'true'))).toContain('modifier/incompatible');
    expect(codesOf("kw:\n  '|exists': true\ncondition: kw")).toContain('modifier/incompatible');
  });
});

describe('gt, gte, lt, lte', () => {
  it.each([
    ['gt', 10, false, 11, true],
    ['gte', 10, true, 9, false],
    ['lt', 10, false, 9, true],
    ['lte', 10, true, 11, false],
  ] as const)('%s 10', (op, first, firstExpected, second, secondExpected) => {
    const rule = selection(`Count|${op}`, '10');
    expect(matches(rule, { Count: first })).toBe(firstExpected);
    expect(matches(rule, { Count: second })).toBe(secondExpected);
  });

  it('reads numeric strings and ignores other text', () => {
    const rule = selection('Count|gt', '10');
    expect(matches(rule, { Count: '11' })).toBe(true);
    expect(matches(rule, { Count: '0x20' })).toBe(true);
    expect(matches(rule, { Count: 'eleven' })).toBe(false);
    expect(matches(rule, {})).toBe(false);
  });

  it('needs a number', () => {
    expect(codesOf(selection('Count|gt', "'10'"))).toContain('modifier/incompatible');
  });
});

describe('neq', () => {
  it('matches when the field differs from every value', () => {
    const rule = selection('User|neq', "['SYSTEM', 'LOCAL SERVICE']");
    expect(matches(rule, { User: 'bob' })).toBe(true);
    expect(matches(rule, { User: 'system' })).toBe(false);
    expect(matches(rule, { User: 'local service' })).toBe(false);
  });

  it('counts a missing field as different (pySigma negates the item)', () => {
    expect(matches(selection('User|neq', "'SYSTEM'"), {})).toBe(true);
  });

  it('works with numbers and field references', () => {
    expect(matches(selection('EventID|neq', '4688'), { EventID: 4689 })).toBe(true);
    expect(matches(selection('EventID|neq', '4688'), { EventID: '4688' })).toBe(false);
    const differs = selection('TargetUser|fieldref|neq', 'SubjectUser');
    expect(matches(differs, { TargetUser: 'bob', SubjectUser: 'alice' })).toBe(true);
    expect(matches(differs, { TargetUser: 'bob', SubjectUser: 'BOB' })).toBe(false);
  });
});

describe('fieldref', () => {
  it('compares with another field of the same event', () => {
    const rule = selection('ParentImage|fieldref', 'Image');
    expect(matches(rule, { ParentImage: 'C:\\a.exe', Image: 'c:\\A.exe' })).toBe(true);
    expect(matches(rule, { ParentImage: 'C:\\a.exe', Image: 'C:\\b.exe' })).toBe(false);
    expect(matches(rule, { ParentImage: 'C:\\a.exe' })).toBe(false);
  });

  it('supports startswith and endswith', () => {
    expect(matches(selection('CommandLine|fieldref|startswith', 'Image'), { CommandLine: 'C:\\a.exe -x', Image: 'C:\\a.exe' })).toBe(true);
    expect(matches(selection('CommandLine|fieldref|endswith', 'Image'), { CommandLine: 'C:\\a.exe -x', Image: 'C:\\a.exe' })).toBe(false);
  });

  it('refuses wildcards in the referenced name', () => {
    expect(codesOf(selection('A|fieldref', "'Im*'"))).toContain('modifier/incompatible');
  });
});

describe('time modifiers', () => {
  const time = '2024-12-30T23:05:09.123Z';

  it.each([
    ['minute', 5, 6],
    ['hour', 23, 22],
    ['day', 30, 31],
    ['week', 1, 52],
    ['month', 12, 1],
    ['year', 2024, 2025],
  ] as const)('%s extracts its part of the timestamp', (unit, yes, no) => {
    expect(matches(selection(`UtcTime|${unit}`, String(yes)), { UtcTime: time })).toBe(true);
    expect(matches(selection(`UtcTime|${unit}`, String(no)), { UtcTime: time })).toBe(false);
  });

  it('accepts a list (OR) and a space between date and time', () => {
    expect(matches(selection('UtcTime|hour', '[1, 2, 3]'), { UtcTime: '2024-05-01 02:00:00.000' })).toBe(true);
  });

  it('does not match a value without the part, or something that is not a date', () => {
    expect(matches(selection('UtcTime|hour', '0'), { UtcTime: '2024-05-01' })).toBe(false);
    expect(matches(selection('UtcTime|year', '2024'), { UtcTime: 'yesterday' })).toBe(false);
  });

  it('refuses strings and out-of-range numbers', () => {
    expect(codesOf(selection('UtcTime|hour', "'3'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('UtcTime|minute', '60'))).toContain('value/out-of-range');
  });
});
