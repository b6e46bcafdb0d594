import { timePartModifier } from './time-part.js';

/** `year`: the year of a timestamp field, the year (spec v2.1 appendix "Time Modifiers"). */
export const year = timePartModifier('year');
