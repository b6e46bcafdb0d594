/**
 * The `sql` check of `dac test`: differential verification of the SQL conversion. Every golden event of
 * the rule's log source is loaded into an embedded DuckDB as the engine sees it after mapping (its
 * taxonomy fields), the rule's DuckDB query runs over them, and its verdict must equal the engine's on
 * every event; so must the query of the rule tuned by its filters, against the engine's filtered rule.
 * Events of other log sources never reach the query (the engine does not see them either) and are
 * counted in the note.
 */
import { join } from 'node:path';
import { applyFilters, loadFilters, selectFilters } from '../compile/apply-filters.js';
import type { CompiledRule } from '../compile/compile-rule.js';
import { createDiagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { bindEvent } from '../mapping/bind-event.js';
import type { DetectionNode } from '../model/detection.js';
import type { SigmaRule } from '../model/rule.js';
import { convertRule } from '../convert/convert-rule.js';
import { SQL_PROFILES } from '../convert/target-profiles.js';
import { describeRecord, DuckDbUnavailableError, loadEventsTable, openDuckDb, selectMatchingKeys, type DuckDbSession } from '../backtest/duckdb-session.js';
import type { RuleCheck, RuleContext } from './run-tests.js';
import type { Failure } from './test-report.js';
import { detectionFields } from '../model/rule-fields.js';

const DUCKDB_PROFILE = SQL_PROFILES.find((profile) => profile.target === 'sql');

let shared: Promise<DuckDbSession> | undefined;

/** The DuckDB of this process, opened on first use (one thread: rules are checked one after another). */
function useSession(): Promise<DuckDbSession> {
  shared ??= openDuckDb({ threads: 1 });
  return shared;
}


interface Variant {
  readonly label: string;
  readonly compiled: CompiledRule;
  readonly condition: string;
  readonly columns: readonly string[];
}

/** Compares the SQL verdict with the engine's for every loaded event; one failure per differing event. */
async function compareVariant(session: DuckDbSession, variant: Variant, loaded: readonly { key: number; file: string; event: number; engine: boolean }[], rule: SigmaRule): Promise<Failure[]> {
  const failures: Failure[] = [];
  let matched: Set<number>;
  try {
    matched = await selectMatchingKeys(session, variant.condition);
  } catch (error) {
    const at = rule.source.locate(['detection']);
    return [{ check: 'sql', message: `${variant.label}: DuckDB rejects the query: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, file: rule.file, line: at.line, column: at.column }];
  }
  for (const event of loaded) {
    const sql = matched.has(event.key);
    if (sql === event.engine) continue;
    const at = rule.detection.conditions[0]?.source.position ?? rule.source.locate(['detection']);
    failures.push({
      check: 'sql',
      message: `${variant.label}: ${event.file} #${event.event}: the engine says ${event.engine ? 'match' : 'no-match'}, DuckDB says ${sql ? 'match' : 'no-match'}`,
      details: `query condition:\n${variant.condition}`,
      file: rule.file,
      line: at.line,
      column: at.column,
    });
  }
  return failures;
}

/** The `sql` check: the DuckDB conversion of the rule (and of the rule tuned by its filters) gives the engine's verdicts. */
export const sqlCheck: RuleCheck = {
  name: 'sql',
  async run(context: RuleContext) {
    if (DUCKDB_PROFILE === undefined) throw new Error('the DuckDB profile is missing');
    const { rule, compiled, bindings } = context;
    if (context.events.length === 0) return { failures: [], skipped: 'no golden events' };
    const loadedFilters = await loadFilters(join(context.repoRoot, context.config.filters), context.repoRoot);
    const { selected } = selectFilters(rule, loadedFilters.filters);

    const plain = convertRule(rule, DUCKDB_PROFILE);
    if (!plain.query) {
      const reasons = plain.diagnostics.map(formatDiagnostic).join('; ');
      return { failures: [], skipped: `the rule has no exact SQL conversion: ${reasons}`, notes: plain.diagnostics.map(asNote) };
    }
    const variants: Variant[] = [{ label: 'SQL', compiled, condition: plain.query.condition, columns: plain.query.columns }];
    if (selected.length > 0) {
      const tuned = convertRule(rule, DUCKDB_PROFILE, { filters: selected });
      const applied = applyFilters(compiled, selected, { bindings });
      if (!tuned.query) {
        return { failures: tuned.diagnostics.map((d) => ({ check: 'sql' as const, message: `SQL with filters: ${d.code}: ${d.message}`, file: d.file, line: d.line, column: d.column })) };
      }
      variants.push({ label: `SQL with filters ${tuned.query.filters.join(', ')}`, compiled: applied.compiled, condition: tuned.query.condition, columns: tuned.query.columns });
    }

    const fields = detectionFields(rule, { fieldRefs: true });
    for (const filter of selected) for (const identifier of filter.detection.identifiers.values()) collectNode(identifier.body, fields);
    const rows: { file: string; event: number; record: ReturnType<typeof describeRecord> }[] = [];
    const keyed: { key: number; file: string; event: number; replayed: (typeof context.events)[number] }[] = [];
    let otherSource = 0;
    for (const replayed of context.events) {
      const bound = bindEvent(replayed.record, bindings);
      if (bound === undefined) {
        otherSource += 1;
        continue;
      }
      keyed.push({ key: rows.length, file: replayed.result.file, event: replayed.result.event, replayed });
      rows.push({ file: replayed.result.file, event: replayed.result.event, record: describeRecord(bound, fields) });
    }
    let session: DuckDbSession;
    try {
      session = await useSession();
    } catch (error) {
      // Without DuckDB the check cannot run: every report shows it skipped, with the reason.
      if (error instanceof DuckDbUnavailableError) return { failures: [], skipped: error.message };
      throw error;
    }
    await loadEventsTable(session, rows, variants.flatMap((variant) => variant.columns));
    const failures: Failure[] = [];
    for (const variant of variants) {
      const loaded = keyed.map((entry) => ({ key: entry.key, file: entry.file, event: entry.event, engine: variant.compiled.matches(entry.replayed.record) }));
      failures.push(...(await compareVariant(session, variant, loaded, rule)));
    }
    // An event of another log source is no-match for the engine (bindEvent gates it); the note counts them.
    const at = rule.source.locate(['detection']);
    const note = createDiagnostic(rule.file, at, 'sql/verified', 'note',
      `DuckDB SQL ${failures.length === 0 ? 'gives' : 'does not give'} the engine's verdicts on ${rows.length} golden events of the rule's log source` +
        `${variants.length > 1 ? `, with and without its filters` : ''}; ${otherSource} events of other log sources are not loaded (no-match for both)`);
    return { failures, notes: [note] };
  },
};

function collectNode(node: DetectionNode, into: string[]): void {
  if (node.kind === 'item') {
    if (node.field !== undefined && !into.includes(node.field)) into.push(node.field);
  } else node.items.forEach((child) => collectNode(child, into));
}

function asNote(diagnostic: Diagnostic): Diagnostic {
  return { ...diagnostic, severity: 'warning' };
}

/** Closes the shared DuckDB (tests and commands call it when done). */
export async function closeSqlCheck(): Promise<void> {
  if (shared === undefined) return;
  const opening = shared;
  shared = undefined;
  const session = await opening.catch(() => undefined);
  session?.close();
}
