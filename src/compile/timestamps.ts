/**
 * Extracting one part of a timestamp for the time modifiers (spec v2.1 appendix "Time Modifiers": "not
 * designed to handle timezone or format conversions", so the parts are read as written).
 */
import type { TimePartUnit } from '../model/detection.js';

const TIMESTAMP = /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?)?/;

/** The ISO 8601 week number (1-53) of a calendar date. */
export function isoWeek(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  // The week belongs to the year of its Thursday.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/** The requested part of a timestamp text such as `2024-05-17T13:45:00Z`, or undefined when absent. */
export function readTimePart(text: string, unit: TimePartUnit): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  switch (unit) {
    case 'year':
      return year;
    case 'month':
      return month;
    case 'day':
      return day;
    case 'week':
      return isoWeek(year, month, day);
    case 'hour':
      return match[4] === undefined ? undefined : Number(match[4]);
    case 'minute':
      return match[5] === undefined ? undefined : Number(match[5]);
  }
}
