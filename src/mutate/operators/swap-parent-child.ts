import { joinKey, listItems, splitKey, type ItemSite } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, TextEdit, UnwritableMutant } from '../mutant.js';
import { renameKey } from '../yaml-edits.js';

/**
 * The two ends of each log source's events, as pairs of Sigma taxonomy fields of the same kind: a
 * process and its parent (process_creation), a connection's source and destination, a process and
 * the module it loads or the file it writes, a logon's subject and target account (Security). Keyed
 * by the logsource category, or the service when the rule names no category.
 */
export const COUNTERPART_FIELDS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  process_creation: [
    ['Image', 'ParentImage'],
    ['CommandLine', 'ParentCommandLine'],
    ['ProcessId', 'ParentProcessId'],
    ['ProcessGuid', 'ParentProcessGuid'],
    ['User', 'ParentUser'],
  ],
  network_connection: [
    ['SourceIp', 'DestinationIp'],
    ['SourcePort', 'DestinationPort'],
    ['SourceHostname', 'DestinationHostname'],
    ['SourcePortName', 'DestinationPortName'],
    ['SourceIsIpv6', 'DestinationIsIpv6'],
  ],
  image_load: [['Image', 'ImageLoaded']],
  file_event: [['Image', 'TargetFilename']],
  security: [
    ['SubjectUserName', 'TargetUserName'],
    ['SubjectDomainName', 'TargetDomainName'],
    ['SubjectUserSid', 'TargetUserSid'],
    ['SubjectLogonId', 'TargetLogonId'],
  ],
};

/**
 * `swap-parent-child`: mistakes one end of the event for the other: every field of a pair of the
 * rule's log source (Image and ParentImage, CommandLine and ParentCommandLine; SourceIp and
 * DestinationIp; Image and ImageLoaded ...) is renamed to the other throughout the detection, pair by
 * pair, then all pairs at once.
 */
export const swapParentChild = {
  id: 'swap-parent-child',
  description: "swaps the fields of the event's two ends: process and parent, source and destination, process and module or file, subject and target",
  propose({ rule, document }) {
    const sites = listItems(rule).filter((site) => site.item.field !== undefined);
    const counterparts = COUNTERPART_FIELDS[rule.logsource.category ?? rule.logsource.service ?? ''] ?? [];
    const pairs = counterparts.filter((pair) => sites.some((site) => pair.includes(site.item.field as string)));
    const swap = (chosen: readonly (readonly [string, string])[], change: string): ProposedMutant | UnwritableMutant => {
      const counterpart = new Map(chosen.flatMap(([child, parent]) => [[child, parent], [parent, child]] as const));
      const edits: TextEdit[] = [];
      for (const site of sites as ItemSite[]) {
        const other = counterpart.get(site.item.field as string);
        if (other === undefined) continue;
        const result = renameKey(document, site.item.key.path, joinKey(other, splitKey(site.item).chain));
        if (!('edit' in result)) return { target: 'detection', change, reason: result.reason };
        edits.push(result.edit);
      }
      return { target: 'detection', change, edits };
    };
    const proposals = pairs.map((pair) => swap([pair], `${pair[0]} <-> ${pair[1]}`));
    if (pairs.length > 1) proposals.push(swap(pairs, `${pairs.map((pair) => `${pair[0]} <-> ${pair[1]}`).join(', ')}`));
    return proposals;
  },
} as const satisfies MutationOperator;
