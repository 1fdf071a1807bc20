// A workbook sheet as the CSV the importer reads, each line traced back to its sheet row.
import { describe, expect, it } from 'vitest';
import { csvDelimiterOf, headerRowIndex, runsAsFormula, sheetCellText, sheetColumnName, sheetNumberText, sheetToCsv, withoutFormulaGuard } from '../../src/core/spreadsheet.js';
import { SheetRowReader, parseWorkbookInfo, parseWorkbookParts, sheetSerialTime } from '../../src/core/xlsx-sheet.js';
import { scanXml } from '../../src/core/xml-scanner.js';

describe('a sheet as CSV', () => {
  it('starts at the first row with anything in it, leaves empty rows and columns out, and names a headless column that holds cells by its letter', () => {
    const sheet = [
      [null, null, null, null],
      [null, '编号', '姓名', null, null],
      [null, 'C1', '张伟, Jr.', null, 'x'],
      [null, null, null, null, null],
      [null, 'C2', '说 "你好"', null, null],
    ];
    const csv = sheetToCsv(sheet);
    expect(csv.text).toBe('编号,姓名,E\nC1,"张伟, Jr.",x\nC2,"说 ""你好""",\n');
    expect(csv.rows).toBe(2);
    expect([1, 2, 3].map(csv.rowOfLine)).toEqual([2, 3, 5]);
  });

  it('reads a sheet of as many rows as Excel holds', () => {
    // 1,048,576 rows, the header's among them; the last row alone fills a third column.
    const sheet: string[][] = [['编号', '姓名']];
    for (let row = 1; row < 1_048_575; row++) sheet.push([`C${row}`, '']);
    sheet.push(['C1048575', '', '备注']);
    const csv = sheetToCsv(sheet);
    expect(csv.rows).toBe(1_048_575);
    expect(csv.text.startsWith('编号,姓名,C\nC1,,\n')).toBe(true);
    expect(csv.text.endsWith('\nC1048575,,备注\n')).toBe(true);
  });

  it('traces the lines of a cell holding line breaks to one sheet row', () => {
    const csv = sheetToCsv([['id', 'address'], ['C1', '广州\r\n天河区'], ['C2', '深圳']]);
    expect(csv.text).toBe('id,address\nC1,"广州\n天河区"\nC2,深圳\n');
    expect([1, 2, 3, 4].map(csv.rowOfLine)).toEqual([1, 2, 2, 3]);
  });

  it('leaves out the title rows a report carries above its header, and says which', () => {
    const csv = sheetToCsv([['客户列表'], [null, '导出时间：2026-06-01'], [], ['编号', '姓名'], ['C1', '张伟']]);
    expect(csv.text).toBe('编号,姓名\nC1,张伟\n');
    expect(csv.titles).toEqual([
      { row: 1, text: '客户列表' },
      { row: 2, text: '导出时间：2026-06-01' },
    ]);
    expect([1, 2].map(csv.rowOfLine)).toEqual([4, 5]);
    // A sheet of one column has no title: its first row is the header.
    expect(sheetToCsv([['id'], ['C1'], ['C2']])).toMatchObject({ text: 'id\nC1\nC2\n', titles: [] });
  });

  it('leaves out a title row of several cells above a header of the importer\'s columns, and takes a row of such columns as the header whatever follows', () => {
    const csv = sheetToCsv([['客户名单 2026-11', null, '导出人：张三'], ['编号', '姓名', '生日'], ['M1', '甲', 32874]]);
    expect(csv).toMatchObject({ text: '编号,姓名,生日\nM1,甲,32874\n', titles: [{ row: 1, text: '客户名单 2026-11 导出人：张三' }] });
    // A header below it of one known column and nothing else, as of a single custom field beside the id.
    expect(headerRowIndex([['会员报表', '2026-11'], ['id', '']])).toBe(1);
    // Not when the first row names a column of the importer's, nor when the next names too few.
    expect(headerRowIndex([['id', '积分'], ['name', 'city']])).toBe(0);
    expect(headerRowIndex([['积分', '备注'], ['C1', '姓名']])).toBe(0);
  });

  it('is empty for a sheet with nothing on it', () => {
    expect(sheetToCsv([[null], []])).toMatchObject({ text: '', rows: 0 });
  });
});

