import { describe, expect, it } from 'vitest';
import { detectionFields } from '../../../src/model/rule-fields.js';
import { compileValid } from '../compile/rule-fixture.js';

describe('detectionFields', () => {
  const rule = compileValid(`sel:
  ParentImage|endswith: '\\w3wp.exe'
  Image|endswith:
    - '\\cmd.exe'
    - '\\powershell.exe'
same:
  User|fieldref: TargetUser
other:
  - CommandLine|contains: whoami
  - Image|contains: net
keywords:
  - mimikatz
condition: (sel or other) and not same or keywords`).rule;

  it('names each field the detection names once, in order of first appearance, keywords naming none', () => {
    expect(detectionFields(rule)).toEqual(['ParentImage', 'Image', 'User', 'CommandLine']);
  });

  it('adds the fields |fieldref values compare with when asked', () => {
    expect(detectionFields(rule, { fieldRefs: true })).toEqual(['ParentImage', 'Image', 'User', 'TargetUser', 'CommandLine']);
  });
});
