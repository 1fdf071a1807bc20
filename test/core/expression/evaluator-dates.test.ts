import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../../src/core/expression/index.js';
import { DAY_MS } from '../../../src/core/time.js';
import { bind, customer, type CustomerSketch } from './fixture.js';

const BEIJING = 480;

function at(now: number, source: string, sketch: CustomerSketch, utcOffsetMinutes = 0): boolean {
  return evaluateExpression(bind(source), customer(sketch), now, { utcOffsetMinutes });
}

const lastOrder = (ms: number) => ({ metrics: { last_order_at: ms } });
const born = (date: string) => ({ fields: { birthday: date } });

describe('relative dates on timestamps', () => {
  const now = Date.UTC(2026, 4, 17, 4, 0, 0);

  it('N days ago is exactly N × 24 hours before now', () => {
    const boundary = now - 90 * DAY_MS;
    expect(at(now, 'last_order_at before 90 days ago', lastOrder(boundary - 1))).toBe(true);
    expect(at(now, 'last_order_at before 90 days ago', lastOrder(boundary))).toBe(false);
    expect(at(now, 'last_order_at after 90 days ago', lastOrder(boundary))).toBe(false);
    expect(at(now, 'last_order_at >= 90 days ago', lastOrder(boundary))).toBe(true);
    expect(at(now, 'last_order_at after 7 days ago', lastOrder(now - 6 * DAY_MS))).toBe(true);
    expect(at(now, 'last_order_at after 7 days ago', lastOrder(now - 8 * DAY_MS))).toBe(false);
  });

  it('weeks, months and years are 7, 30 and 365 days', () => {
    expect(at(now, 'last_order_at before 2 weeks ago', lastOrder(now - 14 * DAY_MS - 1))).toBe(true);
    expect(at(now, 'last_order_at before 1 month ago', lastOrder(now - 30 * DAY_MS - 1))).toBe(true);
    expect(at(now, 'last_order_at before 1 month ago', lastOrder(now - 30 * DAY_MS + 1))).toBe(false);
    expect(at(now, 'last_order_at before 1 year ago', lastOrder(now - 365 * DAY_MS - 1))).toBe(true);
  });

  it('within N days is the last N × 24 hours up to now, both ends included, the future excluded', () => {
    const within = (ms: number) => at(now, 'last_order_at within 30 days', lastOrder(ms));
    expect(within(now)).toBe(true);
    expect(within(now - 30 * DAY_MS)).toBe(true);
    expect(within(now - 30 * DAY_MS - 1)).toBe(false);
    expect(within(now + 1)).toBe(false);
  });

  it('follows the injected now, not the machine clock', () => {
    const order = lastOrder(Date.UTC(2020, 0, 1));
    expect(at(Date.UTC(2020, 0, 5), 'last_order_at within 7 days', order)).toBe(true);
    expect(at(Date.UTC(2020, 0, 9), 'last_order_at within 7 days', order)).toBe(false);
  });
});

