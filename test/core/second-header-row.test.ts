// A header spanning two rows (a merged 联系方式 over 手机 and 邮箱) is told from a header with an
// empty cell and from a first customer row with blanks, which import as ever.
import { describe, expect, it } from 'vitest';
import { secondHeaderRow, secondHeaderRowText } from '../../src/core/spreadsheet.js';

describe('secondHeaderRow', () => {
  it('finds headings the importer knows below the header, in a column the header leaves blank', () => {
    expect(secondHeaderRow(['客户编号', '姓名', '联系方式', ''], ['', '', '手机', '邮箱'])).toEqual({ headings: ['手机', '邮箱'], above: '联系方式' });
    expect(secondHeaderRow(['id', 'name', 'contact', ''], ['', '', 'Mobile', 'E-mail'])).toEqual({ headings: ['Mobile', 'E-mail'], above: 'contact' });
  });

  it('finds any headings under a cell merged across columns', () => {
    expect(secondHeaderRow(['客户编号', '姓名', '社交账号', ''], ['', '', '微信', 'QQ'], [{ from: 2, to: 3 }])).toEqual({ headings: ['微信', 'QQ'], above: '社交账号' });
    // Not merged, and 微信 and QQ are no headings the importer knows: a row, as ever.
    expect(secondHeaderRow(['客户编号', '姓名', '社交账号', ''], ['', '', '微信', 'QQ'])).toBeUndefined();
  });

  it('takes a first customer row with blanks, or a header with an empty cell, for what they are', () => {
    // A customer under a header with a blank column: the id is no heading.
    expect(secondHeaderRow(['客户编号', '姓名', '联系方式', ''], ['00012', '张三', '13800138000', 'a@example.com'])).toBeUndefined();
    // A first row with blanks, its cells under headings.
    expect(secondHeaderRow(['编号', '姓名', '手机', '邮箱'], ['', '', '手机', '邮箱'])).toBeUndefined();
    expect(secondHeaderRow(['编号', '姓名', '城市', ''], ['C1', '', '', ''])).toBeUndefined();
    // A spreadsheet's empty columns after the last one used.
    expect(secondHeaderRow(['id', 'name', '', ''], ['C1', '张三', '', ''])).toBeUndefined();
    // A merged heading over a column of notes: the customer's id is under no merged cell.
    expect(secondHeaderRow(['编号', '姓名', '备注', ''], ['C1', '张三', '老客', '加急'], [{ from: 2, to: 3 }])).toBeUndefined();
    expect(secondHeaderRow(['编号', '姓名'], undefined)).toBeUndefined();
  });

  it('says what to do in both languages', () => {
    const text = secondHeaderRowText({ headings: ['手机', '邮箱'], above: '联系方式' });
    expect(text['zh-CN']).toBe('表头占了两行（如合并单元格"联系方式"下面还有"手机""邮箱"）：请只保留一行表头再导入');
    expect(text.en).toBe('the header takes two rows (as a merged cell "联系方式" with "手机", "邮箱" below it): keep one heading row and import again');
  });
});
