import type { RuleDescription } from '../report/sarif.js';
import { lintRegistry } from './lint-registry.js';

// Codes produced outside the lint registry: the YAML loader, the file walk, the schema and the parsers.
const KNOWN: ReadonlyMap<string, RuleDescription> = new Map([
  ['file/not-found', { summary: 'A path given to validate does not exist.', help: 'Check the path; it is resolved against the working directory.' }],
  ['file/unreadable', { summary: 'A file or folder could not be read.', help: 'Check its permissions and that it is a regular file or folder.' }],
  ['file/too-large', { summary: 'A rule file is too large to be a Sigma rule.', help: 'Rule files are small YAML documents; split or remove the file.' }],
  ['file/encoding', { summary: 'A rule file is not UTF-8 text.', help: 'Save the file as UTF-8 (the Sigma specification requires it).' }],
  ['file/empty', { summary: 'A rule file holds no Sigma document.', help: 'Write the rule into the file, or delete it.' }],
  ['file/hidden', { summary: 'A hidden rule file is not read by any dac command.', help: 'Every command skips hidden files in the folders it walks; rename the file (no leading dot) if it is a rule, or remove it.' }],
  ['file/symbolic-link', { summary: 'A symbolic link in the rules folder is not followed.', help: 'A link can reach out of the repository and git keeps it as a path, not as the rule; replace it with the rule file itself.' }],
  ['file/control-character-name', { summary: 'A rule file name holds control characters.', help: 'Rename the file: control characters in names break terminals, reports and line-based listings such as SHA256SUMS.' }],
  ['file/not-regular', { summary: 'A FIFO, socket or device sits in a walked folder.', help: 'A folder contributes regular files only; name the entry on its own to read it.' }],
  ['yaml/syntax', { summary: 'The file is not valid YAML.', help: 'Fix the YAML syntax at the position given (indentation, quotes, colons).' }],
  ['yaml/duplicate-key', { summary: 'A YAML mapping has the same key twice.', help: 'Keep one of the keys: YAML does not allow duplicates, and tools disagree on which one wins.' }],
  ['yaml/tab-indentation', { summary: 'YAML indentation uses a tab.', help: 'Indent with spaces (Sigma recommends 4).' }],
  ['yaml/alias', { summary: 'A YAML alias is invalid.', help: 'Define the anchor before the alias that refers to it.' }],
  ['yaml/alias-bomb', { summary: 'YAML aliases expand the document to an enormous size.', help: 'Sigma rules do not need aliases; write the values out.' }],
  ['yaml/too-deep', { summary: 'The YAML nests too deeply to be a Sigma rule.', help: 'Sigma rules nest only a few levels; check the indentation.' }],
  ['yaml/forbidden-key', { summary: 'A key that could pollute object prototypes (__proto__) was ignored.', help: 'Remove the key; it is never a Sigma field.' }],
  ['rule/not-a-mapping', { summary: 'A YAML document is not a mapping of fields.', help: 'A Sigma document is a mapping: title, logsource, detection...' }],
  ['internal/parse-failed', { summary: 'The rule could not be parsed because of an internal error.', help: 'This is a bug in dac; please report it with the rule.' }],
  ['condition/syntax', { summary: 'The condition is not a valid Sigma condition.', help: 'Combine search identifiers with and, or, not, parentheses and "1 of"/"all of" patterns.' }],
  ['condition/too-deep', { summary: 'The condition nests parentheses and not deeper than dac reads (64 levels).', help: 'Simplify the condition: Sigma conditions nest a few levels; "1 of" and "all of" patterns replace long chains.' }],
  ['condition/empty', { summary: 'The condition is empty.', help: 'Write a condition over the search identifiers, such as "selection and not filter".' }],
  ['condition/aggregation', { summary: 'The condition uses a Sigma v1 aggregation.', help: 'Aggregations (| count() ...) were replaced by correlation rules in Sigma v2.' }],
  ['condition/undefined-identifier', { summary: 'The condition names a search identifier that is not defined.', help: 'Define the search identifier under detection, or fix its name in the condition.' }],
  ['condition/no-match', { summary: 'An "x of" pattern in the condition matches no search identifier.', help: 'Fix the pattern or the identifier names (patterns use * as a wildcard).' }],
  ['modifier/unknown', { summary: 'A value modifier is not a Sigma modifier.', help: 'See the Sigma modifiers appendix for the modifiers and their spelling.' }],
  ['modifier/incompatible', { summary: 'A chain of value modifiers cannot work together.', help: 'Check the order and combination of the modifiers.' }],
  ['value/invalid-regex', { summary: 'A regular expression (|re) is invalid.', help: 'Fix the regular expression; Sigma regexes follow the PCRE subset of the modifiers appendix.' }],
]);

// When a code is not listed, its area still says what kind of problem it is.
const AREAS: ReadonlyMap<string, string> = new Map([
  ['schema', 'The document does not match the Sigma JSON schema'],
  ['yaml', 'The file is not valid YAML for a Sigma rule'],
  ['file', 'The file could not be read'],
  ['condition', 'The detection condition has a problem'],
  ['modifier', 'A value modifier has a problem'],
  ['value', 'A detection value has a problem'],
  ['detection', 'The detection section has a problem'],
]);

/** Describes a diagnostic code for reports (SARIF rule descriptions): lints describe themselves, other codes are listed. */
export function describeCode(code: string): RuleDescription {
  const lint = Object.hasOwn(lintRegistry, code) ? lintRegistry[code as keyof typeof lintRegistry] : undefined;
  if (lint) return { summary: lint.summary, help: lint.help };
  const known = KNOWN.get(code);
  if (known) return known;
  const [area, what = ''] = code.split('/');
  if (area === 'schema') {
    return {
      summary: `The document does not match the Sigma JSON schema (${what}).`,
      help: 'Each message names the field, what the Sigma specification allows there, and what was found. The schemas are in schemas/.',
    };
  }
  return {
    summary: `${AREAS.get(area ?? '') ?? 'A problem was found'} (${code}).`,
    help: 'See the message of each result for the field concerned and how to fix it.',
  };
}
