// The console's download of rejected rows writes a cell a spreadsheet would run as a formula as
// exports and `tagbase import`'s report write it, `'=…`, which an import reads back without the apostrophe.
import { describe, expect, it } from 'vitest';
import { withoutFormulaGuard } from '../../src/core/spreadsheet.js';
import { defusedRecord } from '../../web/src/modules/imports/utils/defusedRecord.js';

describe('a rejected row as the console downloads it', () => {
  it('puts an apostrophe before each cell a spreadsheet would run, quoting as needed, and keeps the line break', () => {
    expect(defusedRecord('F1,"=HYPERLINK(""http://x"",""点我"")",12\r\n', ',')).toBe('F1,"\'=HYPERLINK(""http://x"",""点我"")",12\r\n');
    expect(defusedRecord('F2,@SUM(1),-杭州,+1,-5\n', ',')).toBe("F2,'@SUM(1),'-杭州,'+1,-5\n");
    expect(defusedRecord('F3;=1+1;"a;b"\n', ';')).toBe("F3;'=1+1;\"a;b\"\n");
    expect(defusedRecord('F4\t=1+1\n', '\t')).toBe("F4\t'=1+1\n");
  });

  it('leaves a row with nothing to run as it is in the file, an export\'s defused cell included', () => {
    for (const record of ['C1,张伟,"上海, 浦东",12\n', "C2,'=1+1,-5\n", 'C3,"line\nbreak",x', 'C4,,\r\n']) expect(defusedRecord(record, ',')).toBe(record);
  });

  it('imports again as the file had it', () => {
    const record = 'F5,"=1+1\n第二行",@x\n';
    expect(defusedRecord(record, ',')).toBe('F5,"\'=1+1\n第二行",\'@x\n');
    expect(['\'=1+1\n第二行', "'@x"].map(withoutFormulaGuard)).toEqual(['=1+1\n第二行', '@x']);
  });
});
