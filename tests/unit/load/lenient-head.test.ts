import { describe, expect, it } from 'vitest';
import { readHeadLeniently } from '../../../src/load/lenient-head.js';

describe('readHeadLeniently', () => {
  it('reads title, id, level, status and tags of a rule whose YAML does not parse', () => {
    const text = "title: 'Broken: Rule'\nid: 5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e # comment\nstatus: test\ntags:\n  - attack.execution\n  - 'attack.t1059.001'\n  # a comment\nlogsource:\n\tcategory: x\nlevel: high\n";
    expect(readHeadLeniently(text)).toEqual({ title: 'Broken: Rule', id: '5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e', status: 'test', level: 'high', tags: ['attack.execution', 'attack.t1059.001'] });
    expect(readHeadLeniently('tags: [attack.t1003, "attack.credential-access"]\n').tags).toEqual(['attack.t1003', 'attack.credential-access']);
    expect(readHeadLeniently('')).toEqual({ tags: [] });
  });
});
