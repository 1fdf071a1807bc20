// Times as the API writes them (the arithmetic `toIso` against Date#toISOString), and dates as spreadsheets write them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidDate, spreadsheetDate, toIso } from '../../src/core/time.js';

it('writes times as Date#toISOString does', () => {
  const year10000 = Date.UTC(10000, 0, 1);
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: year10000 - 1 }), fc.integer({ min: -year10000, max: 2 * year10000 }), fc.double({ min: 0, max: year10000, noNaN: true })), (ms) => {
      expect(toIso(ms)).toBe(new Date(ms).toISOString());
    }),
    { numRuns: 20_000 },
  );
  for (const ms of [0, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, year10000 - 1, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 2, 1)]) {
    expect(toIso(ms)).toBe(new Date(ms).toISOString());
  }
});

describe('dates as spreadsheets write them', () => {
  it('become YYYY-MM-DD, and anything else is left for the date check to refuse', () => {
    for (const written of ['1990/5/17', '1990/05/17', '1990.5.17', '1990-5-17', '1990年5月17日', '1990 年 5 月 17 日', '1990/5/17 0:00', '1990/5/17 00:00:00']) {
      expect(spreadsheetDate(written), written).toBe('1990-05-17');
    }
    expect(spreadsheetDate('1990-05-17')).toBe('1990-05-17');
    expect(isValidDate(spreadsheetDate('2026/2/30'))).toBe(false);
    for (const other of ['17/5/1990', '1990/5/17 8:30', 'May 17, 1990', '']) expect(spreadsheetDate(other), other).toBe(other);
  });
});
