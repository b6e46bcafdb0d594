import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/load/yaml.js';
import type { SigmaDocumentKind } from '../../../src/model/rule.js';
import { explainSchemaErrors, labelPath } from '../../../src/validate/schema-messages.js';
import { getSchemaValidators } from '../../../src/validate/sigma-schemas.js';

function explain(text: string, kind: SigmaDocumentKind = 'detection'): string[] {
  const [document] = parseYaml(text, 'x.yml').documents;
  if (!document) throw new Error('no document');
  const validate = getSchemaValidators()[kind];
  validate(document.value);
  return explainSchemaErrors(validate.errors ?? [], document, 'x.yml', kind).map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
}

describe('explainSchemaErrors', () => {
  it('reports the missing fields of one mapping together, at the mapping', () => {
    expect(explain('status: test\n')).toEqual([
      "1:1 schema/required the rule is missing the required fields 'title' (a brief title of what is detected), 'logsource' (the log data the rule applies to) and 'detection' (the search identifiers and the condition)",
    ]);
  });

  it('gives one error per place: a wrong type hides the alternatives tried', () => {
    const text = 'title: t\nlogsource: {product: windows}\ndetection:\n    s: true\n    condition: [s, 1]\n';
    expect(explain(text)).toEqual([
      "4:8 schema/type 'detection.s' must be a mapping of fields to values, a list of keywords or of such mappings, or a single keyword; got true",
      "5:20 schema/type 'detection.condition[1]' must be text; got the number 1",
    ]);
  });

  it('points unknown fields at their key and suggests the field meant', () => {
    const text = 'title: t\ncorrelation:\n    type: temporal\n    rules: [a]\n    timespan: 1h\n    timespn: 2h\n';
    expect(explain(text, 'correlation')).toEqual([
      "6:5 schema/additionalProperties 'timespn' is not a field of 'correlation'; did you mean 'timespan'? (allowed: type, rules, group-by, timespan, condition, aliases, generate)",
    ]);
  });

  it('says which alternative forms are allowed when none fits', () => {
    expect(explain('title: t\nlogsource:\n    definition: x\ndetection: {s: {a: 1}, condition: s}\n')).toEqual([
      "3:5 schema/anyOf 'logsource' must be a mapping naming at least one of category, product or service",
    ]);
  });

  it('suggests the allowed value closest to a misspelled one', () => {
    expect(explain('title: t\nlevel: Hihg\nlogsource: {product: windows}\ndetection: {s: {a: 1}, condition: s}\n')).toEqual([
      "2:8 schema/enum 'level' must be one of informational, low, medium, high or critical; got 'Hihg' (did you mean 'high'?)",
    ]);
  });

  it('requires value_* correlations to name their field, numbers in comparisons and a percentile up to 100', () => {
    const text = 'title: t\ncorrelation:\n    type: value_avg\n    rules: [a]\n    timespan: 1h\n    condition:\n        gt: "10"\n        percentile: 101\n';
    expect(explain(text, 'correlation')).toEqual([
      "6:5 schema/required 'correlation.condition' is missing the required field 'field' (the field whose values are aggregated)",
      "7:13 schema/type 'correlation.condition.gt' must be a number; got text '10'",
      "8:21 schema/maximum 'correlation.condition.percentile' must be at most 100; got 101",
    ]);
  });
});

describe('explainSchemaErrors on common slips', () => {
  it('says what an empty field should hold, and that lists may not be empty', () => {
    const text = 'title:\nrelated: []\nlogsource:\n    category:\n    product: windows\ndetection: {s: {a: 1}, condition: s}\n';
    expect(explain(text)).toEqual([
      "1:1 schema/type 'title' must be text; got null (an empty value)",
      "2:10 schema/minItems 'related' must not be an empty list",
      "4:5 schema/type 'logsource.category' must be a lowercase name made of letters, digits, _, . and - (such as process_creation); got null (an empty value)",
    ]);
  });

  it('reports a list where a value belongs, and a list nested in a keyword list', () => {
    const text = 'title: [a, b]\nlogsource: {product: windows}\ndetection:\n    k:\n        - [nested]\n    condition: k\n';
    expect(explain(text)).toEqual([
      "1:8 schema/type 'title' must be text; got a list",
      "5:11 schema/type 'detection.k[0]' must be a keyword (text or number) or a mapping of fields to values; got a list",
    ]);
  });
});

describe('labelPath', () => {
  it('writes paths the way rule authors read them', () => {
    expect(labelPath(['detection', 'selection', 0, 'Image|endswith'])).toBe('detection.selection[0].Image|endswith');
    expect(labelPath([])).toBe('');
  });
});
