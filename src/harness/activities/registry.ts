/**
 * Every activity a scenario spec can name, in a registry closed with `satisfies`, and the activity of a
 * rule's log source.
 */
import type { LogSource } from '../../model/rule.js';
import type { Activity, ActivityName } from './activity.js';
import { FILE_EVENT } from './file-event.js';
import { IMAGE_LOAD } from './image-load.js';
import { LOGON } from './logon.js';
import { NETWORK_CONNECTION } from './network-connection.js';
import { PROCESS_CREATION } from './process-creation.js';
import { REGISTRY_EVENT } from './registry-event.js';
import { SCRIPT_BLOCK } from './script-block.js';

/** The activities by the name a spec's `activity` key gives. */
export const ACTIVITIES = {
  process_creation: PROCESS_CREATION,
  network_connection: NETWORK_CONNECTION,
  registry: REGISTRY_EVENT,
  file_event: FILE_EVENT,
  image_load: IMAGE_LOAD,
  ps_script: SCRIPT_BLOCK,
  logon: LOGON,
} satisfies Record<ActivityName, Activity>;

/**
 * The activity whose events a log source covers: by category (registry_set, registry_add ... all map
 * to the registry activity), else by service (Security logons); undefined when none generates them.
 */
export function findActivityOfLogSource(logsource: LogSource): Activity | undefined {
  const category = logsource.category?.trim().toLowerCase();
  const service = logsource.service?.trim().toLowerCase();
  const all: readonly Activity[] = Object.values(ACTIVITIES);
  if (category !== undefined && category !== '') return all.find((activity) => activity.categories.includes(category));
  if (service !== undefined && service !== '') return all.find((activity) => activity.services?.includes(service));
  return undefined;
}
