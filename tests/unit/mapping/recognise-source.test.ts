import { beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/compile/event-record.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import type { Mapping } from '../../../src/mapping/mapping.js';
import { canReachRule, createSourceRecogniser } from '../../../src/mapping/recognise-source.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';

let mapping: Mapping;
beforeAll(async () => {
  mapping = (await loadMappings(DEFAULT_MAPPINGS_DIR)).mappings;
});

const event = (channel: string | undefined, eventId: number | undefined): EventRecord => ({
  file: 'f', index: 0,
  ...(channel === undefined ? {} : { channel }),
  ...(eventId === undefined ? {} : { eventId }),
  get: () => undefined,
  fieldNames: () => [],
});

describe('createSourceRecogniser', () => {
  it('names the most specific source, whatever the channel case, and nothing for unknown channels or flat records', () => {
    const recogniser = createSourceRecogniser(mapping);
    expect(recogniser.recognise(event('Microsoft-Windows-Sysmon/Operational', 1))).toBe('sysmon-1');
    expect(recogniser.recognise(event('MICROSOFT-WINDOWS-SYSMON/OPERATIONAL', 1))).toBe('sysmon-1');
    expect(recogniser.recognise(event('security', 4688))).toBe('security-4688');
    expect(recogniser.recognise(event('Security', 4624))).toBe('channel-security');
    expect(recogniser.recognise(event(undefined, 4688))).toBe('security-4688');
    // The product-wide source admits every Windows event but recognises none.
    expect(recogniser.recognise(event('Microsoft-Windows-Kernel-General/Operational', 16))).toBeUndefined();
    expect(recogniser.sawFlat).toBe(false);
    expect(recogniser.recognise(event(undefined, undefined))).toBeUndefined();
    expect(recogniser.sawFlat).toBe(true);
  });

  it('tells which rules some record seen could reach', () => {
    const recogniser = createSourceRecogniser(mapping);
    const bindings = (logsource: Record<string, string>) => resolveLogSource(mapping, logsource);
    recogniser.recognise(event('Security', 4624));
    recogniser.recognise(event('Microsoft-Windows-Kernel-General/Operational', 16));
    expect(canReachRule(bindings({ product: 'windows', service: 'security' }), recogniser)).toBe(true);
    expect(canReachRule(bindings({ product: 'windows' }), recogniser)).toBe(true);
    expect(canReachRule(bindings({ category: 'process_creation', product: 'windows' }), recogniser)).toBe(false);
    expect(canReachRule(bindings({ category: 'ps_script', product: 'windows' }), recogniser)).toBe(false);
    expect(canReachRule([], recogniser)).toBe(false);
    recogniser.recognise(event(undefined, undefined));
    expect(canReachRule([], recogniser)).toBe(true);
  });
});
