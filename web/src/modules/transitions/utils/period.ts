// The period a transitions page compares, as its address carries it (`?days=7`, or
// `?from=2026-01-01&to=2026-01-31` for dates picked by hand), and the instants the API is asked about.
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
