import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import { compileSourceBinding, type Mapping } from '../../../src/mapping/mapping.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';
import { findUnavailableFields } from '../../../src/mapping/find-unavailable-fields.js';

let mappings: Mapping;
beforeAll(async () => {
  mappings = (await loadMappings(DEFAULT_MAPPINGS_DIR)).mappings;
});
const ids = (logsource: Parameters<typeof resolveLogSource>[1]): string[] => resolveLogSource(mappings, logsource).map((s) => s.id);

describe('resolveLogSource', () => {
  it('finds the sources of a category', () => {
    expect(ids({ category: 'process_creation', product: 'windows' })).toEqual(['sysmon-1', 'security-4688']);
    expect(ids({ category: 'network_connection', product: 'windows' })).toEqual(['sysmon-3']);
    expect(ids({ category: 'registry_event', product: 'windows' })).toEqual(['sysmon-12-13-14']);
    expect(ids({ category: 'ps_script', product: 'windows' })).toEqual(['powershell-4104']);
  });

  it('finds the channel of a service, whatever the case written', () => {
    expect(ids({ product: 'windows', service: 'security' })).toEqual(['channel-security']);
    expect(ids({ product: 'Windows', service: 'Sysmon' })).toEqual(['channel-sysmon']);
    const powershell = resolveLogSource(mappings, { product: 'windows', service: 'powershell' })[0];
    expect(powershell?.channels).toEqual(['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational']);
    expect(powershell?.eventIds).toBeUndefined();
  });

  it('restricts a category to a service\'s channels when a rule names both', () => {
    expect(ids({ category: 'process_creation', product: 'windows', service: 'sysmon' })).toEqual(['sysmon-1']);
    expect(ids({ category: 'process_creation', product: 'windows', service: 'security' })).toEqual(['security-4688']);
    expect(ids({ category: 'process_creation', product: 'windows', service: 'system' })).toEqual([]);
  });

  it('requires the product an entry names, when the rule names one', () => {
    expect(ids({ category: 'process_creation', product: 'linux' })).toEqual([]);
    expect(ids({ category: 'unknown_thing', product: 'windows' })).toEqual([]);
    expect(ids({ product: 'linux' })).toEqual([]);
    expect(ids({ product: 'linux', service: 'security' })).toEqual([]);
  });

  it('lets a field the rule leaves out not constrain (Sigma specification, "Log Source")', () => {
    // No product: a category or service of any product.
    expect(ids({ category: 'process_creation' })).toEqual(['sysmon-1', 'security-4688']);
    expect(ids({ service: 'security' })).toEqual(['channel-security']);
    // No category and no service: every event of the product.
    expect(ids({ product: 'windows' })).toEqual(['windows']);
    expect(ids({ product: 'WINDOWS' })).toEqual(['windows']);
    const windows = resolveLogSource(mappings, { product: 'windows' })[0];
    expect([windows?.channelSet, windows?.eventIdSet, windows?.providerSet, windows?.getters.size]).toEqual([undefined, undefined, undefined, 0]);
    // Nothing named: nothing constrains.
    expect(ids({})).toEqual(['windows']);
  });

  it('prefers an entry naming exactly the category and service pair', () => {
    const source = compileSourceBinding({ id: 'exact', title: 'Exact', channel: 'X' }, { category: 'c', product: 'p', service: 's' }, 'f');
    const other = compileSourceBinding({ id: 'cat', title: 'Cat', channel: 'X' }, { category: 'c', product: 'p' }, 'f');
    const mapping: Mapping = {
      entries: [
        { logsource: other.logsource, sources: [other], file: 'f' },
        { logsource: source.logsource, sources: [source], file: 'f' },
      ],
    };
    expect(resolveLogSource(mapping, { category: 'c', product: 'p', service: 's' }).map((s) => s.id)).toEqual(['exact']);
    expect(resolveLogSource(mapping, { category: 'c', product: 'p' }).map((s) => s.id)).toEqual(['cat']);
  });
});

describe('findUnavailableFields', () => {
  it('names the fields 4688 cannot provide, with the event versions where it applies', () => {
    const bindings = resolveLogSource(mappings, { category: 'process_creation', product: 'windows' });
    const reports = findUnavailableFields(['Image', 'ParentImage', 'ParentCommandLine', 'Hashes', 'CommandLine', 'ParentImage'], bindings);
    expect(reports.map((r) => [r.field, r.source])).toEqual([
      ['ParentImage', 'Security event 4688 (a new process has been created)'],
      ['ParentCommandLine', 'Security event 4688 (a new process has been created)'],
      ['Hashes', 'Security event 4688 (a new process has been created)'],
      ['CommandLine', 'Security event 4688 (a new process has been created)'],
    ]);
    expect(reports[0]?.reason).toMatch(/version 2.*\(event versions 0, 1\)$/);
    expect(reports[1]?.reason).not.toMatch(/event versions/);
  });

  it('finds nothing missing for Sysmon or for fields every source has', () => {
    const sysmon = resolveLogSource(mappings, { category: 'process_creation', product: 'windows', service: 'sysmon' });
    expect(findUnavailableFields(['ParentCommandLine', 'Hashes'], sysmon)).toEqual([]);
    expect(findUnavailableFields(['Image', 'User'], resolveLogSource(mappings, { category: 'process_creation', product: 'windows' }))).toEqual([]);
    expect(findUnavailableFields(['Image'], [])).toEqual([]);
  });
});