describe('absolute dates on timestamps', () => {
  const now = Date.UTC(2026, 4, 17);
  // 2026-01-30 20:00 UTC is 2026-01-31 04:00 in Beijing.
  const lateEvening = lastOrder(Date.UTC(2026, 0, 30, 20, 0, 0));

  it('compares the calendar day of the timestamp, at the evaluation offset', () => {
    expect(at(now, 'last_order_at = "2026-01-31"', lateEvening)).toBe(false);
    expect(at(now, 'last_order_at = "2026-01-31"', lateEvening, BEIJING)).toBe(true);
    expect(at(now, 'last_order_at before "2026-01-31"', lateEvening)).toBe(true);
    expect(at(now, 'last_order_at before "2026-01-31"', lateEvening, BEIJING)).toBe(false);
    expect(at(now, 'last_order_at = date("2026-01-30")', lateEvening)).toBe(true);
  });

  it('takes whole days: <= and between include the last day, after starts the next day', () => {
    const endOfDay = lastOrder(Date.UTC(2026, 0, 31, 23, 59, 59, 999));
    expect(at(now, 'last_order_at <= "2026-01-31"', endOfDay)).toBe(true);
    expect(at(now, 'last_order_at after "2026-01-31"', endOfDay)).toBe(false);
    expect(at(now, 'last_order_at after "2026-01-31"', lastOrder(Date.UTC(2026, 1, 1)))).toBe(true);
    expect(at(now, 'last_order_at between "2026-01-01" and "2026-01-31"', endOfDay)).toBe(true);
    expect(at(now, 'last_order_at != "2026-01-31"', endOfDay)).toBe(false);
    expect(at(now, 'last_order_at in ("2026-01-30", "2026-01-31")', endOfDay)).toBe(true);
  });

  it('compares a literal with a time of day as an exact instant', () => {
    const eight = Date.UTC(2026, 0, 31, 0, 0, 0);
    expect(at(now, 'last_order_at >= "2026-01-31T08:00:00+08:00"', lastOrder(eight))).toBe(true);
    expect(at(now, 'last_order_at > "2026-01-31T08:00:00+08:00"', lastOrder(eight))).toBe(false);
    expect(at(now, 'last_order_at = "2026-01-31 00:00:00"', lastOrder(eight))).toBe(true);
    expect(at(now, 'last_order_at = "2026-01-31T08:00:00Z"', lastOrder(eight), BEIJING)).toBe(false);
  });

  it('reads a literal with a time of day but no offset on the clock of the offset it runs at, as a time a request sends', () => {
    const eight = Date.UTC(2026, 0, 31, 0, 0, 0);
    // 08:00 in Beijing is 00:00 UTC.
    expect(at(now, 'last_order_at = "2026-01-31 08:00"', lastOrder(eight), BEIJING)).toBe(true);
    expect(at(now, 'last_order_at >= "2026-01-31T08:00:00"', lastOrder(eight - 1), BEIJING)).toBe(false);
    expect(at(now, 'last_order_at < "2026-01-31T08:00:00.001"', lastOrder(eight), BEIJING)).toBe(true);
    expect(at(now, 'last_order_at between "2026-01-31 07:59" and "2026-01-31 08:01"', lastOrder(eight), BEIJING)).toBe(true);
    expect(at(now, 'last_order_at in ("2026-01-31 08:00", "2026-01-31 09:00")', lastOrder(eight), BEIJING)).toBe(true);
    // In UTC the same text is 08:00 UTC, eight hours later.
    expect(at(now, 'last_order_at = "2026-01-31 08:00"', lastOrder(eight))).toBe(false);
    expect(at(now, 'last_order_at = "2026-01-31 08:00"', lastOrder(eight + 8 * 3_600_000))).toBe(true);
    // A date alone is the workspace's day, as before.
    expect(at(now, 'last_order_at = "2026-01-31"', lastOrder(Date.UTC(2026, 0, 30, 16)), BEIJING)).toBe(true);
    expect(at(now, 'last_order_at = "2026-01-31"', lastOrder(Date.UTC(2026, 0, 30, 15, 59, 59, 999)), BEIJING)).toBe(false);
  });

  it('mixes absolute and relative ends in between', () => {
    expect(at(now, 'last_order_at between "2026-05-01" and 1 day ago', lastOrder(now - DAY_MS))).toBe(true);
    expect(at(now, 'last_order_at between "2026-05-01" and 1 day ago', lastOrder(now - DAY_MS + 1))).toBe(false);
  });
});

describe('dates', () => {
  const now = Date.UTC(2026, 4, 17, 4, 0, 0);

  it('compare as calendar days; N days ago is the day N days before today', () => {
    expect(at(now, 'birthday before "2000-01-01"', born('1999-12-31'))).toBe(true);
    expect(at(now, 'birthday between date("1990-01-01") and date("1999-12-31")', born('1999-12-31'))).toBe(true);
    expect(at(now, 'birthday = 0 days ago', born('2026-05-17'))).toBe(true);
    expect(at(now, 'birthday = 1 day ago', born('2026-05-16'))).toBe(true);
    // A year is 365 days, not a calendar year: 18 × 365 days before 2026-05-17 is 2008-05-21 (four leap days between).
    expect(at(now, 'birthday after 18 years ago', born('2008-05-22'))).toBe(true);
    expect(at(now, 'birthday after 18 years ago', born('2008-05-21'))).toBe(false);
  });

  it('take "today" from the evaluation offset', () => {
    // 04:00 UTC on 17 May is still 16 May in New York (UTC-5 in summer here, for the test).
    expect(at(now, 'birthday = 0 days ago', born('2026-05-16'), -300)).toBe(true);
    expect(at(now, 'birthday = 0 days ago', born('2026-05-17'), -300)).toBe(false);
  });
});

