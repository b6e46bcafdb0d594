import { join, relative } from 'node:path';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { resolveInsideRepository } from '../files/inside-repository.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile, type YamlDocument } from '../load/yaml.js';
import type { Verdict } from './test-report.js';

/** The file in each rule's test folder that lists its golden events. */
export const SPEC_FILE = 'rule-test.yml';

/** One event's expectation: its verdict, and for a false positive the falsepositives entry it documents. */
export interface Expectation {
  readonly verdict: Verdict;
  readonly falsepositive?: number | string;
  /** Where the verdict is written, so `--update` can rewrite exactly that word. */
  readonly verdictAt: Position;
}

/** A golden event file and what each of its events must do. */
export interface GoldenCase {
  /** Path of the event file on disk. */
  readonly path: string;
  /** The same path as reports show it: relative to the repository root, forward slashes. */
  readonly file: string;
  readonly provenance: string;
  /**
   * True when the file holds events in Sigma taxonomy fields (YAML, or JSON marked `render: true`):
   * each is rendered into every shape of the rule's log sources and replayed in each.
   */
  readonly taxonomy: boolean;
  /** The verdict of every event not overridden. */
  readonly expectation: Expectation;
  /** Verdicts of single events, by 0-based position. */
  readonly overrides: ReadonlyMap<number, Expectation>;
  /** Where the case is written in the spec. */
  readonly at: Position;
}

/** A rule's test spec as read from tests/rules/<rule name>/rule-test.yml. */
export interface RuleTestSpec {
  readonly ruleId: string;
  /** The spec file, relative to the repository root. */
  readonly file: string;
  readonly path: string;
  readonly cases: readonly GoldenCase[];
  readonly text: string;
  readonly ruleIdAt: Position;
}

interface RawExpectation {
  verdict: Verdict;
  falsepositive?: number | string;
}

interface RawCase extends RawExpectation {
  file: string;
  provenance: string;
  render?: boolean;
  overrides?: (RawExpectation & { event: number })[];
}

const toSlashes = (path: string): string => path.split('\\').join('/');

function expectationAt(raw: RawExpectation, document: YamlDocument, path: (string | number)[]): Expectation {
  return {
    verdict: raw.verdict,
    ...(raw.falsepositive !== undefined ? { falsepositive: raw.falsepositive } : {}),
    verdictAt: document.locate([...path, 'verdict']),
  };
}

/** Reads and schema-checks a rule's test spec; problems become diagnostics on the spec's lines. */
export async function loadRuleTestSpec(
  folder: string,
  repoRoot: string,
): Promise<{ spec?: RuleTestSpec; diagnostics: Diagnostic[] }> {
  const path = join(folder, SPEC_FILE);
  const file = toSlashes(relative(repoRoot, path));
  const specPlace = await resolveInsideRepository(repoRoot, folder, SPEC_FILE);
  if (!specPlace.inside) {
    return { diagnostics: [createDiagnostic(file, { line: 1, column: 1 }, 'test-spec/outside-repository', 'error',
      `the rule-test spec resolves to ${specPlace.realPath}, outside the repository (through a symbolic link); it is not read`)] };
  }
  const loaded = await loadYamlFile(path, file);
  const document = loaded.documents[0];
  if (!document || loaded.text === undefined) {
    const diagnostics = loaded.diagnostics.length
      ? [...loaded.diagnostics]
      : [createDiagnostic(file, { line: 1, column: 1 }, 'test-spec/empty', 'error', 'the rule-test spec is empty')];
    return { diagnostics };
  }
  const validate = compileSchemaFile('rule-test.schema.json');
  if (!validate(document.value)) {
    return { diagnostics: [...loaded.diagnostics, ...schemaDiagnostics(validate.errors ?? [], document, file)] };
  }
  const raw = document.value as { rule: string; events: RawCase[] };
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  // A golden event file must be inside the repository, links followed: its values end up in the reports.
  const places = await Promise.all(raw.events.map((entry) => resolveInsideRepository(repoRoot, folder, entry.file)));
  const cases = raw.events.flatMap((entry, index): GoldenCase[] => {
    const place = places[index];
    if (place && !place.inside) {
      diagnostics.push(createDiagnostic(file, document.locate(['events', index, 'file']), 'test-spec/outside-repository', 'error',
        `the event file '${entry.file}' resolves to ${place.realPath}, outside the repository; it is not read (golden events live in the rule's test folder)`));
      return [];
    }
    const eventPath = join(folder, entry.file);
    return [{
      path: eventPath,
      file: toSlashes(relative(repoRoot, eventPath)),
      provenance: entry.provenance,
      taxonomy: entry.render ?? /\.ya?ml$/i.test(entry.file),
      expectation: expectationAt(entry, document, ['events', index]),
      overrides: new Map(
        (entry.overrides ?? []).map((override, position) => [
          override.event,
          expectationAt(override, document, ['events', index, 'overrides', position]),
        ]),
      ),
      at: document.locate(['events', index]),
    }];
  });
  return {
    spec: { ruleId: raw.rule, file, path, cases, text: loaded.text, ruleIdAt: document.locate(['rule']) },
    diagnostics,
  };
}
