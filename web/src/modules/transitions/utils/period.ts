// The period a transitions page compares, as its address carries it (`?days=7`, or
// `?from=2026-01-01&to=2026-01-31` for dates picked by hand), and the instants the API is asked about.
import { formatTime, workspaceToday } from '../../app/utils/format.js';

export const RECENT_DAYS = [7, 30, 90] as const;
export type RecentDays = (typeof RECENT_DAYS)[number];

/** The server's own default, so that `/transitions?tag=KEY` shows what the API answers without a period. */
export const DEFAULT_DAYS: RecentDays = 30;

export type Period = { kind: 'recent'; days: RecentDays } | { kind: 'custom'; from: string | undefined; to: string | undefined };

const DAY_MS = 86_400_000;

export function readPeriod(params: URLSearchParams): Period {
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  if (from !== undefined || to !== undefined) return { kind: 'custom', from, to };
  const days = RECENT_DAYS.find((candidate) => String(candidate) === params.get('days'));
  return { kind: 'recent', days: days ?? DEFAULT_DAYS };
}

export function writePeriod(params: URLSearchParams, period: Period): void {
  for (const name of ['days', 'from', 'to']) params.delete(name);
  if (period.kind === 'recent') {
    if (period.days !== DEFAULT_DAYS) params.set('days', String(period.days));
    return;
  }
  if (period.from !== undefined) params.set('from', period.from);
  if (period.to !== undefined) params.set('to', period.to);
}

/** One string per period, for telling whether it changed. */
export function periodKey(period: Period): string {
  return period.kind === 'recent' ? `${period.days}d` : `${period.from ?? ''}..${period.to ?? ''}`;
}

/**
 * What to ask the API about. A preset counts back from `now`; picked dates go as dates, which the
 * server reads as whole days on the workspace's clock (`to` up to the next day's start), as the
 * page then shows the period, whether or not the console knows the workspace's zone yet. Anything
 * else in the address goes as it is, and the server says what is wrong with it.
 */
export function periodInstants(period: Period, now: number): { from?: string; to?: string } {
  if (period.kind === 'recent') return { from: new Date(now - period.days * DAY_MS).toISOString() };
  return { ...(period.from === undefined ? {} : { from: period.from }), ...(period.to === undefined ? {} : { to: period.to }) };
}

/**
 * The period an answer is about, as the page says it: `between` joins its two ends ("{from} 至
 * {to}"). Whole days on the workspace's clock (dates picked by hand) read as the days they are, the
 * last included, and one day as its date: "2026-11-01 00:00 至 2026-12-01 00:00", though exact, read
 * as if it took in 1 December. A period counted back from now keeps its minutes.
 */
export function periodText(from: string, to: string, lang: string, utcOffsetMinutes: number | undefined, between: (ends: { from: string; to: string }) => string): string {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const midnight = (instant: number) => utcOffsetMinutes !== undefined && (instant + utcOffsetMinutes * 60_000) % DAY_MS === 0;
  if (!midnight(start) || !midnight(end) || end <= start) return between({ from: formatTime(from, lang, utcOffsetMinutes), to: formatTime(to, lang, utcOffsetMinutes) });
  const first = workspaceToday(utcOffsetMinutes, start);
  const last = workspaceToday(utcOffsetMinutes, end - DAY_MS);
  return first === last ? first : between({ from: first, to: last });
}
