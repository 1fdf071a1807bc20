// Time in the domain: instants are epoch milliseconds, calendar dates are `YYYY-MM-DD`.
// Nothing here reads the clock; callers pass `now`.

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const DAY_MS = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isValidDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO 8601 time; a time without an offset is read as UTC. */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  if (!TIMESTAMP_PATTERN.test(trimmed)) return undefined;
  const datePart = trimmed.slice(0, 10);
  if (!isValidDate(datePart)) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) && trimmed.length > 10;
  const iso = trimmed.length === 10 ? `${trimmed}T00:00:00Z` : hasOffset ? trimmed.replace(' ', 'T') : `${trimmed.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isValidTimestamp(text: string): boolean {
  return parseTimestamp(text) !== undefined;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function toIsoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : toIso(ms);
}
