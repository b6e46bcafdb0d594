import { timePartModifier } from './time-part.js';

/** `minute`: the minute of a timestamp field, a number between 0 and 59 (spec v2.1 appendix "Time Modifiers"). */
export const minute = timePartModifier('minute');
