// The console reads a dropped workbook with the reader `tagbase import` uses, unzipped by the
// browser's DecompressionStream (which Node has too): each sheet as the CSV text, rows, titles and
// sheet rows the whole-workbook reader it replaced gave, and the edges that reader got wrong.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sheetToCsv } from '../../src/core/spreadsheet.js';
import { inflateRaw } from '../../web/src/modules/imports/utils/inflateRaw.js';
import { readWorkbook, type WorkbookSheet } from '../../web/src/modules/imports/utils/readWorkbook.js';
import { readWholeWorkbook } from '../support/whole-workbook.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook of one sheet, its rows as written. */
function book(rows: string): Uint8Array {
  return zipSync({
    'xl/workbook.xml': strToU8(`<workbook xmlns="${MAIN}" xmlns:r="${RELS}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`),
  });
}

async function sheetsOf(bytes: Uint8Array): Promise<WorkbookSheet[]> {
  const read = await readWorkbook(bytes);
  if (read.problem) throw new Error(`${read.problem}: ${read.detail ?? ''}`);
  return read.sheets;
}

async function inflated(chunks: Uint8Array[]): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const chunk of inflateRaw((async function* () {
    yield* chunks;
  })())) out.push(chunk);
  return Buffer.concat(out);
}

describe('a workbook dropped on the import page', () => {
  it('reads each sheet as the CSV text, rows, titles and sheet rows the whole-workbook reader gave', async () => {
    for (const name of ['shop-export.xlsx', 'times-and-formulas.xlsx', 'member-list.xlsx']) {
      const bytes = fixture(name);
      const whole = await readWholeWorkbook(bytes);
      const sheets = await sheetsOf(bytes);
      expect(sheets.map((sheet) => sheet.name), name).toEqual(whole.map((sheet) => sheet.sheet));
      for (const [position, sheet] of sheets.entries()) {
        const csv = sheetToCsv((whole[position]?.data ?? []) as unknown[][]);
        expect({ text: sheet.text, rows: sheet.rows, titles: sheet.titles }, `${name} ${sheet.name}`).toEqual({ text: csv.text, rows: csv.rows, titles: csv.titles });
        const lines = sheet.text.split('\n').length + 1;
        for (let line = 1; line <= lines; line++) expect(sheet.rowOfLine(line), `${name} ${sheet.name} line ${line}`).toBe(csv.rowOfLine(line));
        for (let column = 0; column < 12; column++) expect(sheet.headingOf(column)).toBe(csv.headingOf(column));
      }
    }
  });

  it('names the formula cells saved without their result by sheet row and heading, and none where the result was saved', async () => {
    const sheets = await sheetsOf(fixture('times-and-formulas.xlsx'));
    const formulas = Object.fromEntries(sheets.map((sheet) => [sheet.name, sheet.formulas]));
    expect(formulas['公式']).toEqual([
      { row: 2, column: '姓名' },
      { row: 4, column: '姓名' },
      { row: 4, column: '城市' },
    ]);
    expect(formulas['已计算']).toEqual([]);
  });

  it('reads rows and cells written without their references, and text in CDATA, where the former reader failed or read nothing', async () => {
    const bytes = book(
      '<row><c t="inlineStr"><is><t>编号</t></is></c><c t="inlineStr"><is><t><![CDATA[姓名 <昵称>]]></t></is></c></row><row><c><v>1</v></c><c t="str"><v><![CDATA[A&B]]></v></c></row>',
    );
    const [sheet] = await sheetsOf(bytes);
    expect([sheet?.text, sheet?.rows, sheet?.rowOfLine(2)]).toEqual(['编号,姓名 <昵称>\n1,A&B\n', 1, 2]);
  });

  it('says what is wrong with a file that is no workbook, a cut-off one and an old .xls', async () => {
    expect(await readWorkbook(fixture('shop-export.xlsx').subarray(0, 3000))).toEqual({ problem: 'not-xlsx', detail: 'no zip directory at its end (a damaged or cut-off file)' });
    expect(await readWorkbook(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toEqual({ problem: 'xls' });
    expect(await readWorkbook(strToU8('编号,姓名\nC1,张伟\n'))).toMatchObject({ problem: 'not-xlsx' });
    // A part whose compressed bytes are damaged is named.
    const damaged = book('<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>');
    const at = Buffer.from(damaged).indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    damaged.fill(0xff, at, at + 8);
    expect(await readWorkbook(damaged)).toMatchObject({ problem: 'not-xlsx', detail: expect.stringContaining('"xl/worksheets/sheet1.xml" cannot be unzipped') });
  });
});

describe('unzipping in the browser', () => {
  const text = Array.from({ length: 2000 }, (_, n) => `<row r="${n + 1}"><c><v>${n * 7}</v></c></row>`).join('');
  const compressed = deflateRawSync(Buffer.from(text));

  it('inflates raw deflate fed in pieces of any size', async () => {
    for (const size of [3, 1000, compressed.length]) {
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < compressed.length; at += size) pieces.push(compressed.subarray(at, at + size));
      expect((await inflated(pieces)).toString()).toBe(text);
    }
  });

  it('throws on cut-off data and on a failed reading of the input, and lets go when left early', async () => {
    await expect(inflated([compressed.subarray(0, compressed.length - 10)])).rejects.toThrow();
    const failing = async function* () {
      yield compressed.subarray(0, 100);
      throw new Error('the file went away');
    };
    await expect((async () => {
      for await (const chunk of inflateRaw(failing())) void chunk;
    })()).rejects.toThrow('the file went away');
    let released = false;
    const endless = async function* () {
      try {
        for (;;) yield compressed;
      } finally {
        released = true;
      }
    };
    for await (const chunk of inflateRaw(endless())) if (chunk.length > 0) break;
    await expect.poll(() => released).toBe(true);
  });
});
