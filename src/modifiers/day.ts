import { timePartModifier } from './time-part.js';

/** `day`: the day of a timestamp field, a number between 1 and 31 (spec v2.1 appendix "Time Modifiers"). */
export const day = timePartModifier('day');
