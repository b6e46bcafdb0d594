/**
 * Every activity a scenario spec can name, in a registry closed with `satisfies`, and the activity of a
 * rule's log source.
 */
import type { LogSource } from '../../model/rule.js';
import type { Activity, ActivityName } from './activity.js';
import { PROCESS_CREATION } from './process-creation.js';

/** The activities by the name a spec's `activity` key gives. */
export const ACTIVITIES = {
  process_creation: PROCESS_CREATION,
} satisfies Partial<Record<ActivityName, Activity>> as Record<ActivityName, Activity>;

/**
 * The activity whose events a log source covers: by category (registry_set, registry_add ... all map
 * to the registry activity), else by service (Security logons); undefined when none generates them.
 */
export function findActivityOfLogSource(logsource: LogSource): Activity | undefined {
  const category = logsource.category?.trim().toLowerCase();
  const service = logsource.service?.trim().toLowerCase();
  const all = Object.values(ACTIVITIES).filter((activity): activity is Activity => activity !== undefined);
  if (category !== undefined && category !== '') return all.find((activity) => activity.categories.includes(category));
  if (service !== undefined && service !== '') return all.find((activity) => activity.services?.includes(service));
  return undefined;
}
