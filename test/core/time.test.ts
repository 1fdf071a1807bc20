// Times as the API writes them (the arithmetic `toIso` against Date#toISOString), and dates as spreadsheets write them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUtcOffset, isBeforeEarliestTime, isCalendarDate, isValidDate, minuteWithZone, parseTimestamp, parseUtcOffset, parseWorkspaceTime, readImportTime, spreadsheetDate, toIso } from '../../src/core/time.js';

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

describe('times the API reads', () => {
  it('take an offset of hours alone, as PostgreSQL writes a timestamptz, and a lower-case t or z, as RFC 3339 allows', () => {
    const at = (text: string) => { const ms = parseTimestamp(text); return ms === undefined ? undefined : new Date(ms).toISOString(); };
    expect(at('2026-11-20 10:30:00+08')).toBe('2026-11-20T02:30:00.000Z');
    expect(at('2026-11-20T10:30:00.123456-05')).toBe('2026-11-20T15:30:00.123Z');
    expect(at('2026-11-20t10:30:00z')).toBe('2026-11-20T10:30:00.000Z');
    for (const text of ['2026-11-20T10:30:00+0800', '2026-11-20T10:30:00+08:00']) expect(at(text)).toBe('2026-11-20T02:30:00.000Z');
    expect(at('2026-11-20T10:30')).toBe('2026-11-20T10:30:00.000Z');
    expect(at('2026-11-20')).toBe('2026-11-20T00:00:00.000Z');
    // A zone only after a time, and of two digits: 2026-11-20-08 could be a date of another form.
    for (const text of ['2026-11-20Z', '2026-11-20-08', '2026-11-20T10:30:00+8', '2026-02-30T00:00:00Z', '2026-11-20T25:00:00Z', '2026-11-20T10:30:00 +08']) expect(at(text)).toBeUndefined();
  });

  it('refuse hour 24 and an offset no zone has, as imports do', () => {
    for (const text of ['2026-01-01T24:00:00Z', '2026-01-01 24:00', '2026-01-01T10:00:00+14:01', '2026-01-01T10:00:00-12:01', '2026-01-01T10:00:00+23:59', '2026-01-01T10:00:00+1401', '2026-01-01T10:00:00+15']) {
      expect(parseTimestamp(text), text).toBeUndefined();
      expect(readImportTime(text, 480), text).toBeUndefined();
    }
    expect(readImportTime('2026-01-01T10:00:00+99:00', 480)).toBeUndefined();
    expect(readImportTime('2026-01-01T10:00:00+08:60', 480)).toBeUndefined();
    expect(parseTimestamp('2026-01-01T10:00:00+14:00')).toBe(Date.parse('2025-12-31T20:00:00Z'));
    expect(parseTimestamp('2026-01-01T10:00:00-12:00')).toBe(Date.parse('2026-01-01T22:00:00Z'));
    expect(readImportTime('2026-01-01T10:00:00-1200', 480)).toMatchObject({ iso: '2026-01-01T22:00:00.000Z' });
  });

  it('read a time without an offset in a workspace on its clock, a date alone as that day, its start or the whole of it, and a time with one as written', () => {
    const at = (text: string, offset: number, edge?: 'start' | 'end') => { const ms = parseWorkspaceTime(text, offset, edge); return ms === undefined ? undefined : toIso(ms); };
    expect(at('2026-12-01', 480)).toBe('2026-11-30T16:00:00.000Z');
    expect(at(' 2026-12-01 ', 480, 'end')).toBe('2026-12-01T16:00:00.000Z');
    expect(at('2026-12-01', -300)).toBe('2026-12-01T05:00:00.000Z');
    expect(at('2026-12-01', 345, 'end')).toBe('2026-12-01T18:15:00.000Z');
    for (const text of ['2026-12-01T00:00:00Z', '2026-12-01T08:00:00+08:00']) expect(at(text, 480, 'end')).toBe('2026-12-01T00:00:00.000Z');
    expect(at('2026-02-30', 480)).toBeUndefined();
    // A date and time without an offset is that time on the workspace's clock, as an import reads it; never a whole day.
    for (const text of ['2026-12-01T10:00:00', '2026-12-01 10:00', '2026-12-01t10:00:00.000']) expect(at(text, 480, 'end')).toBe('2026-12-01T02:00:00.000Z');
    expect(at('2026-12-01T10:00:00', 480)).toBe(readImportTime('2026-12-01T10:00:00', 480)?.iso);
    expect(at('2026-12-01T10:00', -300)).toBe('2026-12-01T15:00:00.000Z');
    for (const text of ['2026-12-01T10:00:00z', '2026-12-01 10:00+00', '2026-12-01T18:00:00+0800', '2026-12-01T05:00:00-05:00']) expect(at(text, 480)).toBe('2026-12-01T10:00:00.000Z');
    expect(at('2026-12-01T10:00:00+05:45', 480)).toBe('2026-12-01T04:15:00.000Z');
  });
});

