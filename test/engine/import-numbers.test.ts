import { describe, expect, it } from 'vitest';
import { spreadsheetNumber } from '../../src/engine/import-rows.js';

describe('a number cell as shop exports write it', () => {
  it('reads currency signs, thousands separators and 元', () => {
    expect(['199', '1,000', '¥199', '￥1,299.00', '$ 12.5', '199元', '-12.5', '-¥3', '¥-3', ' 1,234,567.89 '].map(spreadsheetNumber)).toEqual([199, 1000, 199, 1299, 12.5, 199, -12.5, -3, -3, 1234567.89]);
  });

  it('reads nothing from what is not one number', () => {
    expect(['', '1,5', '12,34,567', '1.000,50', '--3', '-¥-3', 'abc', '¥', '1 000', '1e3', '0x10'].map(spreadsheetNumber)).toEqual(Array.from({ length: 11 }, () => undefined));
  });
});