describe('within on dates: the next yearly anniversary', () => {
  const may17 = Date.UTC(2026, 4, 17, 4, 0, 0);

  it('includes today and the next N days, not days already passed', () => {
    expect(at(may17, 'birthday within 0 days', born('1990-05-17'))).toBe(true);
    expect(at(may17, 'birthday within 0 days', born('1990-05-18'))).toBe(false);
    expect(at(may17, 'birthday within 7 days', born('1990-05-24'))).toBe(true);
    expect(at(may17, 'birthday within 7 days', born('1990-05-25'))).toBe(false);
    expect(at(may17, 'birthday within 7 days', born('1990-05-16'))).toBe(false);
    expect(at(may17, 'birthday within 1 week', born('1990-05-24'))).toBe(true);
    expect(at(may17, 'birthday within 1 month', born('1990-06-16'))).toBe(true);
    expect(at(may17, 'birthday within 1 month', born('1990-06-17'))).toBe(false);
  });

  it('wraps across the end of the year', () => {
    const dec28 = Date.UTC(2026, 11, 28, 12, 0, 0);
    expect(at(dec28, 'birthday within 7 days', born('1985-01-03'))).toBe(true);
    expect(at(dec28, 'birthday within 7 days', born('1985-01-04'))).toBe(true);
    expect(at(dec28, 'birthday within 7 days', born('1985-01-05'))).toBe(false);
    expect(at(dec28, 'birthday within 7 days', born('1985-12-27'))).toBe(false);
    expect(at(dec28, 'birthday within 7 days', born('1985-12-31'))).toBe(true);
  });

  it('puts a 29 February birthday on 28 February in other years', () => {
    const leapling = born('2000-02-29');
    expect(at(Date.UTC(2027, 1, 25), 'birthday within 3 days', leapling)).toBe(true);
    expect(at(Date.UTC(2027, 1, 25), 'birthday within 2 days', leapling)).toBe(false);
    expect(at(Date.UTC(2027, 1, 28), 'birthday within 0 days', leapling)).toBe(true);
    expect(at(Date.UTC(2027, 2, 1), 'birthday within 364 days', leapling)).toBe(false);
    expect(at(Date.UTC(2027, 2, 1), 'birthday within 365 days', leapling)).toBe(true);
    expect(at(Date.UTC(2028, 1, 28), 'birthday within 0 days', leapling)).toBe(false);
    expect(at(Date.UTC(2028, 1, 28), 'birthday within 1 day', leapling)).toBe(true);
    expect(at(Date.UTC(2028, 1, 29), 'birthday within 0 days', leapling)).toBe(true);
  });

  it('keeps a 28 February birthday on the 28th in leap years', () => {
    expect(at(Date.UTC(2028, 1, 28), 'birthday within 0 days', born('1990-02-28'))).toBe(true);
    expect(at(Date.UTC(2028, 1, 29), 'birthday within 30 days', born('1990-02-28'))).toBe(false);
  });

  it('takes "today" from the evaluation offset', () => {
    // 16:30 UTC on 31 December is 00:30 on 1 January in Beijing.
    const newYearsEve = Date.UTC(2026, 11, 31, 16, 30, 0);
    expect(at(newYearsEve, 'birthday within 0 days', born('1990-01-01'))).toBe(false);
    expect(at(newYearsEve, 'birthday within 0 days', born('1990-01-01'), BEIJING)).toBe(true);
  });

  it('matches every birthday within a year', () => {
    for (const date of ['1990-05-16', '2000-02-29', '1990-05-17', '1970-01-01']) expect(at(may17, 'birthday within 1 year', born(date))).toBe(true);
  });
});
