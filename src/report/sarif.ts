import { pathToFileURL } from 'node:url';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';

/** A SARIF 2.1.0 multiformat message (text only: what this project produces). */
export interface SarifMessage {
  readonly text: string;
}

/** A SARIF `reportingDescriptor`: one kind of finding, described once per run. */
export interface SarifRule {
  readonly id: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription?: SarifMessage;
  readonly help: SarifMessage;
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
}

/** SARIF result levels; `none` is never produced here. */
export type SarifLevel = 'error' | 'warning' | 'note';

/** A SARIF result: one finding at one place. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
      readonly region: { readonly startLine: number; readonly startColumn: number };
    };
  }[];
}

/** The parts of a SARIF 2.1.0 log this project writes (a subset of the OASIS schema, which tests check it against). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly {
    readonly tool: {
      readonly driver: {
        readonly name: string;
        readonly version?: string;
        readonly informationUri?: string;
        readonly rules: readonly SarifRule[];
      };
    };
    readonly originalUriBaseIds?: Readonly<Record<string, { readonly uri: string }>>;
    readonly columnKind: 'utf16CodeUnits';
    readonly results: readonly SarifResult[];
  }[];
}

/** How a diagnostic code is described in the SARIF rules array. */
export interface RuleDescription {
  /** One sentence: what the finding is. */
  readonly summary: string;
  /** How to fix it. */
  readonly help: string;
}

/** Options of `toSarif`. */
export interface SarifOptions {
  /** `tool.driver.name`; `dac` by default. */
  readonly toolName?: string;
  readonly toolVersion?: string;
  readonly informationUri?: string;
  /** Describes a diagnostic code; codes it does not know are described by their id alone. */
  readonly describeRule?: (code: string) => RuleDescription | undefined;
  /**
   * The absolute folder the diagnostics' relative file paths start from. Given, it is published as the
   * `SRCROOT` base (`originalUriBaseIds`), so viewers outside CI can resolve the files too.
   */
  readonly sourceRoot?: string;
}

/** The published location of the SARIF 2.1.0 schema (OASIS standard). */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';

/** The `uriBaseId` of every result: artifact URIs are relative to the source root. */
export const SOURCE_ROOT_ID = 'SRCROOT';

const LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', note: 'note' };

/**
 * Writes a relative file path as a URI reference (RFC 3986): forward slashes, each segment percent-encoded,
 * so spaces and non-ASCII names (Chinese file names included) stay valid and decode back to the same path.
 */
export function toRelativeUri(file: string): string {
  return file.split(/[\\/]/).map((segment) => encodeURIComponent(segment)).join('/');
}

/**
 * Converts diagnostics into a SARIF 2.1.0 log with one run: `tool.driver` lists each code once as a rule (id,
 * short description, help), and each diagnostic becomes a result with its level, message and a physical
 * location (URI relative to `SRCROOT`, 1-based start line and column in UTF-16 code units, as JavaScript
 * counts them). Generic: validation, test and scan reports can all use it.
 */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): SarifLog {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const indexOf = (diagnostic: Diagnostic): number => {
    const known = ruleIndex.get(diagnostic.code);
    if (known !== undefined) return known;
    const description = options.describeRule?.(diagnostic.code);
    rules.push({
      id: diagnostic.code,
      shortDescription: { text: description?.summary ?? diagnostic.code },
      help: { text: description?.help ?? `See the message of each ${diagnostic.code} result.` },
      defaultConfiguration: { level: LEVEL[diagnostic.severity] },
    });
    ruleIndex.set(diagnostic.code, rules.length - 1);
    return rules.length - 1;
  };
  const results: SarifResult[] = diagnostics.map((diagnostic) => ({
    ruleId: diagnostic.code,
    ruleIndex: indexOf(diagnostic),
    level: LEVEL[diagnostic.severity],
    message: { text: diagnostic.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toRelativeUri(diagnostic.file), uriBaseId: SOURCE_ROOT_ID },
          // SARIF regions are 1-based; a diagnostic without a place still points at the file's start.
          region: { startLine: Math.max(1, diagnostic.line), startColumn: Math.max(1, diagnostic.column) },
        },
      },
    ],
  }));
  const root = options.sourceRoot;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName ?? 'dac',
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        ...(root ? { originalUriBaseIds: { [SOURCE_ROOT_ID]: { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).href } } } : {}),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
