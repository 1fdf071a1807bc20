import { describe, expect, it } from 'vitest';
import readWorkbook from 'read-excel-file/universal';
import { unzipSync, strFromU8 } from 'fflate';
import { bufferSource, inflateRaw } from '../../src/cli/import/xlsx-zip.js';
import { sheetAsCsv, openWorkbook } from '../../src/core/xlsx-workbook.js';
import { writeXlsx, type SheetCell } from '../../src/engine/xlsx-writer.js';

async function written(sheet: string, header: SheetCell[], batches: SheetCell[][][]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const source = async function* () {
    for (const batch of batches) yield batch;
  };
  for await (const part of writeXlsx(sheet, header, source())) parts.push(part);
  return Buffer.concat(parts);
}

async function read(bytes: Uint8Array) {
  return readWorkbook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

describe('workbook writer', () => {
  it('keeps text as text and numbers as numbers, so phone numbers and ids stay as written', async () => {
    const bytes = await written('客户', ['编号', '手机', '消费额', '会员'], [
      [
        ['000123', '13800138000', 1234.5, true],
        ['C2', '+86 138 0013 8000', 0, false],
      ],
      [['C3', null, -12, undefined]],
    ]);
    const [sheet] = await read(bytes);
    expect(sheet?.sheet).toBe('客户');
    expect(sheet?.data).toEqual([
      ['编号', '手机', '消费额', '会员'],
      ['000123', '13800138000', 1234.5, true],
      ['C2', '+86 138 0013 8000', 0, false],
      ['C3', null, -12, null],
    ]);
  });

  it('writes dates and times as date cells, which the importer reads back as written', async () => {
    const at = (iso: string) => ({ wallClock: Date.parse(`${iso}Z`), withTime: true });
    const day = (date: string) => ({ wallClock: Date.parse(`${date}T00:00:00Z`), withTime: false });
    const bytes = await written('客户', ['编号', '注册时间', '生日'], [
      [
        ['C1', at('2026-12-01T00:00:00'), day('1990-05-17')],
        ['C2', at('2026-04-01T09:02:03.457'), day('1900-01-15')],
      ],
    ]);
    const xml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(xml).toContain('<c r="B2" s="2"><v>46357</v></c>');
    // 1900-01-15 is before the 1900 system's false 29 February, where a serial shows a day off: text.
    expect(xml).toContain('<c r="C3" t="inlineStr"><is><t xml:space="preserve">1900-01-15</t></is></c>');
    const sheet = await sheetAsCsv(await openWorkbook(bufferSource(Buffer.from(bytes)), inflateRaw), 0);
    expect(sheet.text).toBe('编号,注册时间,生日\nC1,2026-12-01,1990-05-17\nC2,2026-04-01 09:02:03.457,1900-01-15\n');
  });

  it('reads back every time written to the millisecond, whole seconds and milliseconds alike', async () => {
    // Times across a century, half on a whole second: a count of days in floating point lands a hair
    // either side of a millisecond, which a reader that floors it would read a millisecond early.
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647);
    const times = Array.from({ length: 2000 }, (_, k) => {
      const at = Date.parse('1990-01-01T00:00:00Z') + (next() % 3_155_760_000) * 1000;
      return k % 2 === 0 ? at : at + (next() % 999) + 1;
    });
    times.push(274_288_796_000, 1_811_836_045_000, Date.parse('2026-12-01T00:00:00.009Z'), Date.parse('2026-12-01T23:59:59.999Z'));
    const bytes = await written('S', ['at'], [times.map((wallClock) => [{ wallClock, withTime: true }])]);
    const sheet = await sheetAsCsv(await openWorkbook(bufferSource(Buffer.from(bytes)), inflateRaw), 0);
    const shown = (at: number) => new Date(at).toISOString().slice(0, 23).replace('T', ' ').replace(/\.000$/, '');
    const misread = sheet.text.trim().split('\n').slice(1).flatMap((line, k) => (line === shown(times[k] ?? 0) ? [] : [`${shown(times[k] ?? 0)} read as ${line}`]));
    expect(misread).toEqual([]);
  });

  it('writes any text a customer record may hold: markup, formulas as plain text, emoji, controls, and more than a cell takes', async () => {
    const long = '长'.repeat(40_000);
    const bytes = await written('Customers', ['name'], [[['<b>"A&B"</b>'], ['=HYPERLINK("http://x","y")'], ['赵敏 🌸'], ['tab\there\u0001bell\r\nline'], [long]]]);
    const [sheet] = await read(bytes);
    const column = sheet?.data.map((row) => row[0]);
    expect(column?.slice(0, 4)).toEqual(['name', '<b>"A&B"</b>', '=HYPERLINK("http://x","y")', '赵敏 🌸']);
    expect(column?.[4]).toBe('tab\there\uFFFDbell\r\nline');
    expect(String(column?.[5]).length).toBe(32_767);
    // Text is never stored as a formula.
    const xml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(xml).not.toContain('<f>');
  });

  it('bolds and freezes the header row, and names the sheet as Excel allows', async () => {
    const files = unzipSync(await written('a/b:c*d?[e] and a name longer than thirty-one', ['id'], [[['x']]]));
    expect(Object.keys(files).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
    expect(strFromU8(files['xl/workbook.xml'] ?? new Uint8Array())).toContain('<sheet name="a_b_c_d__e_ and a name longer t"');
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(sheet).toContain('state="frozen"');
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr">');
    expect(sheet).toContain('<c r="A2" t="inlineStr">');
  });

  it('names columns past Z as a spreadsheet does, and streams many rows in order', async () => {
    const header = Array.from({ length: 30 }, (_, index) => `c${index}`);
    const batches = Array.from({ length: 5 }, (_, batch) => Array.from({ length: 1000 }, (_, row) => [batch * 1000 + row, ...header.slice(1).map(() => 'v')]));
    const bytes = await written('big', header, batches);
    const sheet = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(sheet).toContain('<c r="AD1" s="1" t="inlineStr">');
    const [read0] = await read(bytes);
    expect(read0?.data).toHaveLength(5001);
    expect(read0?.data.slice(1).map((row) => row[0])).toEqual(Array.from({ length: 5000 }, (_, index) => index));
  });
});