describe('dates of years 0-99', () => {
  it('are days of those years, not of 1900-1999 as Date.UTC reads them, and too early for a time to keep', () => {
    expect(isCalendarDate('0050-01-01')).toBe(true);
    expect(isCalendarDate('0004-02-29')).toBe(true);
    expect(isCalendarDate('0001-02-29')).toBe(false);
    // The expression language takes no date of those years.
    expect(isValidDate('0050-01-01')).toBe(false);
    expect(isBeforeEarliestTime('0050-01-01T08:00:00Z')).toBe(true);
    expect(isBeforeEarliestTime('1970-01-01T00:00:00Z')).toBe(false);
    expect(isBeforeEarliestTime('0050-02-30')).toBe(false);
    expect(readImportTime('0050/1/1 08:00', 480)).toEqual({ iso: '0050-01-01T00:00:00.000Z', zoned: false, local: '0050-01-01T08:00:00.000+08:00' });
  });
});

describe('dates as spreadsheets write them', () => {
  it('become YYYY-MM-DD, and anything else is left for the date check to refuse', () => {
    for (const written of ['1990/5/17', '1990/05/17', '1990.5.17', '1990-5-17', '1990年5月17日', '1990 年 5 月 17 日', '1990/5/17 0:00', '1990/5/17 00:00:00']) {
      expect(spreadsheetDate(written), written).toBe('1990-05-17');
    }
    expect(spreadsheetDate('1990-05-17')).toBe('1990-05-17');
    expect(isValidDate(spreadsheetDate('2026/2/30'))).toBe(false);
    // A day that does not exist is left as written, so that its refusal quotes what the file holds.
    for (const missing of ['2026/2/30', '1990/13/40', '1990年13月40日']) expect(spreadsheetDate(missing), missing).toBe(missing);
    for (const other of ['17/5/1990', '1990/5/17 8:30', 'May 17, 1990', '']) expect(spreadsheetDate(other), other).toBe(other);
  });
});

