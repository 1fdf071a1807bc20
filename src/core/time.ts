// Time in the domain: instants are epoch milliseconds, calendar dates are `YYYY-MM-DD`.
// Nothing here reads the clock; callers pass `now`.
import type { Locale } from './locale.js';

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const DAY_MS = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * ISO 8601 / RFC 3339 as clients write it: `T` or a space, `Z` or `z`, and an offset of hours and
 * minutes or of hours alone (`+08`, as PostgreSQL writes a timestamptz); a zone only after a time.
 */
const ZONE = String.raw`[Zz]|[+-]\d{2}(?::?\d{2})?`;
const TIMESTAMP_PATTERN = new RegExp(String.raw`^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:${ZONE})?)?$`);

/** `Date.UTC` for every year: `Date.UTC` itself reads years 0-99 as 1900-1999. */
function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millisecond));
  date.setUTCFullYear(year);
  return date.getTime();
}

/** A day of the calendar written `YYYY-MM-DD`, in any year from 0000 (rejects 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(utcMillis(year, month, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A real calendar date written `YYYY-MM-DD` (rejects 2026-02-30), from the year 100: the
 * expression language and both its back ends (src/store/expression-sql/values.ts) take no date
 * of years 0-99. What a customer holds has later bounds still (`EARLIEST_DATE`, `EARLIEST_TIME`).
 */
export function isValidDate(text: string): boolean {
  return isCalendarDate(text) && writtenYear(text) >= 100;
}

/**
 * The earliest time the product stores (an event's, a customer's first-seen time): 1970-01-01
 * UTC. No till or app recorded a sale before it; a time before it is a typo (0226 for 2026) or a
 * system's empty value (1900-01-01), and as an event it would become the customer's first-seen time.
 */
export const EARLIEST_TIME = '1970-01-01';

/**
 * The earliest date a customer holds (a birthday, a custom date field): nobody living was born
 * before 1900, and a merchant's dates (joined, opened an account) are later still; 0500-01-01 is a
 * typo. 1900-01-01 itself is kept (some systems' empty date, but a date).
 */
export const EARLIEST_DATE = '1900-01-01';

/** The year a date or time is written with (`0226` of 0226-11-20), as a number. */
export function writtenYear(text: string): number {
  return Number(text.trim().slice(0, 4));
}

/**
 * Whether an ISO 8601 time is before `EARLIEST_TIME`, years 0-99 too (which `parseTimestamp`
 * does not read); text that is no time is for `isValidTimestamp` to refuse.
 */
export function isBeforeEarliestTime(text: string): boolean {
  const trimmed = text.trim();
  if (!TIMESTAMP_PATTERN.test(trimmed) || !isCalendarDate(trimmed.slice(0, 10))) return false;
  if (writtenYear(trimmed) < writtenYear(EARLIEST_TIME)) return true;
  const ms = parseTimestamp(trimmed);
  return ms !== undefined && ms < 0;
}

/** Whether a date is a day of the calendar before `EARLIEST_DATE` (0500-01-01, 0050-01-01). */
export function isBeforeEarliestDate(text: string): boolean {
  return isCalendarDate(text) && text < EARLIEST_DATE;
}

/**
 * A date as spreadsheets and shop exports write it (1990/5/17, 1990.5.17, 1990年5月17日 …), an
 * optional time, an optional zone written as the API reads one (`ZONE`: `+08` too).
 */
const SPREADSHEET_TIME = new RegExp(
  String.raw`^(\d{4})\s*(?:[/.-]|年)\s*(\d{1,2})\s*(?:[/.-]|月)\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(\.\d{1,9})?)?)?\s*(${ZONE})?$`,
  'i',
);

interface SpreadsheetTime {
  /** `YYYY-MM-DD`, not yet checked to be a real date. */
  date: string;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  zone: string | undefined;
  /** Whether a time of day is written (`00:00` too), rather than a date alone. */
  timed: boolean;
}

