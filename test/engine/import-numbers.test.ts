import { describe, expect, it } from 'vitest';
import { excelSerialTime, spreadsheetNumber } from '../../src/engine/import-rows.js';

describe('a number cell as shop exports write it', () => {
  it('reads currency signs, thousands separators and 元', () => {
    expect(['199', '1,000', '¥199', '￥1,299.00', '$ 12.5', '199元', '-12.5', '-¥3', '¥-3', ' 1,234,567.89 '].map(spreadsheetNumber)).toEqual([199, 1000, 199, 1299, 12.5, 199, -12.5, -3, -3, 1234567.89]);
  });

  it('reads nothing from what is not one number', () => {
    expect(['', '1,5', '12,34,567', '1.000,50', '--3', '-¥-3', 'abc', '¥', '1 000', '1e3', '0x10'].map(spreadsheetNumber)).toEqual(Array.from({ length: 11 }, () => undefined));
  });
});

describe('a time cell as Excel writes one formatted as a number', () => {
  it('reads the serial as the wall-clock time it stands for, to the second, and a whole one as its day', () => {
    expect(['45291.75', '46143.52291666667', '45291.7604166667', '45291', '45291.0', ' 32874 '].map(excelSerialTime)).toEqual([
      '2023-12-31 18:00:00',
      '2026-05-01 12:33:00',
      '2023-12-31 18:15:00',
      '2023-12-31',
      '2023-12-31',
      '1990-01-01',
    ]);
  });

  it('reads nothing from what is no such serial: a year, a small or signed number, a Unix time', () => {
    expect(['1990', '2999.5', '-45291.75', '45291,75', '1767225600', '4.5291E+4', '', '2023-12-31'].map(excelSerialTime)).toEqual(Array.from({ length: 8 }, () => undefined));
  });
});
