import { PROCESS_CREATION_FIELDS, type ProcessCreation } from '../process-tree.js';

/**
 * The flat fixture form of a process creation: one JSON object of Sigma taxonomy field names, no
 * Channel or EventID (DESIGN: such events are taken as already in taxonomy names).
 */
export function convertFlatJson(event: ProcessCreation): Record<string, string | number> {
  const flat: Record<string, string | number> = {};
  for (const field of PROCESS_CREATION_FIELDS) flat[field] = event[field];
  return flat;
}

/** Renders a process creation as a flat JSON object of Sigma field names (one line). */
export function renderFlatJson(event: ProcessCreation): string {
  return JSON.stringify(convertFlatJson(event));
}
