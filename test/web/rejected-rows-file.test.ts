// The console's download of rejected rows: each row after its line, code and reason, under the
// `line,code,reason` columns of `tagbase import`'s report, in the file's own separator.
import { describe, expect, it } from 'vitest';
import { isRejectedReport } from '../../src/core/import-columns.js';
import { parseCsv } from '../../web/src/modules/imports/utils/parseCsv.js';
import { rejectedRowsFile } from '../../web/src/modules/imports/utils/rejectedRowsFile.js';

const both = (zh: string, en: string) => ({ reason: zh, localized: { 'zh-CN': zh, en } });

describe('the file of rejected rows as the console downloads it', () => {
  it('writes a row refused twice once, its reasons in one cell in the language asked, in the file’s separator', () => {
    const rejected = { header: '客户编号;事件类型;金额\r\n', delimiter: ';', rows: [{ line: 2, text: 'EV1;order_paid;199\r\n' }, { line: 4, text: 'EV3;"a;b";1' }] };
    const rejections = [
      { line: 2, code: 'EVENT_PROPERTIES_INVALID', ...both('order_id：必填', 'order_id: required') },
      { line: 2, code: 'EVENT_PROPERTIES_INVALID', ...both('amount：必填', 'amount: required') },
      { line: 4, code: 'VALIDATION_FAILED', ...both('=不是时间', '"x" is not a time') },
    ];
    expect(rejectedRowsFile(rejected, rejections, 'zh-CN')).toBe(
      "line;code;reason;客户编号;事件类型;金额\r\n2;EVENT_PROPERTIES_INVALID;order_id：必填 | amount：必填;EV1;order_paid;199\r\n4;VALIDATION_FAILED;'=不是时间;EV3;\"a;b\";1\r\n",
    );
    const english = parseCsv(rejectedRowsFile(rejected, rejections, 'en-US'));
    expect(english.map((row) => row.slice(0, 3))).toEqual([
      ['line', 'code', 'reason'],
      ['2', 'EVENT_PROPERTIES_INVALID', 'order_id: required | amount: required'],
      ['4', 'VALIDATION_FAILED', '"x" is not a time'],
    ]);
    expect(isRejectedReport(english[0] ?? [])).toBe(true);
  });

  it('writes an earlier report refused again with its new line, code and reason in place of the old', () => {
    const rejected = { header: 'line,code,reason,customer_id,tag,value\n', delimiter: ',', rows: [{ line: 2, text: '3,TAG_VALUE_NOT_FOUND,"旧的, 原因",C1,阶段,售中\n' }] };
    expect(rejectedRowsFile(rejected, [{ line: 2, code: 'TAG_VALUE_NOT_FOUND', reason: '新的原因' }], 'zh-CN')).toBe('line,code,reason,customer_id,tag,value\n2,TAG_VALUE_NOT_FOUND,新的原因,C1,阶段,售中\n');
  });
});
