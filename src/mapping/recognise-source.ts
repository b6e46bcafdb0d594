import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { matchesSource } from './bind-event.js';
import type { Mapping, SourceBinding } from './mapping.js';

/** What identifies the log source of a Windows event: its channel, event id and provider. */
export interface EventIdentity {
  readonly channel?: string;
  readonly eventId?: number;
  readonly provider?: string;
}

/** Names log sources of records, and remembers what kinds of records it saw (for reachability). */
export interface SourceRecogniser {
  /** The id of the most specific mapping source the record comes from; undefined for flat records and unknown sources. */
  recognise(record: EventRecord): string | undefined;
  /** True once a flat record (no channel, no event id: Sigma field names) was seen; such records reach every rule. */
  readonly sawFlat: boolean;
  /** The distinct identities of the Windows records seen. */
  identities(): readonly EventIdentity[];
}

/** A source's precondition is specific when it names a channel, event ids or providers; a catch-all admits anything. */
const countConstraints = (source: SourceBinding): number =>
  (source.channelSet ? 1 : 0) + (source.eventIdSet ? 1 : 0) + (source.providerSet ? 1 : 0);

const firstText = (value: FieldValue | undefined): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
};

/** A record that is nothing but an identity, to ask a binding whether such records satisfy it. */
function createIdentityRecord(identity: EventIdentity): EventRecord {
  return {
    file: '',
    index: 0,
    ...(identity.channel !== undefined ? { channel: identity.channel } : {}),
    ...(identity.eventId !== undefined ? { eventId: identity.eventId } : {}),
    get: (field) => (field === 'Provider_Name' ? identity.provider : undefined),
    fieldNames: () => [],
  };
}

/**
 * Builds the recogniser of a mapping. A record is recognised by the mapping source with the most
 * specific precondition it satisfies (channel and event id before channel alone); a catch-all source
 * (one that names no channel, event id or provider, like `product: windows` alone) recognises nothing,
 * so a Windows event of a channel no mapping lists is reported as not recognised. Results are cached
 * per identity: an event log has few distinct (channel, event id) pairs.
 */
export function createSourceRecogniser(mapping: Mapping): SourceRecogniser {
  const seen = new Set<SourceBinding>();
  const specific: SourceBinding[] = [];
  for (const entry of mapping.entries) {
    for (const source of entry.sources) {
      if (seen.has(source) || countConstraints(source) === 0) continue;
      seen.add(source);
      specific.push(source);
    }
  }
  // Stable: equally specific sources keep mapping order.
  specific.sort((a, b) => countConstraints(b) - countConstraints(a));
  const usesProviders = specific.some((source) => source.providerSet !== undefined);
  const cache = new Map<string, string | null>();
  const identities = new Map<string, EventIdentity>();
  const state = { sawFlat: false };

  return {
    get sawFlat() {
      return state.sawFlat;
    },
    identities: () => [...identities.values()],
    recognise(record) {
      const { channel, eventId } = record;
      if (channel === undefined && eventId === undefined) {
        state.sawFlat = true;
        return undefined;
      }
      const provider = usesProviders ? firstText(record.get('Provider_Name')) : undefined;
      const key = `${channel?.toLowerCase() ?? ''}\u0000${eventId ?? ''}\u0000${provider?.toLowerCase() ?? ''}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached ?? undefined;
      identities.set(key, {
        ...(channel !== undefined ? { channel } : {}),
        ...(eventId !== undefined ? { eventId } : {}),
        ...(provider !== undefined ? { provider } : {}),
      });
      const found = specific.find((source) => matchesSource(record, source));
      cache.set(key, found?.id ?? null);
      return found?.id;
    },
  };
}

/**
 * True when some record the recogniser saw could reach a rule with these bindings: a flat record
 * reaches every rule (DESIGN), a Windows record one whose binding it satisfies.
 */
export function canReachRule(bindings: readonly SourceBinding[], recogniser: Pick<SourceRecogniser, 'sawFlat' | 'identities'>): boolean {
  if (recogniser.sawFlat) return true;
  return recogniser.identities().some((identity) => {
    const record = createIdentityRecord(identity);
    return bindings.some((binding) => matchesSource(record, binding));
  });
}
