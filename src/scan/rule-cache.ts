/**
 * What loading a rule file came to, kept between runs so a scan of a large pack starts without parsing
 * it again: per rule file, its diagnostics and, per detection rule in it, the log source and the
 * requirements and needles its compilation found (src/compile/needles.ts). Rules are then compiled
 * lazily, on first use (src/compile/lazy-rule.ts).
 *
 * An entry is found by the hash of the file's text and display name, inside a cache file whose name is
 * the hash of everything else the result depends on: the engine's own source code (so any change to
 * the parser or compiler invalidates it), the log-source mappings and the placeholder values. The
 * cache file is written whole or not at all (writeFileAtomic); a cache that cannot be read or written
 * only costs time, and says so once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { PlaceholderValues } from '../compile/compile-value.js';
import type { Requirements } from '../compile/needles.js';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import type { LogSource, Mapping } from '../mapping/mapping.js';

/** One detection rule of a cached file. */
export interface CachedRule {
  /** The rule's YAML document among the file's documents. */
  readonly document: number;
  /** The rule's title and where its `logsource` is: what a warning about the rule names, without parsing it again. */
  readonly title: string;
  readonly logsourceAt: Position;
  readonly logsource: LogSource;
  readonly requirements: Requirements;
  readonly needles?: readonly string[];
}

/** What loading one rule file came to. */
export interface CachedFile {
  readonly diagnostics: readonly Diagnostic[];
  /** Rule documents that could not be used. */
  readonly invalid: number;
  readonly rules: readonly CachedRule[];
}

/** Bumped when the layout of the cache file changes. */
const CACHE_FORMAT = 2;
/** Past this many entries, a cache file keeps only the entries of the latest run. */
const MAX_ENTRIES = 50_000;

const SRC_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders whose code decides what loading and compiling a rule yields. */
const ENGINE_FOLDERS = ['compile', 'diagnostics', 'load', 'mapping', 'model', 'modifiers', 'parse', 'scan'];

let engineFingerprint: string | undefined;

/** A hash of the engine's source code: a cache written by other code is never read. */
export function getEngineFingerprint(): string {
  if (engineFingerprint === undefined) {
    const hash = createHash('sha256');
    hash.update(`format ${CACHE_FORMAT}\0node ${process.versions.v8}\0`);
    for (const folder of ENGINE_FOLDERS) {
      const dir = path.join(SRC_ROOT, folder);
      for (const name of readdirSync(dir).sort()) {
        if (!name.endsWith('.ts')) continue;
        hash.update(`${folder}/${name}\0`);
        hash.update(readFileSync(path.join(dir, name)));
      }
    }
    engineFingerprint = hash.digest('hex');
  }
  return engineFingerprint;
}

/** A hash of the mapping as compiled (sources, preconditions, field rules), so editing a mapping invalidates the cache. */
export function fingerprintMapping(mapping: Mapping | undefined): string {
  if (mapping === undefined) return 'none';
  const data = mapping.entries.map((entry) => ({
    logsource: entry.logsource,
    file: entry.file,
    sources: entry.sources.map((source) => ({
      id: source.id,
      channels: source.channels,
      eventIds: source.eventIds,
      providers: source.providers,
      fields: [...source.fields],
      unavailable: source.unavailable,
    })),
  }));
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

/** A hash of placeholder values. */
export function fingerprintPlaceholders(placeholders: PlaceholderValues): string {
  return createHash('sha256').update(JSON.stringify([...placeholders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))).digest('hex');
}

/** The key of one rule file's entry: its display name (diagnostics carry it) and its text. */
export function keyRuleFile(displayName: string, text: string): string {
  return createHash('sha256').update(displayName).update('\0').update(text).digest('base64url');
}

/** Rule-file results kept between runs, in one file of `dir`. */
export class RuleCache {
  private readonly used = new Map<string, CachedFile>();
  private changed = false;

  private constructor(
    /** The cache file. */
    readonly file: string,
    private readonly stored: ReadonlyMap<string, CachedFile>,
  ) {}

  /**
   * Opens the cache of `dir` for everything but the rule files themselves (`context`: the mapping and
   * placeholder fingerprints). A missing or unreadable cache file is an empty cache.
   */
  static async open(dir: string, context: { readonly mapping: string; readonly placeholders: string }): Promise<RuleCache> {
    const name = createHash('sha256').update(`${getEngineFingerprint()}\0${context.mapping}\0${context.placeholders}`).digest('hex').slice(0, 32);
    const file = path.join(dir, `rules-${name}.v8`);
    let stored = new Map<string, CachedFile>();
    try {
      const value: unknown = deserialize(await readFile(file));
      if (value instanceof Map) stored = value as Map<string, CachedFile>;
    } catch {
      // No cache yet, or one that cannot be read: start afresh.
    }
    return new RuleCache(file, stored);
  }

  /** The entry of a rule file, if this cache has it. */
  get(key: string): CachedFile | undefined {
    const entry = this.stored.get(key) ?? this.used.get(key);
    if (entry !== undefined) this.used.set(key, entry);
    return entry;
  }

  /** Records the entry of a rule file loaded in this run. */
  set(key: string, entry: CachedFile): void {
    this.used.set(key, entry);
    this.changed = true;
  }

  /** Writes the cache file (atomically) when this run added entries; throws FileWriteError when it cannot. */
  async save(): Promise<void> {
    if (!this.changed) return;
    const merged = new Map(this.stored.size + this.used.size > MAX_ENTRIES ? [] : this.stored);
    for (const [key, entry] of this.used) merged.set(key, entry);
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, serialize(merged));
    this.changed = false;
  }
}
