import { describe, expect, it } from 'vitest';
import { compileFieldRule } from '../../../src/mapping/mapping.js';
import { convertHexToDecimal, convertIntegrityLevel, FIELD_CONVERTERS } from '../../../src/mapping/field-converters.js';
import type { EventRecord, FieldValue } from '../../../src/compile/event-record.js';

const eventOf = (fields: Record<string, FieldValue>): EventRecord => ({
  file: 'f',
  index: 0,
  get: (name) => fields[name],
  fieldNames: () => Object.keys(fields),
});

describe('field converters', () => {
  it('converts hex process ids to decimal text, leaving other values alone', () => {
    expect(convertHexToDecimal('0x2bc')).toBe('700');
    expect(convertHexToDecimal('0X000001FC')).toBe('508');
    expect(convertHexToDecimal('0xffffffffffffffff')).toBe('18446744073709551615');
    expect(convertHexToDecimal('700')).toBe('700');
    expect(convertHexToDecimal(700)).toBe('700');
    expect(convertHexToDecimal('0xzz')).toBe('0xzz');
    expect(convertHexToDecimal('')).toBe('');
    expect(convertHexToDecimal(null)).toBeNull();
  });

  it('names the four mandatory integrity levels and keeps the SID beside the name', () => {
    expect(convertIntegrityLevel('S-1-16-4096')).toEqual(['Low', 'S-1-16-4096']);
    expect(convertIntegrityLevel('S-1-16-8192')).toEqual(['Medium', 'S-1-16-8192']);
    expect(convertIntegrityLevel('S-1-16-12288')).toEqual(['High', 'S-1-16-12288']);
    expect(convertIntegrityLevel('S-1-16-16384')).toEqual(['System', 'S-1-16-16384']);
    expect(convertIntegrityLevel('S-1-16-20480')).toBe('S-1-16-20480');
    expect(convertIntegrityLevel('High')).toBe('High');
  });

  it('registers each converter under its schema name', () => {
    expect(Object.keys(FIELD_CONVERTERS).sort()).toEqual(['hex-to-decimal', 'integrity-level']);
  });
});

describe('compileFieldRule', () => {
  const event = eventOf({ A: 'a', B: 'b', Empty: '', Hex: '0x10', N: 3 });

  it('renames, converts lazily and joins present parts', () => {
    expect(compileFieldRule({ kind: 'rename', from: 'A' })(event)).toBe('a');
    expect(compileFieldRule({ kind: 'rename', from: 'Missing' })(event)).toBeUndefined();
    expect(compileFieldRule({ kind: 'convert', from: 'Hex', convert: 'hex-to-decimal' })(event)).toBe('16');
    expect(compileFieldRule({ kind: 'convert', from: 'Missing', convert: 'hex-to-decimal' })(event)).toBeUndefined();
    expect(compileFieldRule({ kind: 'join', parts: ['A', 'B'], separator: '\\' })(event)).toBe('a\\b');
    expect(compileFieldRule({ kind: 'join', parts: ['Empty', 'B', 'Missing', 'N'], separator: '\\' })(event)).toBe('b\\3');
    expect(compileFieldRule({ kind: 'join', parts: ['Missing', 'Empty'], separator: '\\' })(event)).toBeUndefined();
  });
});
