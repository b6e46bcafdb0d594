import type { EventRecord, FieldValue } from '../compile/event-record.js';
import type { SourceBinding } from './mapping.js';

/**
 * True when the event can come from the source. A part of the precondition is checked only when the
 * event carries that attribute: a flat event with `EventID: 4688` and no channel still binds to
 * Security 4688, while an event whose channel or id is known and differs never does.
 */
export function matchesSource(event: EventRecord, binding: SourceBinding): boolean {
  const { channel, eventId } = event;
  if (binding.eventIdSet && eventId !== undefined && !binding.eventIdSet.has(eventId)) return false;
  if (binding.channelSet && channel !== undefined && !binding.channelSet.has(channel) && !binding.channelSet.has(channel.toLowerCase())) {
    return false;
  }
  if (binding.providerSet) {
    const provider = event.get('Provider_Name');
    if (typeof provider === 'string' && !binding.providerSet.has(provider.toLowerCase())) return false;
  }
  return true;
}

/**
 * An event seen through a source's field renames: `get` consults the precomputed getter map first and
 * falls through to the event's own fields, so renamed fields shadow same-named source fields (4688's
 * `ProcessId`, the parent's id in hex, reads as the new process's decimal id) and the rest pass as
 * they are.
 */
class BoundRecord implements EventRecord {
  readonly file: string;
  readonly index: number;
  readonly channel?: string;
  readonly eventId?: number;
  readonly version?: number;

  constructor(
    private readonly event: EventRecord,
    private readonly getters: SourceBinding['getters'],
  ) {
    this.file = event.file;
    this.index = event.index;
    if (event.channel !== undefined) this.channel = event.channel;
    if (event.eventId !== undefined) this.eventId = event.eventId;
    if (event.version !== undefined) this.version = event.version;
  }

  get(field: string): FieldValue | undefined {
    const getter = this.getters.get(field);
    return getter === undefined ? this.event.get(field) : getter(this.event);
  }

  fieldNames(): readonly string[] {
    const names: string[] = [];
    for (const [name, getter] of this.getters) if (getter(this.event) !== undefined) names.push(name);
    for (const name of this.event.fieldNames()) if (!this.getters.has(name)) names.push(name);
    return names;
  }
}

/**
 * Views an event through a rule's bindings: undefined when the event is from another log source (the
 * rule must not see it); the renamed record when a binding's precondition holds (the first that holds,
 * in mapping order); the event itself when it has neither channel nor eventId (flat events are already
 * in Sigma taxonomy, DESIGN). With empty bindings (a log source the mappings do not know) the rule only
 * ever sees flat events.
 */
export function bindEvent(event: EventRecord, bindings: readonly SourceBinding[]): EventRecord | undefined {
  if (event.channel === undefined && event.eventId === undefined) return event;
  for (const binding of bindings) {
    if (!matchesSource(event, binding)) continue;
    return binding.getters.size === 0 ? event : new BoundRecord(event, binding.getters);
  }
  return undefined;
}