describe('cells', () => {
  it('write dates as the sheet shows them, without a zone, and a bare date at midnight', () => {
    expect(sheetCellText(new Date(Date.UTC(1990, 4, 17)))).toBe('1990-05-17');
    expect(sheetCellText(new Date(Date.UTC(2026, 5, 1, 20, 15)))).toBe('2026-06-01 20:15:00');
    expect(sheetCellText(new Date(Date.UTC(2026, 5, 1, 8, 0, 5, 250)))).toBe('2026-06-01 08:00:05.250');
    expect(sheetCellText(true)).toBe('true');
    expect(sheetCellText(null)).toBe('');
  });

  it('write numbers as the sheet shows them: integers digit for digit, the rest at 15 significant digits', () => {
    expect(['13800138000', '1288.5', '0.30000000000000004', '1e+20', '1.234567890123457e+17', '-2.5E-7', 'x'].map(sheetNumberText)).toEqual([
      '13800138000',
      '1288.5',
      '0.3',
      '100000000000000000000',
      '123456789012346000',
      '-0.00000025',
      'x',
    ]);
    expect(sheetCellText(0.1 + 0.2)).toBe('0.3');
  });

  it('read a phone or member number kept as a number cell whole, however the workbook wrote it, not as 1.38001E+10', () => {
    // Excel writes 13800138000; other programs write the same number as 1.3800138E10 or 13800138000.0.
    const xml = [
      '<worksheet><sheetData><row r="1">',
      '<c r="A1"><v>13800138000</v></c><c r="B1"><v>1.3800138E10</v></c><c r="C1"><v>13800138000.0</v></c><c r="D1"><v>1.23456789012345E+14</v></c><c r="E1" s="0"><v>1.3800138E+10</v></c>',
      '</row></sheetData></worksheet>',
    ].join('');
    const rows: unknown[][] = [];
    scanXml(xml, new SheetRowReader({ strings: [], dateStyles: [false], date1904: false }, (row) => rows.push(row.cells)));
    expect(rows).toEqual([['13800138000', '13800138000', '13800138000', '123456789012345', '13800138000']]);
    expect(sheetToCsv(rows as never).text).toContain('13800138000,13800138000,13800138000,123456789012345,13800138000');
  });

  it('name columns as the sheet does', () => {
    expect([0, 7, 25, 26, 27, 701, 702].map(sheetColumnName)).toEqual(['A', 'H', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

describe('a CSV file as a spreadsheet saved it', () => {
  it('is split on commas, or on the semicolons or tabs of its first line that has any, titles above it left aside', () => {
    expect(csvDelimiterOf('id,name\nC1,"a;b"\n')).toBe(',');
    expect(csvDelimiterOf('\uFEFF编号;姓名;城市\r\nC1;"张, 伟";广州\r\n')).toBe(';');
    expect(csvDelimiterOf('会员报表\n导出时间：2026-06-01\nid\tname\tnote\nC1\tx\ty;z\n')).toBe('\t');
    // A comma in the header keeps the file a comma file, whatever its cells hold.
    expect(csvDelimiterOf('id,note\nC1,"a;b;c\td"\n')).toBe(',');
    // A semicolon inside quotes separates nothing.
    expect(csvDelimiterOf('"a;b"\tc\n')).toBe('\t');
    expect(csvDelimiterOf('id\nC1\n')).toBe(',');
    expect(csvDelimiterOf('')).toBe(',');
  });

  it('takes off the apostrophe an export put before a cell a spreadsheet would run, and keeps any other', () => {
    expect(["'=1+1", "'+86 138", "'@SUM(A1)", "'-A1", "'\tx"].map(withoutFormulaGuard)).toEqual(['=1+1', '+86 138', '@SUM(A1)', '-A1', '\tx']);
    expect(["'plain", "'-12.5", "'", "''=1", '=1+1', '张伟'].map(withoutFormulaGuard)).toEqual(["'plain", "'-12.5", "'", "''=1", '=1+1', '张伟']);
    expect(['=1+1', '-2+3', '+1', '@x', '-'].every(runsAsFormula)).toBe(true);
    expect(['-12', '-12.5', 'a-b', '张伟'].some(runsAsFormula)).toBe(false);
  });
});

describe('a date cell as read', () => {
  it('is the millisecond nearest its count of days: the time the sheet shows, not one a hair short', () => {
    const shown = (days: number, date1904 = false) => sheetCellText(new Date(sheetSerialTime(days, date1904)));
    // 2026-11-10 21:05:03 as a spreadsheet saves it, a hair short: floored to the millisecond, that was 21:05:02.999.
    expect(shown(46336.87850694444)).toBe('2026-11-10 21:05:03');
    expect(shown(46336.87847222222)).toBe('2026-11-10 21:05:00');
    // A hair short of midnight is that midnight: the date alone.
    expect(shown(46336.99999999999)).toBe('2026-11-11');
    expect(shown(46336.878825231484)).toBe('2026-11-10 21:05:30.500');
    expect(shown(46336.87882233796)).toBe('2026-11-10 21:05:30.250');
    // The same time counted from 1904.
    expect(shown(46336.87850694444 - 1462, true)).toBe('2026-11-10 21:05:03');
  });
});

describe('formula cells without a saved result', () => {
  it('are found by their places; a formula with its result saved, empty text included, is not', () => {
    const xml = [
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>',
      '<row r="2"><c r="B2"><f>CONCATENATE("a","b")</f><v></v></c><c r="C2" t="str"><f>A2</f><v>x</v></c></row>',
      '<row r="3"><c r="B3" t="str"><f>""</f><v></v></c><c r="D3"><f>1+1</f><v/></c><c r="E3"><f>1+1</f><v>2</v></c><c r="F3"/><c r="AA3" t="str"><f>A3</f></c></row>',
      '</sheetData></worksheet>',
    ].join('');
    const places: unknown[] = [];
    scanXml(xml, new SheetRowReader({ strings: ['编号'], dateStyles: undefined, date1904: false }, () => {}, (place) => places.push(place)));
    expect(places).toEqual([
      { row: 2, column: 1 },
      { row: 3, column: 3 },
      { row: 3, column: 26 },
    ]);
  });

  it("finds each sheet's part from the workbook and its relationships, however the target is written", () => {
    const workbook = '<workbook><sheets><sheet name="客户" sheetId="1" r:id="rId2"/><sheet name="订单" sheetId="2" r:id="rId1"/></sheets></workbook>';
    const type = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
    const relationships = `<Relationships><Relationship Id="rId1" Type="${type}" Target="worksheets/sheet2.xml"/><Relationship Target="/xl/worksheets/sheet1.xml" Id="rId2" Type="${type}"/></Relationships>`;
    const parts = parseWorkbookParts(relationships);
    expect(parseWorkbookInfo(workbook).sheets.map((sheet) => parts.sheets.get(sheet.relationId))).toEqual(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
  });
});