describe('times in import files', () => {
  it('are read in the workspace zone when they name none, and keep the zone they name', () => {
    const china = 480;
    const cases: [string, string][] = [
      ['2026-06-01 20:15:00', '2026-06-01T12:15:00.000Z'],
      ['2026/6/1 20:15', '2026-06-01T12:15:00.000Z'],
      ['2026.6.1 8:05', '2026-06-01T00:05:00.000Z'],
      ['2026年6月1日 20:15', '2026-06-01T12:15:00.000Z'],
      ['2026-06-01T20:15:30.25', '2026-06-01T12:15:30.250Z'],
      ['2026-06-01', '2026-05-31T16:00:00.000Z'],
      ['2026/6/1 0:30', '2026-05-31T16:30:00.000Z'],
    ];
    for (const [written, iso] of cases) expect(readImportTime(written, china), written).toMatchObject({ iso, zoned: false });
    expect(readImportTime('2026-06-01T20:15:00Z', china)).toMatchObject({ iso: '2026-06-01T20:15:00.000Z', zoned: true });
    expect(readImportTime('2026-06-01T20:15:00+0530', china)).toMatchObject({ iso: '2026-06-01T14:45:00.000Z', zoned: true });
    expect(readImportTime('2026-06-01 20:15-03:00', china)).toMatchObject({ iso: '2026-06-01T23:15:00.000Z', zoned: true });
    expect(readImportTime('2026/6/1 20:15', 0)).toMatchObject({ iso: '2026-06-01T20:15:00.000Z', zoned: false });
    for (const other of ['2026/2/30 8:00', '2026/6/1 24:00', '2026/6/1 8:60', '6/1/2026 8:00', '2026/6/1 下午3:00', 'not a time', '']) expect(readImportTime(other, china), other).toBeUndefined();
  });

  it('read a date alone that ends a period (an expiry, 有效期至) as the whole of that day, as the API reads one; a time of day or a zone as written', () => {
    const china = 480;
    for (const written of ['2026-12-31', '2026/12/31', '2026.12.31', '2026年12月31日', ' 2026/12/31 ']) {
      expect(readImportTime(written, china, 'end'), written).toMatchObject({ iso: '2026-12-31T16:00:00.000Z', zoned: false });
      expect(readImportTime(written, china, 'end')?.iso).toBe(toIso(parseWorkspaceTime('2026-12-31', china, 'end') ?? NaN));
    }
    expect(readImportTime('2026/12/31', -300, 'end')?.iso).toBe('2027-01-01T05:00:00.000Z');
    expect(readImportTime('2026/12/31', china)?.iso).toBe('2026-12-30T16:00:00.000Z');
    for (const timed of ['2026/12/31 00:00', '2026-12-31T00:00:00', '2026年12月31日 0:00']) expect(readImportTime(timed, china, 'end')?.iso, timed).toBe('2026-12-30T16:00:00.000Z');
    expect(readImportTime('2026-12-31 00:00+08:00', 0, 'end')?.iso).toBe('2026-12-30T16:00:00.000Z');
  });

  it('take an offset of hours alone after a time, as the API does', () => {
    const china = 480;
    expect(readImportTime('2026-06-01 20:15:00+08', 0)).toMatchObject({ iso: '2026-06-01T12:15:00.000Z', zoned: true });
    expect(readImportTime('2026/6/1 20:15 -05', china)).toMatchObject({ iso: '2026-06-02T01:15:00.000Z', zoned: true });
    for (const text of ['2026-11-20 10:30:00+08', '2026-11-20T10:30:00.123456-05', '2026-11-20t10:30:00z']) {
      expect(readImportTime(text, china)?.iso, text).toBe(new Date(parseTimestamp(text) ?? NaN).toISOString());
    }
    for (const text of ['2026-11-20-08', '2026/11/20+08', '2026-11-20T10:30:00+8']) expect(readImportTime(text, china), text).toBeUndefined();
  });

  it('agree with the API reading of a time that names its zone', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2999, 11, 31) }), fc.integer({ min: -12 * 60, max: 14 * 60 }), (ms, offset) => {
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
        const sign = offset < 0 ? '-' : '+';
        const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        const read = readImportTime(`${local}${zone}`, 480);
        expect(read?.iso).toBe(new Date(parseTimestamp(`${local}${zone}`) ?? NaN).toISOString());
        expect(readImportTime(local, offset)?.iso).toBe(read?.iso);
      }),
      { numRuns: 2000 },
    );
  });

  it('name the workspace zone as UTC±hh:mm', () => {
    expect([480, 0, -210, 345].map(formatUtcOffset)).toEqual(['UTC+08:00', 'UTC+00:00', 'UTC-03:30', 'UTC+05:45']);
  });

  it('write a time with its zone in the parentheses of the language: ASCII in English, full-width in Chinese', () => {
    const at = Date.parse('2027-01-05T17:14:00Z');
    expect(minuteWithZone(at, 480, 'en')).toBe('2027-01-06 01:14 (UTC+08:00)');
    expect(minuteWithZone(at, 480, 'zh-CN')).toBe('2027-01-06 01:14（UTC+08:00）');
    expect(minuteWithZone(at, -210, 'zh-CN')).toBe('2027-01-05 13:44（UTC-03:30）');
  });
});

describe('time zones as people write them', () => {
  it('reads an offset with or without UTC, colon or minutes, and gives it back as written by formatUtcOffset', () => {
    expect(['+08:00', '+8', 'UTC+8', 'utc+08:00', 'GMT+0800'].map(parseUtcOffset)).toEqual([480, 480, 480, 480, 480]);
    expect(['-05:30', 'UTC−3', '+05:45', '0', '-0', 'UTC+14', '-12:00'].map(parseUtcOffset)).toEqual([-330, -180, 345, 0, 0, 840, -720]);
    expect(['Z', 'z', 'UTC', 'gmt', ' UTC '].map(parseUtcOffset)).toEqual([0, 0, 0, 0, 0]);
    fc.assert(fc.property(fc.integer({ min: -48, max: 56 }), (quarters) => parseUtcOffset(formatUtcOffset(quarters * 15)) === quarters * 15));
  });

  it('refuses what no zone has, and a bare number that could be hours or minutes', () => {
    expect(['8', '480', '+15', '-13', '+08:20', '+05:70', 'Asia/Shanghai', '', '++8'].map(parseUtcOffset)).toEqual(Array(9).fill(undefined));
  });

  it('takes only +, - and the minus sign for a sign: another character before the hours is no offset (99:00 is not +09:00, 0800 is a bare number)', () => {
    expect(['99:00', '0800', '18', '55', 'x8', 'A5:30', '=8', '~8', 'UTC88', '×8'].map(parseUtcOffset)).toEqual(Array(10).fill(undefined));
  });
});
