/**
 * Tells which catalogue entry or scenario variant a process seen in a real event is, from what the
 * event shows of it: the image's file name, its version resource's OriginalFileName and its hashes
 * (which tell a renamed copy from the program whose name it took), the command line and the accounts.
 * It is the inverse of
 * the generators (a generated process is identified as the identity it was generated with; a property
 * test holds the two together), so a scenario spec can judge captured events as it judges generated
 * ones. When the event lacks what tells two identities apart (no image; a generic runtime without its
 * command line), the answer is unknown, with the reason.
 */
import {
  extractSha256,
  findEntry,
  findProgramByOriginalFileName,
  findProgramBySha256,
  findRenamedCopy,
  type CatalogEntry,
} from '../../generators/catalog/index.js';
import { extractFileName } from '../../generators/paths.js';
import type { ScenarioVariant } from './scenario-spec.js';

/** What an event shows of one process. */
export interface ProcessFacts {
  readonly image?: string;
  readonly commandLine?: string;
  /** Accounts the process runs as, as far as the event tells (its User, or a child's inherited one). */
  readonly accounts?: readonly (string | undefined)[];
  /** The image's version resource name (Sysmon OriginalFileName); '-' or '?' when it has none. */
  readonly originalFileName?: string;
  /** Sysmon's Hashes value (`MD5=...,SHA256=...`). */
  readonly hashes?: string;
}

/** An identity, or why there is none. */
export type Identification = { readonly identity: string } | { readonly unknown: string };

/** `-ap "DefaultAppPool"`: how WAS starts an IIS worker for a pool. */
const APP_POOL_ARGUMENT = /(?:^|\s)-ap\s+"([^"]*)"/i;
const APP_POOL_ACCOUNT = /^IIS APPPOOL\\(.+)$/i;

/** The file name of an image path in lower case, whatever its prefix (`\\?\`, UNC) or separators. */
function imageName(image: string): string {
  return extractFileName(image.replace(/\//g, '\\')).toLowerCase();
}

function findAppPool(facts: ProcessFacts): string | undefined {
  const fromCommandLine = facts.commandLine === undefined ? undefined : APP_POOL_ARGUMENT.exec(facts.commandLine)?.[1];
  if (fromCommandLine !== undefined) return fromCommandLine;
  for (const account of facts.accounts ?? []) {
    const pool = account === undefined ? undefined : APP_POOL_ACCOUNT.exec(account.trim())?.[1];
    if (pool !== undefined) return pool;
  }
  return undefined;
}

/**
 * The program a file is, by what it carries rather than its name: its hashes, else its OriginalFileName.
 * Undefined when the event shows neither, or they name no catalogue program.
 */
function findProgramByContent(facts: ProcessFacts): CatalogEntry | undefined {
  const sha256 = facts.hashes === undefined ? undefined : extractSha256(facts.hashes);
  const byHash = sha256 === undefined ? undefined : findProgramBySha256(sha256);
  if (byHash !== undefined) return byHash;
  const original = facts.originalFileName?.trim();
  return original === undefined || original === '' || original === '-' || original === '?' ? undefined : findProgramByOriginalFileName(original);
}

/** Builds the identifier of a scenario spec's variants (the catalogue is shared). */
export function createIdentifier(variants: readonly ScenarioVariant[]): (facts: ProcessFacts) => Identification {
  const byFileName = new Map<string, ScenarioVariant>();
  const byEntry = new Map<string, ScenarioVariant[]>();
  for (const variant of variants) {
    if (variant.fileName !== undefined) {
      if (!byFileName.has(variant.fileName.toLowerCase())) byFileName.set(variant.fileName.toLowerCase(), variant);
    } else {
      const of = variant.of.toLowerCase();
      byEntry.set(of, [...(byEntry.get(of) ?? []), variant]);
    }
  }
  return (facts) => {
    if (facts.image === undefined || facts.image.trim() === '') return { unknown: 'the event has no image path' };
    const name = imageName(facts.image);
    const lookAlike = byFileName.get(name);
    if (lookAlike !== undefined) return { identity: lookAlike.name };
    const named = findEntry(name);
    // What the file is, whatever its name: a renamed copy of a catalogue program is that program's
    // renamed entry (when the catalogue has one), even under another program's name.
    // A file whose version resource names what its file name says is taken at its name (Tomcat's
    // runners are all prunsrv.exe inside); only a file whose content names another program is renamed.
    const sameContent = named?.pe !== undefined && named.pe.originalFileName.toLowerCase() === facts.originalFileName?.trim().toLowerCase();
    const program = sameContent ? named : findProgramByContent(facts);
    const renamed = program !== undefined && program !== named && program.name !== name ? findRenamedCopy(program.name) : undefined;
    if (program !== undefined && program !== named && named?.renamedFrom !== program.name && renamed === undefined) {
      return { identity: `${program.name} renamed as ${name}` };
    }
    const entry = renamed ?? named;
    // A program the catalogue does not know lies in no space: the spec predicts silence for it.
    if (entry === undefined) return { identity: name };
    const derived = byEntry.get(entry.name) ?? [];
    const pooled = derived.filter((variant) => variant.appPool !== undefined);
    if (pooled.length > 0) {
      const pool = findAppPool(facts)?.toLowerCase();
      const variant = pooled.find((candidate) => candidate.appPool?.toLowerCase() === pool);
      if (variant !== undefined) return { identity: variant.name };
    }
    const withArguments = derived.filter((variant) => variant.arguments !== undefined);
    const commandLine = facts.commandLine?.toLowerCase();
    if (withArguments.length > 0 && commandLine !== undefined) {
      const variant = withArguments.find((candidate) => candidate.arguments?.some((argument) => commandLine.includes(argument.toLowerCase())));
      if (variant !== undefined) return { identity: variant.name };
    }
    if (entry.identifiedBy !== undefined) {
      if (commandLine === undefined) return { unknown: `${entry.name} runs many programs; telling which needs its command line` };
      if (!entry.identifiedBy.some((marker) => commandLine.includes(marker.toLowerCase()))) return { identity: `${entry.name} (another program)` };
    }
    return { identity: entry.name };
  };
}
