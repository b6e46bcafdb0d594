import { timePartModifier } from './time-part.js';

/** `hour`: the hour of a timestamp field, a number between 0 and 23 (spec v2.1 appendix "Time Modifiers"). */
export const hour = timePartModifier('hour');