function spreadsheetTime(text: string): SpreadsheetTime | undefined {
  const match = SPREADSHEET_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year = '', month = '', day = '', hour, minute = '0', second = '0', fraction = '', zone] = match;
  // As the API reads it, an offset of hours alone only after a time: 2026-11-20-08 is no date and zone.
  if (hour === undefined && zone !== undefined && /^[+-]\d{2}$/.test(zone)) return undefined;
  return {
    date: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`,
    hour: Number(hour ?? 0),
    minute: Number(minute),
    second: Number(second),
    millisecond: Math.floor(Number(`0${fraction || '.0'}`) * 1000),
    zone,
    timed: hour !== undefined,
  };
}

/**
 * A calendar date as spreadsheets write it — 1990/5/17, 1990.5.17, 1990-5-17, 1990年5月17日,
 * with or without a midnight time after it — as `YYYY-MM-DD`; any other text, and a day that
 * does not exist, as it is (for `isValidDate` to refuse). Imports read CSV cells through it: a spreadsheet on Chinese
 * Windows saves dates as 1990/5/17.
 */
export function spreadsheetDate(text: string): string {
  const read = spreadsheetTime(text);
  // A day that does not exist (1990/13/40) stays as written too: its refusal quotes the cell the
  // file holds, not a 1990-13-40 nobody typed.
  if (!read || !isValidDate(read.date) || read.zone !== undefined || read.hour + read.minute + read.second + read.millisecond > 0) return text;
  return read.date;
}

/**
 * A time in an import file, as UTC ISO 8601 and whether the text named its zone; undefined
 * when the text is not a time. Shop and spreadsheet exports write local times without a zone
 * (`2026/6/1 20:15`, `2026-06-01 20:15:00`, `2026年6月1日 20:15`): those are read in the
 * workspace's zone, `utcOffsetMinutes` east of UTC. A date alone there is that day's start or, with
 * `end` (an expiry: 有效期至 2026/12/31), the whole of it, up to the next day's start, as
 * `parseWorkspaceTime` reads one; a time of day (`2026/12/31 00:00`) or a zone keeps its instant.
 */
export function readImportTime(
  text: string,
  utcOffsetMinutes: number,
  edge: 'start' | 'end' = 'start',
): { iso: string; zoned: boolean; /** The same time as written, in ISO 8601 with its offset. */ local: string } | undefined {
  const read = spreadsheetTime(text);
  // Any year: one too early to keep is refused as such, naming its year, not as no time.
  if (!read || !isCalendarDate(read.date) || read.hour > 23 || read.minute > 59 || read.second > 59) return undefined;
  const [year, month, day] = read.date.split('-').map(Number) as [number, number, number];
  const offsetMinutes = read.zone === undefined ? utcOffsetMinutes : zoneMinutes(read.zone);
  if (offsetMinutes === undefined) return undefined;
  const local = utcMillis(year, month, day, read.hour, read.minute, read.second, read.millisecond);
  const offset = formatUtcOffset(offsetMinutes).slice('UTC'.length);
  const wholeDay = edge === 'end' && !read.timed && read.zone === undefined ? DAY_MS : 0;
  return { iso: toIso(local - offsetMinutes * 60_000 + wholeDay), zoned: read.zone !== undefined, local: `${toIso(local).slice(0, -1)}${offset}` };
}

/**
 * `Z`, `+08:00`, `+08` or `-0330` as minutes east of UTC; undefined for an offset no zone has
 * (`+14:01`, `+99:00`, `-12:30`, `+08:60`), which is a typo rather than a place.
 */
function zoneMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutesOfHour = Number(digits.slice(2));
  const minutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + minutesOfHour);
  return minutesOfHour < 60 && minutes >= MIN_UTC_OFFSET_MINUTES && minutes <= MAX_UTC_OFFSET_MINUTES ? minutes + 0 : undefined;
}

/** An offset east of UTC as `UTC+08:00`. */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `UTC${sign}${twoDigits(Math.floor(absolute / 60))}:${twoDigits(absolute % 60)}`;
}

/** An instant to the minute as a clock `utcOffsetMinutes` east of UTC shows it: `2026-11-30 10:00`. */
export function minuteInZone(ms: number, utcOffsetMinutes: number): string {
  return toIso(ms + utcOffsetMinutes * 60_000).slice(0, 16).replace('T', ' ');
}

/**
 * An instant to the minute with the zone it is read in, `2026-11-30 10:00 (UTC+08:00)`: for a time
 * said alone, or among times of other zones. Chinese writes the zone in full-width parentheses,
 * `2026-11-30 10:00（UTC+08:00）`, as the API's Chinese messages do.
 */
export function minuteWithZone(ms: number, utcOffsetMinutes: number, locale: Locale): string {
  const zone = formatUtcOffset(utcOffsetMinutes);
  return `${minuteInZone(ms, utcOffsetMinutes)}${locale === 'zh-CN' ? `（${zone}）` : ` (${zone})`}`;
}

/** The zones there are: UTC−12:00 to UTC+14:00, in quarter hours (Nepal is +05:45). */
export const MIN_UTC_OFFSET_MINUTES = -720;
export const MAX_UTC_OFFSET_MINUTES = 840;

export function isValidUtcOffset(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= MIN_UTC_OFFSET_MINUTES && minutes <= MAX_UTC_OFFSET_MINUTES && minutes % 15 === 0;
}

/**
 * An offset as people write it: `+08:00`, `+8`, `UTC+8`, `-05:30`, `+0545`, `0`, `Z`; minutes east
 * of UTC, or undefined when it is none of those or no zone has it.
 */
export function parseUtcOffset(text: string): number | undefined {
  // UTC itself, as ISO 8601 and people write it.
  if (/^(?:Z|UTC|GMT)$/i.test(text.trim())) return 0;
  // The sign is +, - or the minus sign (U+2212); a class written [+-−] would be the range from + to
  // U+2212, digits and letters among them, and read 99:00 as +09:00.
  const match = /^(?:UTC|GMT)?\s*([+\-−])?(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (minutes >= 60 || (match[1] === undefined && hours !== 0)) return undefined;
  const offset = (match[1] === '-' || match[1] === '−' ? -1 : 1) * (hours * 60 + minutes);
  return isValidUtcOffset(offset) ? offset + 0 : undefined;
}

/**
 * A time written as a number, as systems export them: Unix seconds (1767225600) or milliseconds
 * (1767225600000). A number below 10^11 is seconds: as milliseconds it would be in 1973.
 */
export function epochNumberToMillis(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
}

/** A zone at the end of a text (made once: `parseTimestamp` runs for every time of every event sent). */
const ZONE_AT_END = new RegExp(String.raw`(?:${ZONE})$`);

/**
 * An ISO 8601 time; a time without an offset is read as UTC. For times the product wrote itself
 * (answers, stored text); a time a request sends is read as `parseWorkspaceTime` reads it.
 * Hours run 00 to 23, as RFC 3339 and imports have them (Date.parse takes 24:00 for the next
 * day's midnight), and an offset is one a zone has, UTC−12:00 to UTC+14:00.
 */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  if (!TIMESTAMP_PATTERN.test(trimmed)) return undefined;
  const datePart = trimmed.slice(0, 10);
  if (!isValidDate(datePart)) return undefined;
  if (trimmed.length === 10) return Date.parse(`${trimmed}T00:00:00Z`);
  if (Number(trimmed.slice(11, 13)) > 23) return undefined;
  const zone = ZONE_AT_END.exec(trimmed.slice(16))?.[0];
  if (zone !== undefined && zoneMinutes(zone) === undefined) return undefined;
  // Date.parse takes neither a lower-case z nor an offset of hours alone.
  const time = trimmed.slice(0, 10) + 'T' + trimmed.slice(11).toUpperCase().replace(/([+-]\d{2})$/, '$1:00');
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(time);
  const iso = hasOffset ? time : `${time}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether a time is written as a date alone (`2026-12-01`), which names a day rather than an instant. */
export function isDateAlone(text: string): boolean {
  return DATE_PATTERN.test(text.trim());
}

/** A zone at the end of an ISO 8601 time, after its time of day (`T10:00Z`, ` 10:00:00.5+08`). */
const ZONE_AFTER_TIME = new RegExp(String.raw`[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:${ZONE})$`);

/** Whether an ISO 8601 time names its zone (`Z`, `+08:00`, `+08`): a date alone, or a time without an offset, does not. */
export function namesZone(text: string): boolean {
  return ZONE_AFTER_TIME.test(text.trim());
}

/** Whether an item (an event, a customer) of a request holds at `field` text that names no zone, which the workspace's zone reads. */
export function zonelessTime(item: unknown, field: string): boolean {
  const text = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[field] : undefined;
  return typeof text === 'string' && !namesZone(text);
}

/**
 * An ISO 8601 time as the product reads one a person or a system sends, in a workspace
 * `utcOffsetMinutes` east of UTC (as `readImportTime` reads a file's, and the command line its
 * options): with `Z` or an offset exactly that instant; without one on the workspace's clock,
 * `2026-12-01T10:00:00` ten o'clock there and a date alone that day, its start, or with `end` the
 * whole of it (up to the next day's start), as `tagbase tag transitions --to 2026-11-30` and the
 * console's calendar read a day.
 */
export function parseWorkspaceTime(text: string, utcOffsetMinutes: number, edge: 'start' | 'end' = 'start'): number | undefined {
  const written = readWrittenTime(text);
  return written === undefined ? undefined : placeWrittenTime(written, utcOffsetMinutes, edge);
}

/**
 * A time as written, before a zone reads it: `parseWorkspaceTime` in two steps, for text read
 * once and placed in whichever workspace's zone it is used in (an expression's literal, which a
 * saved segment keeps and every back end runs at the workspace's offset of the moment).
 */
export interface WrittenTime {
  /** The instant it names when it has `Z` or an offset; without one, its clock's reading taken as UTC. */
  ms: number;
  /** Whether the text names its zone (`namesZone`). */
  zoned: boolean;
  /** Whether the text is a date alone (`isDateAlone`). */
  dateAlone: boolean;
}

/** An ISO 8601 time as `parseWorkspaceTime` reads it, its zone not yet applied; undefined when it is no time. */
export function readWrittenTime(text: string): WrittenTime | undefined {
  const ms = parseTimestamp(text);
  return ms === undefined ? undefined : { ms, zoned: namesZone(text), dateAlone: isDateAlone(text) };
}

/** The instant a written time names in a workspace `utcOffsetMinutes` east of UTC, as `parseWorkspaceTime` places it. */
export function placeWrittenTime(written: WrittenTime, utcOffsetMinutes: number, edge: 'start' | 'end' = 'start'): number {
  if (written.zoned) return written.ms;
  return written.ms - utcOffsetMinutes * 60_000 + (edge === 'end' && written.dateAlone ? DAY_MS : 0);
}

/** How a field of the API reads the time it takes (`parseWorkspaceTime`), `end` for one that ends a period: for the OpenAPI document. */
export function workspaceTimeNote(edge: 'start' | 'end' = 'start'): string {
  const day = edge === 'end' ? "the whole of that day (up to the next day's start)" : "that day's start";
  return `ISO 8601; with \`Z\` or an offset exactly that instant, without one the workspace's time (\`utc_offset_minutes\`): \`2026-12-01T10:00:00\` is 10:00 there, a date alone (\`2026-12-01\`) ${day}`;
}

/** What a schema says of a time it cannot read; an import, which reads more forms, says so in its own words instead. */
export const ISO_TIME_MESSAGE = 'an ISO 8601 time like 2026-01-31T08:00:00Z';

/**
 * How far ahead of the server's clock a time that has happened (an event's, a customer's first
 * visit) may be: clocks on tills and phones drift, but a time a day ahead is a wrong date.
 */
export const MAX_TIME_LEAD_MS = 86_400_000;

/** What is said of such a time, after its field (and the time, as an event's check words it). */
export const TIME_AHEAD_MESSAGE = "more than a day ahead of the server's clock";

export function isValidTimestamp(text: string): boolean {
  return parseTimestamp(text) !== undefined;
}

const MS_PER_DAY = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on the year no longer has four digits. */
const YEAR_10000_MS = 253_402_300_800_000;

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const threeDigits = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, by arithmetic for whole milliseconds from 1970 to 9999: a
 * portrait writes dozens of times, and building a Date for each took three times as long. The
 * rest (none in practice) goes through Date.
 */
export function toIso(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= YEAR_10000_MS) return new Date(ms).toISOString();
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  // Days since 1970 to a civil date, counting from 0000-03-01 so that leap days end each year
  // (Howard Hinnant's days_from_civil, inverted).
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${twoDigits(month)}-${twoDigits(day)}T${twoDigits(hour)}:${twoDigits(minute)}:${twoDigits(second)}.${threeDigits(milli)}Z`;
}

export function toIsoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : toIso(ms);
}
