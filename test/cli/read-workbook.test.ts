// `tagbase import` (and the console, through the same reader) reads a workbook's sheet a row at a
// time as it is unzipped; the rows it reads are those a whole-workbook reader (read-excel-file)
// reads from the same file, cell for cell, and they go through the importer as the same CSV text.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync, type Zippable } from 'fflate';
import readWorkbook from 'read-excel-file/universal';
import { afterAll, describe, expect, it } from 'vitest';
import { readRows, readStandardInput, type RawRow } from '../../src/cli/import/read-rows.js';
import { bufferSource, inflateRaw } from '../../src/cli/import/xlsx-zip.js';
import { SheetCsvSurvey, sheetRowTexts } from '../../src/core/sheet-csv-stream.js';
import { sheetToCsv } from '../../src/core/spreadsheet.js';
import { SheetRowReader, type SheetRow } from '../../src/core/xlsx-sheet.js';
import { openWorkbook } from '../../src/core/xlsx-workbook.js';
import { XmlScanner } from '../../src/core/xml-scanner.js';
import { parseRows } from '../../src/engine/imports.js';
import { writeXlsx } from '../../src/engine/xlsx-writer.js';
import { readWholeWorkbook } from '../support/whole-workbook.js';

const dir = mkdtempSync(join(tmpdir(), 'tagbase-read-workbook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))));

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface BookSpec {
  sheets: { name: string; xml: string }[];
  strings?: string[];
  styles?: string;
  date1904?: boolean;
  /** Entries stored rather than deflated. */
  stored?: boolean;
  /** The sheets' parts first in the zip, before the workbook's own. */
  sheetsFirst?: boolean;
}

/** A workbook written by hand, part by part, as Excel and other programs write them. */
function book(spec: BookSpec): Uint8Array {
  const sheetEntries = spec.sheets.map((sheet, index) => [`xl/worksheets/sheet${index + 1}.xml`, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${sheet.xml}`] as const);
  const own: [string, string][] = [
    ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    [
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${RELS}">${spec.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${spec.sheets
        .map((sheet, index) => `<sheet name="${sheet.name.replace(/&/g, '&amp;')}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`)
        .join('')}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${spec.sheets
        .map((_, index) => `<Relationship Id="rId${index + 1}" Type="${RELS}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`)
        .join('')}<Relationship Id="rIdS" Type="${RELS}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdY" Type="${RELS}/styles" Target="/xl/styles.xml"/></Relationships>`,
    ],
  ];
  if (spec.strings) own.push(['xl/sharedStrings.xml', `<sst xmlns="${MAIN}" count="${spec.strings.length}">${spec.strings.map((item) => `<si>${item}</si>`).join('')}</sst>`]);
  if (spec.styles) own.push(['xl/styles.xml', `<styleSheet xmlns="${MAIN}">${spec.styles}</styleSheet>`]);
  const entries = spec.sheetsFirst ? [...sheetEntries, ...own] : [...own, ...sheetEntries];
  const files: Zippable = {};
  for (const [name, text] of entries) files[name] = [strToU8(text), { level: spec.stored ? 0 : 6 }];
  return zipSync(files);
}

const sheetXml = (rows: string, prefix = '') => (prefix ? `<${prefix}:worksheet xmlns:${prefix}="${MAIN}"><${prefix}:sheetData>${rows}</${prefix}:sheetData></${prefix}:worksheet>` : `<worksheet xmlns="${MAIN}"><dimension ref="A1:H12"/><sheetData>${rows}</sheetData></worksheet>`);

const STYLES = `<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/><numFmt numFmtId="165" formatCode="0.00"/><numFmt numFmtId="166" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<cellStyleXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf xfId="1"/><xf numFmtId="166"/><xf numFmtId="49"/></cellXfs>
<dxfs count="1"><dxf><numFmt numFmtId="167" formatCode="0%"/></dxf></dxfs>`;

const STRINGS = [
  '<t>编号</t>',
  '<t>姓名</t>',
  '<r><t>城</t></r><r><rPr><b/></rPr><t>市</t></r>',
  '<t>备注</t>',
  '<t>A&amp;B &lt;x&gt; &quot;q&quot; &apos;a&apos; &#x4E2D;&#25991; &nbsp;</t>',
  '<t xml:space="preserve">  前后有空格  </t>',
  '<r><t>东京</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/>',
  '<t>行一\n行二</t>',
  '<t>=1+1</t>',
  '<t>-杭州</t>',
  '<t>_x000D_回车_x005F_x0041_</t>',
  '<t/>',
  '<t>   </t>',
  '<t>张伟, Jr.</t>',
];

/** Cells of every kind a sheet holds, sparse, with an empty row, a title above and cells past the header's columns. */
const MIXED = sheetXml(`
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t>生日</t></is></c><c r="E1" t="str"><v>注册时间</v></c><c r="F1" t="inlineStr"><is><r><t>金</t></r><r><rPr><b/></rPr><t xml:space="preserve">额 </t></r></is></c><c r="H1" t="s"><v>3</v></c></row>
<row r="2" spans="1:8"><c r="A2" t="s"><v>4</v></c><c r="B2"><v>13800138000</v></c><c r="C2" s="1"><v>32874</v></c><c r="D2" s="2"><v>46143.52291666667</v></c><c r="E2" t="b"><v>1</v></c><c r="F2"><f>1+2</f><v>3</v></c><c r="H2" t="str"><f>"a"&amp;"b"</f><v>a&amp;b</v></c></row>
<row r="4"><c r="A4" t="s"><v>5</v></c><c r="G4"><v>0.30000000000000004</v></c><c r="H4" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
<row r="5"><c r="A5" t="s"><v>6</v></c><c r="B5"><f>SUM(B1:B2)</f></c><c r="C5" t="b"><v>0</v></c><c r="D5" t="d"><v>2026-05-01T09:30:00Z</v></c><c r="E5" s="3"><v>12.5</v></c><c r="F5" t="str"><f>""</f><v></v></c><c r="G5" s="0"><v>-0.1</v></c></row>
<row r="6"/>
<row r="7"><c r="A7" s="4"><v>45123.25</v></c><c r="B7" t="s"><v>7</v></c><c r="C7" t="inlineStr"><is><t>说 "你好", ok</t></is></c><c r="D7" t="s"><v>8</v></c><c r="E7" t="s"><v>9</v></c><c r="F7" t="s"><v>10</v></c><c r="G7" s="5"><v>45292</v></c><c r="H7" s="6"><v>0012</v></c></row>
<row r="9"><c r="A9" t="s"><v>11</v></c><c r="B9"><v>1E+20</v></c><c r="C9"><v>2.5E-3</v></c><c r="D9" t="n"><v></v></c><c r="E9" t="s"></c><c r="F9" t="s"><v>12</v></c><c r="G9" t="inlineStr"><is><t>a&#13;&#10;b</t></is></c><c r="H9"><v>123456789012345678</v></c></row>
<row r="10"><c r="A10" t="s"><v>13</v></c><c r="B10" t="inlineStr"><is><t>中&#x6587;&#20013;</t></is></c><c r="J10" t="inlineStr"><is><t>past the header</t></is></c></row>
<row r="12"><c r="A12" t="str"><v>   </v></c></row>
`);

/** A report: one-cell titles above the header, a column without a heading that holds cells further down. */
const REPORT = sheetXml(
  `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>会员报表</x:t></x:is></x:c></x:row>
<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>导出时间：2026-06-01 09:00</x:t></x:is></x:c></x:row>
<x:row r="4"><x:c r="A4" t="s"><x:v>0</x:v></x:c><x:c r="B4" t="s"><x:v>1</x:v></x:c><x:c r="C4" t="s"><x:v>2</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:t>R1</x:t></x:is></x:c><x:c r="B5" t="inlineStr"><x:is><x:t>周杰</x:t></x:is></x:c><x:c r="C5" t="inlineStr"><x:is><x:t>上海</x:t></x:is></x:c></x:row>
<x:row r="9"><x:c r="A9" t="inlineStr"><x:is><x:t>R2</x:t></x:is></x:c><x:c r="E9" t="inlineStr"><x:is><x:t>no heading</x:t></x:is></x:c></x:row>`,
  'x',
);

/** A one-column list whose header comes after forty empty rows. */
const LATE = sheetXml(
  [`<row r="41"><c r="B41" t="inlineStr"><is><t>手机</t></is></c></row>`, ...Array.from({ length: 5 }, (_, k) => `<row r="${42 + k}"><c r="B${42 + k}"><v>1380013800${k}</v></c></row>`)].join(''),
);

/** Many rows of every kind, longer than the pieces a part is unzipped in. */
function manyRows(count: number): string {
  const rows: string[] = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t>时间</t></is></c><c r="E1" t="inlineStr"><is><t>金额</t></is></c></row>'];
  for (let n = 2; n <= count; n++) {
    const cells = [`<c r="A${n}" t="inlineStr"><is><t>C${n}</t></is></c>`, `<c r="B${n}" t="s"><v>${n % STRINGS.length}</v></c>`];
    if (n % 3 !== 0) cells.push(`<c r="C${n}" t="inlineStr"><is><t xml:space="preserve"> 城市 &amp; ${n} </t></is></c>`);
    // Times to the second, as typed: n hours and seven seconds on.
    if (n % 5 !== 0) cells.push(`<c r="D${n}" s="2"><v>${45000 + (n * 3607) / 86_400}</v></c>`);
    cells.push(`<c r="E${n}"><v>${(n * 0.1).toString()}</v></c>`);
    if (n % 11 === 0) cells.push(`<c r="F${n}"><f>E${n}*2</f></c>`);
    if (n % 97 !== 0) rows.push(`<row r="${n}">${cells.join('')}</row>`);
  }
  return sheetXml(rows.join('\n'));
}

async function tagbaseWorkbook(): Promise<Uint8Array> {
  const header = ['编号', '姓名', '手机', '积分', '会员'];
  const rows = [
    ['C1', '张伟', '13800138000', 12.5, true],
    ['C2', 'A&B <x>', null, 0.30000000000000004, false],
    ['C3', '  空格  ', '', -3, null],
  ];
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeXlsx('客户', header, (async function* () {
    yield rows;
  })())) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

const WORKBOOKS: { name: string; bytes: () => Uint8Array | Promise<Uint8Array> }[] = [
  { name: 'shop-export.xlsx (openpyxl)', bytes: () => fixture('shop-export.xlsx') },
  { name: 'member-list.xlsx (openpyxl)', bytes: () => fixture('member-list.xlsx') },
  { name: 'times-and-formulas.xlsx (openpyxl)', bytes: () => fixture('times-and-formulas.xlsx') },
  { name: 'an export written by tagbase', bytes: tagbaseWorkbook },
  {
    name: 'hand-written parts: every kind of cell',
    bytes: () => book({ sheets: [{ name: '混合', xml: MIXED }, { name: '报表 & 汇总', xml: REPORT }, { name: '晚表头', xml: LATE }], strings: STRINGS, styles: STYLES }),
  },
  { name: 'stored parts, the sheets before the workbook, dates from 1904', bytes: () => book({ sheets: [{ name: 'A', xml: MIXED }], strings: STRINGS, styles: STYLES, date1904: true, stored: true, sheetsFirst: true }) },
  { name: 'no shared strings, no styles', bytes: () => book({ sheets: [{ name: 'S', xml: REPORT.replace(/t="s"><x:v>(\d)<\/x:v>/g, 't="inlineStr"><x:is><x:t>列$1</x:t></x:is>') }] }) },
  { name: '3,000 rows', bytes: () => book({ sheets: [{ name: '大表', xml: manyRows(3000) }], strings: STRINGS, styles: STYLES }) },
];

/** The rows as the whole-workbook reader reads a sheet: trailing empty cells and rows left off, dates as their times. */
function normalized(rows: readonly (readonly unknown[])[]): unknown[][] {
  const out = rows.map((row) => {
    const cells = row.map((cell) => (cell instanceof Date ? { date: cell.getTime() } : cell));
    while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });
  while (out.length > 0 && (out[out.length - 1]?.length ?? 0) === 0) out.pop();
  return out;
}

/** The sheet's rows by index, as the streaming reader reads them. */
async function streamedRows(bytes: Uint8Array, position: number): Promise<{ rows: unknown[][]; formulas: { row: number; column: number }[] }> {
  const workbook = await openWorkbook(bufferSource(Buffer.from(bytes)), inflateRaw);
  const rows: unknown[][] = [];
  const formulas: { row: number; column: number }[] = [];
  for await (const batch of workbook.rows(position, (place) => formulas.push(place))) {
    for (const row of batch) {
      while (rows.length < row.index) rows.push([]);
      rows.push(row.cells);
    }
  }
  return { rows, formulas };
}

/**
 * What the importer read from a workbook before it was read a row at a time: the sheet whole, as
 * CSV text, the rows with a formula saved without its result (`formulas`, found when the sheet
 * was read) refused.
 */
async function wholeSheetRows(bytes: Uint8Array, position: number, formulas: readonly { row: number; column: number }[]): Promise<RawRow[]> {
  const sheets = await readWholeWorkbook(bytes);
  const csv = sheetToCsv((sheets[position]?.data ?? []) as unknown[][]);
  const unsaved = new Map<number, string[]>();
  for (const place of formulas) unsaved.set(place.row, [...(unsaved.get(place.row) ?? []), csv.headingOf(place.column)]);
  const rows: RawRow[] = [];
  for await (const row of parseRows(csv.text, 'csv')) {
    const line = csv.rowOfLine(row.line);
    const columns = unsaved.get(line);
    rows.push(columns && row.record ? { line, problem: { reason: 'formula_without_result', params: { columns } }, cells: row.record } : ({ ...row, line } as RawRow));
  }
  return rows;
}

describe('a workbook read a row at a time', () => {
  for (const workbook of WORKBOOKS) {
    it(`reads what the whole-workbook reader reads: ${workbook.name}`, async () => {
      const bytes = await workbook.bytes();
      const sheets = await readWholeWorkbook(bytes);
      const path = join(dir, `${workbook.name.replace(/\W+/g, '-')}.xlsx`);
      writeFileSync(path, bytes);
      expect(sheets.length).toBeGreaterThan(0);
      for (const [position, sheet] of sheets.entries()) {
        const streamed = await streamedRows(bytes, position);
        // Cell for cell: strings, numbers as text, dates, booleans, empty cells.
        expect(normalized(streamed.rows), sheet.sheet).toEqual(normalized(sheet.data as unknown[][]));
        // The same CSV text, rows counted and titles found, from the rows read twice.
        const whole = sheetToCsv(sheet.data as unknown[][]);
        const survey = new SheetCsvSurvey();
        streamed.rows.forEach((row, index) => survey.observe(index, sheetRowTexts(row)));
        const plan = survey.plan();
        const lines = plan.headerIndex < 0 ? [] : [plan.headerLine, ...streamed.rows.flatMap((row, index) => plan.lineOf(index, sheetRowTexts(row)) ?? [])];
        expect(lines.length === 0 ? '' : `${lines.join('\n')}\n`, sheet.sheet).toBe(whole.text);
        expect({ rows: plan.rows, titles: plan.titles }).toEqual({ rows: whole.rows, titles: whole.titles });
        // And the importer's rows, numbered by the sheet, formula cells without a result refused.
        const read: RawRow[] = [];
        let told: { name: string; titles: unknown } | undefined;
        const progress: number[] = [];
        for await (const row of readRows(path, 'xlsx', (bytes) => progress.push(bytes), { sheet: sheet.sheet, onSheet: (found) => (told = { name: found.name, titles: found.titles }) })) read.push(row);
        expect(read, sheet.sheet).toEqual(await wholeSheetRows(bytes, position, streamed.formulas));
        expect(told).toEqual({ name: sheet.sheet, titles: whole.titles });
        // The progress bar follows the rows read, as a share of the file, to its end.
        expect(progress.every((value, index) => index === 0 || value >= (progress[index - 1] ?? 0))).toBe(true);
        expect(progress.at(-1)).toBe(bytes.byteLength);
      }
    });
  }

  it('reads a workbook piped in as it reads the file', async () => {
    const bytes = book({ sheets: [{ name: '混合', xml: MIXED }, { name: '报表 & 汇总', xml: REPORT }], strings: STRINGS, styles: STYLES });
    const path = join(dir, 'piped.xlsx');
    writeFileSync(path, bytes);
    const fromFile: RawRow[] = [];
    for await (const row of readRows(path, 'xlsx', undefined, { sheet: '报表 & 汇总' })) fromFile.push(row);
    const piped: RawRow[] = [];
    const halves = [bytes.subarray(0, 1000), bytes.subarray(1000)].map((half) => Buffer.from(half));
    for await (const row of readStandardInput(Readable.from(halves), 'xlsx', undefined, { sheet: '报表 & 汇总' })) piped.push(row);
    expect(piped).toEqual(fromFile);
    expect(fromFile.map((row) => row.line)).toEqual([5, 9]);
  });

  it('reads a sheet the same in pieces of any size, a tag or a character reference cut anywhere', () => {
    const context = { strings: STRINGS.map(() => 'x'), dateStyles: [false, true, true, false, true, true, false], date1904: false };
    const read = (pieces: string[]) => {
      const rows: SheetRow[] = [];
      const formulas: unknown[] = [];
      const scanner = new XmlScanner(new SheetRowReader(context, (row) => rows.push(row), (place) => formulas.push(place)));
      for (const piece of pieces) scanner.write(piece);
      scanner.end();
      return { rows, formulas };
    };
    const xml = `<?xml version="1.0"?>${MIXED}`;
    const whole = read([xml]);
    expect(whole.rows.map((row) => row.index)).toEqual([0, 1, 3, 4, 6, 8, 9]);
    for (const size of [1, 2, 3, 7, 64]) {
      const pieces: string[] = [];
      for (let at = 0; at < xml.length; at += size) pieces.push(xml.slice(at, at + size));
      expect(read(pieces)).toEqual(whole);
    }
  });

  it('reads cells and rows written without their references as the next ones, where the whole-workbook reader failed', async () => {
    const bytes = book({ sheets: [{ name: 'S', xml: sheetXml('<row><c t="inlineStr"><is><t>编号</t></is></c><c t="inlineStr"><is><t>姓名</t></is></c></row><row><c><v>1</v></c><c t="inlineStr"><is><t>张伟</t></is></c></row>') }] });
    await expect(readWorkbook(bytes.buffer as ArrayBuffer)).rejects.toThrow();
    expect((await streamedRows(bytes, 0)).rows).toEqual([['编号', '姓名'], ['1', '张伟']]);
  });

  it('keeps the leading zeros a format of zeros alone shows, as a member number or a phone kept as a number has them', async () => {
    const styles = `<numFmts count="2"><numFmt numFmtId="170" formatCode="00000000"/><numFmt numFmtId="171" formatCode="000000;@"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="171"/><xf numFmtId="1"/></cellXfs>`;
    const cells: [string, string][] = [[' s="1"', '12345'], [' s="2"', '42'], [' s="1"', '123456789'], [' s="1"', '-5'], [' s="1"', '1.5'], [' s="3"', '7'], ['', '0012']];
    const rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>会员号</t></is></c></row>' + cells.map(([style, value], k) => `<row r="${k + 2}"><c r="A${k + 2}"${style}><v>${value}</v></c></row>`).join('');
    const bytes = book({ sheets: [{ name: 'S', xml: sheetXml(rows) }], styles });
    // What the sheet shows; a number longer than its format, a negative one, a fraction and other formats as they are.
    expect((await streamedRows(bytes, 0)).rows).toEqual([['会员号'], ['00012345'], ['000042'], ['123456789'], ['-5'], ['1.5'], ['7'], ['0012']]);
  });

  it('refuses a damaged workbook, a cell that is not what it says, and a file that is no workbook, naming the file', async () => {
    const cases: [string, Uint8Array | Buffer, string][] = [
      ['cut.xlsx', fixture('shop-export.xlsx').subarray(0, 3000), 'is not an Excel workbook (.xlsx) that can be read (no zip directory'],
      ['text.xlsx', Buffer.from('编号,姓名\nC1,张伟\n'), 'is not an Excel workbook (.xlsx) that can be read'],
      ['empty.xlsx', Buffer.alloc(0), 'is not an Excel workbook (.xlsx) that can be read (the file is empty)'],
      ['old.xlsx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'is an old Excel workbook (.xls)'],
      ['bad-string.xlsx', book({ sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c r="A1" t="s"><v>9</v></c></row>') }], strings: ['<t>a</t>'] }), '<c/> at row 1, col 1: VALUE_INVALID'],
      ['bad-order.xlsx', book({ sheets: [{ name: 'S', xml: sheetXml('<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>') }] }), 'Out-of-place <c/> at row 1 col 1 follows <c/> at row 2 col 1'],
      ['bad-row.xlsx', book({ sheets: [{ name: 'S', xml: sheetXml('<row r="2"><c r="A2"><v>1</v></c></row><row r="2"/>') }] }), 'Out-of-place <row/> number 2 follows <row/> number 2'],
      ['unclosed.xlsx', book({ sheets: [{ name: 'S', xml: '<worksheet><sheetData><row r="1"><c r="A1"' }] }), 'the XML ends inside'],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const reading = (async () => {
        for await (const row of readRows(path, 'xlsx')) void row;
      })();
      await expect(reading, name).rejects.toThrow(`"${path}" ${message.startsWith('<') || message.startsWith('Out') || message.startsWith('the XML') ? 'is not an Excel workbook (.xlsx) that can be read (' : ''}${message}`);
    }
  });
});
