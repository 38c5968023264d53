/**
 * Date arithmetic on ISO dates (`YYYY-MM-DD`) for the synthetic data, in UTC so that the
 * results do not depend on the machine's time zone.
 */
import type { Random } from './random.js';

const DAY_MS = 86_400_000;

function toTime(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

export function addDays(iso: string, days: number): string {
  return new Date(toTime(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toTime(to) - toTime(from)) / DAY_MS);
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** Picks a date from `first` to `last`, both included, or returns `first` when the range is empty. */
export function dateBetween(random: Random, first: string, last: string): string {
  const span = daysBetween(first, last);
  return span <= 0 ? first : addDays(first, random.integer(0, span));
}

/** Picks a Monday-to-Friday date from `first` to `last`, both included. The range must contain one. */
export function weekdayBetween(random: Random, first: string, last: string): string {
  for (;;) {
    const date = dateBetween(random, first, last);
    const weekday = new Date(toTime(date)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return date;
  }
}
