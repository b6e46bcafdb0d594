import { describe, expect, it } from 'vitest';
import { splitPlaceholders } from '../../../src/modifiers/expand.js';
import { buildRule, matches, selection } from '../compile/rule-fixture.js';

const placeholders = new Map([
  ['Admins', ['Administrator', 'adm-*']],
  ['Domains', ['CORP', 'LAB']],
]);

describe('expand', () => {
  it('splits placeholders and honours \\% as a plain percent sign (spec "Placeholders")', () => {
    expect(splitPlaceholders('\\%plain%name%')).toEqual([
      { kind: 'text', text: '%plain' },
      { kind: 'placeholder', name: 'name' },
    ]);
  });

  it('replaces a placeholder with each configured value (wildcards allowed)', () => {
    const rule = selection('User|expand', "'%Admins%'");
    expect(matches(rule, { User: 'administrator' }, { placeholders })).toBe(true);
    expect(matches(rule, { User: 'adm-bob' }, { placeholders })).toBe(true);
    expect(matches(rule, { User: 'bob' }, { placeholders })).toBe(false);
  });

  it('combines several placeholders in one value', () => {
    const rule = selection('User|expand', "'%Domains%/%Admins%'");
    expect(matches(rule, { User: 'LAB/adm-x' }, { placeholders })).toBe(true);
    expect(matches(rule, { User: 'HOME/adm-x' }, { placeholders })).toBe(false);
  });

  it('reads a backslash before % as an escape even after \\ (pySigma parses escapes first)', () => {
    const rule = selection('User|expand', "'%Domains%\\\\%Admins%'");
    expect(matches(rule, { User: 'LAB%Admins%' }, { placeholders })).toBe(true);
    expect(matches(rule, { User: 'LAB\\Administrator' }, { placeholders })).toBe(false);
  });

  it('leaves %name% literal without expand', () => {
    const rule = selection('User', "'%Admins%'");
    expect(matches(rule, { User: '%admins%' }, { placeholders })).toBe(true);
    expect(matches(rule, { User: 'Administrator' }, { placeholders })).toBe(false);
  });

  it('expands inside regular expressions', () => {
    const rule = selection('User|re|expand', "'^%Domains%\\\\'");
    expect(matches(rule, { User: 'CORP\\bob' }, { placeholders })).toBe(true);
    expect(matches(rule, { User: 'HOME\\bob' }, { placeholders })).toBe(false);
  });

  it('rejects a rule whose placeholder has no values, at the value', () => {
    const { compiled, diagnostics } = buildRule(selection('User|expand', "'%Nobody%'"), { placeholders });
    expect(compiled).toBeUndefined();
    expect(diagnostics).toMatchObject([{ code: 'value/unknown-placeholder', line: 9, column: 18 }]);
  });

  it('uses config/placeholders.yml by default', () => {
    expect(matches(selection('User|expand', "'%Administrators%'"), { User: 'administrator' })).toBe(true);
  });
});
