import { timePartModifier } from './time-part.js';

/** `month`: the month of a timestamp field, a number between 1 and 12 (spec v2.1 appendix "Time Modifiers"). */
export const month = timePartModifier('month');
