import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  anniversaryMonthDays,
  calendarDate,
  dayStart,
  daysUntilAnniversary,
  durationDays,
  isLeapYear,
  relativeDate,
  relativeInstant,
} from '../../../src/core/expression/index.js';
import { DAY_MS } from '../../../src/core/time.js';

describe('calendar helpers', () => {
  it('converts between instants and calendar days at an offset', () => {
    const instant = Date.UTC(2026, 0, 30, 20, 0, 0);
    expect(calendarDate(instant)).toBe('2026-01-30');
    expect(calendarDate(instant, 480)).toBe('2026-01-31');
    expect(calendarDate(instant, -300)).toBe('2026-01-30');
    expect(dayStart('2026-01-31')).toBe(Date.UTC(2026, 0, 31));
    expect(dayStart('2026-01-31', 480)).toBe(Date.UTC(2026, 0, 30, 16, 0, 0));
    expect(calendarDate(dayStart('2026-01-31', 480), 480)).toBe('2026-01-31');
  });

  it('adds days across months, years and leap days, and handles years before 100', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('0050-01-01', -1)).toBe('0049-12-31');
  });

  it('computes relative instants and days', () => {
    const now = Date.UTC(2026, 4, 17, 4, 0, 0);
    expect(relativeInstant(now, 90)).toBe(now - 90 * DAY_MS);
    expect(relativeDate(now, 0)).toBe('2026-05-17');
    expect(relativeDate(now, 17)).toBe('2026-04-30');
    expect(relativeDate(Date.UTC(2026, 4, 16, 20, 0, 0), 0, 480)).toBe('2026-05-17');
    expect([durationDays(2, 'day'), durationDays(2, 'week'), durationDays(2, 'month'), durationDays(2, 'year')]).toEqual([2, 14, 60, 730]);
  });

  it('knows leap years', () => {
    expect([1900, 2000, 2024, 2026, 2028].map(isLeapYear)).toEqual([false, true, true, false, true]);
  });
});

describe('anniversaries', () => {
  it('counts days to the next anniversary, today included', () => {
    expect(daysUntilAnniversary('1990-05-17', '2026-05-17')).toBe(0);
    expect(daysUntilAnniversary('1990-05-18', '2026-05-17')).toBe(1);
    expect(daysUntilAnniversary('1990-05-16', '2026-05-17')).toBe(364);
    expect(daysUntilAnniversary('1990-01-03', '2026-12-28')).toBe(6);
    expect(daysUntilAnniversary('2000-02-29', '2027-02-28')).toBe(0);
    expect(daysUntilAnniversary('2000-02-29', '2027-03-01')).toBe(365);
    expect(daysUntilAnniversary('2000-02-29', '2028-02-28')).toBe(1);
    expect(daysUntilAnniversary('0001-03-01', '2026-03-01')).toBe(0);
  });

  it('lists the month-days a window covers, 02-29 with 28 February of a common year', () => {
    expect(anniversaryMonthDays('2026-12-30', 3)).toEqual(['01-01', '01-02', '12-30', '12-31']);
    expect(anniversaryMonthDays('2027-02-27', 1)).toEqual(['02-27', '02-28', '02-29']);
    expect(anniversaryMonthDays('2028-02-27', 1)).toEqual(['02-27', '02-28']);
    expect(anniversaryMonthDays('2028-02-28', 1)).toEqual(['02-28', '02-29']);
    expect(anniversaryMonthDays('2026-05-17', 0)).toEqual(['05-17']);
    expect(anniversaryMonthDays('2026-05-17', 365)).toHaveLength(366);
    expect(anniversaryMonthDays('2026-05-17', 36_500)).toHaveLength(366);
  });

  it('agrees with daysUntilAnniversary for every date, day and window', () => {
    const day = fc.integer({ min: -25_000, max: 50_000 }).map((offset) => addDays('1970-01-01', offset));
    fc.assert(
      fc.property(day, day, fc.integer({ min: 0, max: 400 }), (date, today, days) => {
        expect(anniversaryMonthDays(today, days).includes(date.slice(5))).toBe(daysUntilAnniversary(date, today) <= days);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds leap-day edge cases in the agreement', () => {
    const leapDays = ['2000-02-29', '1996-02-29', '1990-02-28', '1990-03-01'];
    for (const date of leapDays) {
      for (let offset = 0; offset < 4 * 366; offset++) {
        const today = addDays('2025-01-01', offset);
        for (const days of [0, 1, 2, 364, 365]) {
          expect([date, today, days, anniversaryMonthDays(today, days).includes(date.slice(5))]).toEqual([date, today, days, daysUntilAnniversary(date, today) <= days]);
        }
      }
    }
  });
});
