// The period a transitions page compares, as its address carries it (`?days=7`, or
// `?from=2026-01-01&to=2026-01-31` for dates picked by hand), and the instants the API is asked about.
export const RECENT_DAYS = [7, 30, 90] as const;
export type RecentDays = (typeof RECENT_DAYS)[number];

/** The server's own default, so that `/transitions?tag=KEY` shows what the API answers without a period. */
export const DEFAULT_DAYS: RecentDays = 30;

export type Period = { kind: 'recent'; days: RecentDays } | { kind: 'custom'; from: string | undefined; to: string | undefined };

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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
 * The instants to ask the API about. A picked date means the whole day in the workspace's time
 * (`utcOffsetMinutes` east of UTC; the browser's while it is not known), as the page then shows
 * the period, so the end is the start of the next day; anything else in the address goes to the
 * server as it is, and the server says what is wrong with it.
 */
export function periodInstants(period: Period, now: number, utcOffsetMinutes?: number): { from?: string; to?: string } {
  if (period.kind === 'recent') return { from: new Date(now - period.days * DAY_MS).toISOString() };
  return {
    ...(period.from === undefined ? {} : { from: dayStart(period.from, 0, utcOffsetMinutes) }),
    ...(period.to === undefined ? {} : { to: dayStart(period.to, 1, utcOffsetMinutes) }),
  };
}

function dayStart(text: string, daysLater: number, utcOffsetMinutes: number | undefined): string {
  const match = DATE.exec(text);
  if (!match) return text;
  const [, year, month, day] = match;
  // A day that does not exist (2026-02-30, 2026-13-01) goes as written too: Date would read it as
  // a day of the next month, and the page would count another period than its address names.
  const checked = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (checked.getUTCMonth() !== Number(month) - 1 || checked.getUTCDate() !== Number(day)) return text;
  if (utcOffsetMinutes === undefined) return new Date(Number(year), Number(month) - 1, Number(day) + daysLater).toISOString();
  return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day) + daysLater) - utcOffsetMinutes * 60_000).toISOString();
}
