// Calendar arithmetic shared by every back end, so the bitmap planner, the SQL compiler and
// the reference evaluator turn `90 days ago`, `within 7 days` and date literals into the
// same instants and days. "Today" is the calendar day of `now` at a fixed UTC offset.
import { DAY_MS, placeWrittenTime, type WrittenTime } from '../time.js';
import type { TimeUnit } from './ast.js';

/** Fixed lengths, not calendar months: `1 month` is always 30 days and `1 year` 365 days. */
export const UNIT_DAYS: Record<TimeUnit, number> = { day: 1, week: 7, month: 30, year: 365 };

export function durationDays(amount: number, unit: TimeUnit): number {
  return amount * UNIT_DAYS[unit];
}

/** The calendar day (`YYYY-MM-DD`) of an instant, at a UTC offset (480 for China Standard Time). */
export function calendarDate(instant: number, utcOffsetMinutes = 0): string {
  return formatUtcDate(instant + utcOffsetMinutes * 60_000);
}

/** The instant a calendar day starts, at a UTC offset. */
export function dayStart(date: string, utcOffsetMinutes = 0): number {
  return parseUtcDate(date) - utcOffsetMinutes * 60_000;
}

export function addDays(date: string, days: number): string {
  return formatUtcDate(parseUtcDate(date) + days * DAY_MS);
}

/**
 * The instant a timestamp literal names, at a UTC offset: with `Z` or an offset exactly that
 * instant, without one the clock time at the offset, as `parseWorkspaceTime` reads a time a
 * request sends. Every back end places a literal through here, with the offset it runs at.
 */
export function literalInstant(value: { time: WrittenTime }, utcOffsetMinutes = 0): number {
  return placeWrittenTime(value.time, utcOffsetMinutes);
}

/** `N days ago` for a timestamp: exactly days × 24 h before now. */
export function relativeInstant(now: number, days: number): number {
  return now - days * DAY_MS;
}

/** `N days ago` for a date: the calendar day `days` before today. */
export function relativeDate(now: number, days: number, utcOffsetMinutes = 0): string {
  return addDays(calendarDate(now, utcOffsetMinutes), -days);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Days from `today` to the next yearly anniversary of `date`, today included (0..365).
 * A 29 February anniversary falls on 28 February in years without one.
 */
export function daysUntilAnniversary(date: string, today: string): number {
  const [, month, day] = splitDate(date);
  const [year] = splitDate(today);
  let next = anniversaryIn(year, month, day);
  if (next < today) next = anniversaryIn(year + 1, month, day);
  return Math.round((parseUtcDate(next) - parseUtcDate(today)) / DAY_MS);
}

/**
 * The month-days (`MM-DD`) whose next anniversary is at most `days` days after `today`:
 * what a back end matches a date's `MM-DD` against for `within`. Holds `02-29` when the
 * window covers 28 February of a year without a 29th, or a 29 February.
 */
export function anniversaryMonthDays(today: string, days: number): string[] {
  const result = new Set<string>();
  // 366 consecutive days cover every month-day, so a longer window adds nothing.
  const last = Math.min(Math.max(days, -1), 366);
  for (let offset = 0; offset <= last; offset++) {
    const date = addDays(today, offset);
    const monthDay = date.slice(5);
    result.add(monthDay);
    if (monthDay === '02-28' && !isLeapYear(splitDate(date)[0])) result.add('02-29');
  }
  return [...result].sort();
}

function anniversaryIn(year: number, month: number, day: number): string {
  const adjustedDay = month === 2 && day === 29 && !isLeapYear(year) ? 28 : day;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(adjustedDay, 2)}`;
}

function splitDate(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function parseUtcDate(date: string): number {
  const [year, month, day] = splitDate(date);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  return new Date(0).setUTCFullYear(year, month - 1, day);
}

function formatUtcDate(instant: number): string {
  const date = new Date(instant);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
