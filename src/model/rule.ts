import type { YamlDocument } from '../load/yaml.js';
import type { Detection } from './detection.js';

/** Sigma's log source triple (specification v2.1, "Log Source"). */
export interface LogSource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
}

/** The kinds of Sigma documents: detection rules, correlation rules and filters (meta rules). */
export type SigmaDocumentKind = 'detection' | 'correlation' | 'filter';

/** Metadata every Sigma document may carry, as plain data. */
export interface SigmaMetadata {
  readonly kind: SigmaDocumentKind;
  readonly file: string;
  readonly id?: string;
  readonly name?: string;
  readonly title: string;
  readonly status?: string;
  readonly level?: string;
  readonly description?: string;
  readonly author?: string;
  readonly date?: string;
  readonly modified?: string;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly falsepositives: readonly string[];
  /** The document as written, for checks that read fields this model does not name. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Where each part of the document was written. */
  readonly source: YamlDocument;
}

/** A parsed Sigma detection rule (specification v2.1): metadata, log source and detection. */
export interface SigmaRule extends SigmaMetadata {
  readonly kind: 'detection';
  readonly logsource: LogSource;
  readonly detection: Detection;
  readonly fields: readonly string[];
}
