import { timePartModifier } from './time-part.js';

/** `week`: the week of a timestamp field, a number between 1 and 53 (spec v2.1 appendix "Time Modifiers"). */
export const week = timePartModifier('week');
