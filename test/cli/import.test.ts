import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { tagbase } from './run-tagbase.js';
import { columnsOf, formatOf } from '../../src/cli/import/read-rows.js';
import { runImport, type ImportOptions } from '../../src/cli/import/run-import.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { listCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { writeXlsx } from '../../src/engine/xlsx-writer.js';
import { defineTag, interests } from '../engine/support.js';
import { gb18030Bytes } from '../support/gb18030.js';

/** An Excel workbook as a shop system saves it; `make-workbook.py` beside it writes it. */
const WORKBOOK = fileURLToPath(new URL('../fixtures/shop-export.xlsx', import.meta.url));
/** A member list with a title row of two cells above its header, and birthdays some of which are numbers. */
const MEMBER_LIST = fileURLToPath(new URL('../fixtures/member-list.xlsx', import.meta.url));
/** 40 order times as date cells, and names that are formulas, with and without a saved result (see make-workbook.py). */
const TIMES_AND_FORMULAS = fileURLToPath(new URL('../fixtures/times-and-formulas.xlsx', import.meta.url));

/** The order times of TIMES_AND_FORMULAS's first sheet, as the sheet shows them. */
function workbookOrderTimes(): string[] {
  return Array.from({ length: 40 }, (_, n) => new Date(Date.UTC(2026, 4, 10, 21, 5, 30) + (37 * 60 + 1) * 1000 * n).toISOString().replace('T', ' ').slice(0, 19));
}

function file(name: string, text: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tagbase-import-')), name);
  writeFileSync(path, text);
  return path;
}

function options(kind: ImportOptions['kind'], path: string): ImportOptions {
  return { kind, path, format: path.endsWith('.csv') ? 'csv' : 'jsonl', reportPath: `${path}.rejected.csv`, batchSize: 2, progress: false };
}

forEachStore('import', (h) => {
  it('imports customers from CSV, with identities and custom fields, and reports bad rows by line', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' });
    const path = file(
      'customers.csv',
      [
        'id,name,gender,city,birthday,phone,email,custom.shoe_size',
        'C1,张伟,男,广州,1990-05-17,13800138000,zw@example.com,42',
        'C2,"李, 娜",女,深圳,1992-02-30,,,',
        'C3,王芳,女,杭州,,13800138000,,',
        'C4,"O\'Brien ""Bob""",male,上海,,13900000004|13900000005,,forty',
        'C5,赵敏,female,北京',
        'C6,钱多多,female,成都,,,,38',
      ].join('\n'),
    );
    const summary = await runImport(ctx, options('customers', path));
    expect(summary).toMatchObject({ rows: 6, accepted: 2, rejected: 4 });
    // A byte-order mark first, so that spreadsheets on Chinese Windows read the reasons as UTF-8.
    expect(readFileSync(`${path}.rejected.csv`, 'utf8').startsWith('\uFEFFline,code,reason,')).toBe(true);
    const report = readFileSync(`${path}.rejected.csv`, 'utf8').trim().split('\n');
    // The reasons first, then the row's own cells under the file's header.
    expect(report[0]).toBe('line,code,reason,id,name,gender,city,birthday,phone,email,custom.shoe_size');
    expect(report.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      '3,VALIDATION_FAILED',
      '4,IDENTITY_CONFLICT',
      '5,FIELD_TYPE_MISMATCH',
      '6,UNREADABLE_ROW',
    ]);
    const c1 = await getPortrait(ctx, 'C1');
    expect(c1).toMatchObject({ name: '张伟', gender: 'male', custom: { shoe_size: 42 } });
    expect(c1.identities.map((i) => i.kind).sort()).toEqual(['email', 'phone']);
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items.map((c) => c.id)).toEqual(['C1', 'C6']);
  });

  it('warns of a customer id on several rows, naming its lines: the last row that landed stands', async () => {
    const ctx = h.context();
    const text = ['编号,姓名,城市', 'D1,张伟,广州', 'D2,李娜,深圳', 'D1,张伟,杭州', 'D2,李娜,' + '深'.repeat(65), 'D3,王芳,上海', 'D1,张伟,成都', ''].join('\n');
    const path = file('会员-重复.csv', Buffer.from(text));
    const summary = await runImport(ctx, options('customers', path));
    // D2's second row was rejected and overwrote nothing.
    expect(summary).toMatchObject({ rows: 6, accepted: 5, rejected: 1, repeatedIds: [{ id: 'D1', lines: [2, 4, 7] }] });
    expect(await getPortrait(ctx, 'D1')).toMatchObject({ city: '成都' });
  });

  it('imports tab-separated text saved in GB18030 with CRLF, skipping the rows a spreadsheet saves as empty cells', async () => {
    const ctx = h.context();
    const text = ['编号\t姓名\t城市', 'G1\t"张伟\r\n(老客)"\t广州', '\t\t', 'G2\t李娜\t' + '深'.repeat(65), 'G3\t王芳\t杭州', ''].join('\r\n');
    const path = file('会员.tsv', gb18030Bytes(text));
    expect(formatOf(path)).toBe('csv');
    const summary = await runImport(ctx, { ...options('customers', path), format: formatOf(path) });
    expect(summary).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8').trim().split('\n').slice(1)).toEqual([`5,VALIDATION_FAILED,城市: at most 64 characters,G2,李娜,${'深'.repeat(65)}`]);
    expect(await getPortrait(ctx, 'G1')).toMatchObject({ name: '张伟\r\n(老客)', city: '广州' });
    expect(await getPortrait(ctx, 'G3')).toMatchObject({ name: '王芳', city: '杭州' });
  });

  it('reads the columns --column names as the importer\'s, leaves out those it maps to nothing, and refuses a mapping of a column the file does not have', async () => {
    const ctx = h.context();
    const path = file('orders.csv', ['会员号,下单时间,实付金额,订单编号,备注', 'C1,2026/6/1 20:15,"¥1,299.00",000123,加急', 'C1,2026/6/2 8:00,199元,SO-2,'].join('\n'));
    const columns = columnsOf(['会员号=customer_id', '实付金额=properties.amount', '订单编号 = properties.order_id', '备注='], 'csv');
    expect(columns).toEqual({ 会员号: 'customer_id', 实付金额: 'properties.amount', 订单编号: 'properties.order_id', 备注: '' });
    // Without them, the shop's names are no column of an event's: every row would be refused.
    const unmapped = runImport(ctx, { ...options('events', path), columns: { 会员号: 'customer_id', 事件: 'type' } });
    await expect(unmapped).rejects.toThrow('the file has no column "事件" to rename (its columns: 会员号, 下单时间, 实付金额, 订单编号, 备注)');
    const written = file('orders-typed.csv', readFileSync(path, 'utf8').replace('会员号,', 'type,会员号,').replace(/\nC1,/g, '\norder_paid,C1,'));
    const summary = await runImport(ctx, { ...options('events', written), columns });
    expect(summary).toMatchObject({ rows: 2, accepted: 2, rejected: 0, renamedColumns: [['下单时间', 'occurred_at']] });
    const events = (await getPortrait(ctx, 'C1')).recent_events.map((event) => event.properties);
    expect(events).toEqual(expect.arrayContaining([{ amount: 1299, order_id: '000123' }, { amount: 199, order_id: 'SO-2' }]));
    expect(() => columnsOf(['金额'], 'csv', 'en')).toThrow('--column takes FILE_COLUMN=COLUMN, such as 手机号码=phone (备注= leaves the column out); got "金额"');
    expect(() => columnsOf(['a=b'], 'jsonl', 'zh-CN')).toThrow('--column 用于改名 CSV 文件或工作簿的列');
  });

  it('imports an Excel workbook sheet by sheet, each row numbered as the sheet numbers it', async () => {
    const ctx = h.context();
    const path = file('shop-export.xlsx', readFileSync(WORKBOOK));
    const customers = await runImport(ctx, { ...options('customers', path), format: 'xlsx' });
    // Row 4 is empty, and row 3's name holds a line break: row 5 is still reported as row 5.
    expect(customers).toMatchObject({ rows: 4, accepted: 3, rejected: 1, sheet: { name: '客户', position: 1, count: 3, titles: [] }, zonelessTimes: 3 });
    expect(customers.renamedColumns).toEqual([['编号', 'id'], ['姓名', 'name'], ['手机', 'phone'], ['生日', 'birthday'], ['注册时间', 'first_seen_at'], ['城市', 'city']]);
    const report = readFileSync(`${path}.rejected.csv`, 'utf8').trim().split('\n').slice(1);
    expect(report.map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['5,VALIDATION_FAILED']);
    const x1 = await getPortrait(ctx, 'X1');
    expect(x1).toMatchObject({ name: '张伟', birthday: '1990-05-17', city: '广州', first_seen_at: '2026-05-01T01:30:00.000Z' });
    expect(x1.identities).toEqual([expect.objectContaining({ kind: 'phone', value: '13800138000' })]);
    expect(await getPortrait(ctx, 'X2')).toMatchObject({ name: '李娜\n(老客)', first_seen_at: '2026-05-02T12:15:05.000Z' });

    const orders = await runImport(ctx, { ...options('events', path), format: 'xlsx', sheet: '订单' });
    expect(orders).toMatchObject({ rows: 3, accepted: 2, rejected: 1, sheet: { name: '订单', position: 2, count: 3, titles: [] }, zonelessTimes: 2 });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toMatch(/\n4,VALIDATION_FAILED,/);
    const events = (await getPortrait(ctx, 'X1')).recent_events.map((event) => [event.occurred_at, event.properties]);
    expect(events.sort()).toEqual([
      ['2026-06-01T12:15:00.000Z', { amount: 128.5, order_id: 'SO-1' }],
      // A cell in a column without a heading is read under the column's letter.
      ['2026-06-02T00:00:00.000Z', { amount: 0.3, order_id: 'SO-2', H: 'no heading' }],
    ]);
    await expect(runImport(ctx, { ...options('events', path), format: 'xlsx', sheet: '退款' })).rejects.toThrow('the workbook has no sheet "退款"; its sheets: 客户, 订单, 报表');
    // A report's title rows above the header are left out, and said.
    const titled = await runImport(ctx, { ...options('customers', path), format: 'xlsx', sheet: '报表' });
    expect(titled).toMatchObject({ rows: 2, accepted: 2, sheet: { name: '报表', position: 3, count: 3, titles: [{ row: 1, text: '会员报表' }, { row: 2, text: '导出时间：2026-06-01 09:00' }] } });
    expect(await getPortrait(ctx, 'R1')).toMatchObject({ name: '周杰', city: '上海' });
    // A damaged workbook is refused in one readable line, whatever part of it is wrong.
    const damaged = file('damaged.xlsx', readFileSync(WORKBOOK).subarray(0, 3000));
    await expect(runImport(ctx, { ...options('customers', damaged), format: 'xlsx' })).rejects.toThrow(`"${damaged}" is not an Excel workbook (.xlsx) that can be read`);
  });

  it('reads a member list exported with a title row of two cells, and birthdays written as Excel numbers', async () => {
    const ctx = h.context();
    const path = file('member-list.xlsx', readFileSync(MEMBER_LIST));
    const summary = await runImport(ctx, { ...options('customers', path), format: 'xlsx' });
    expect(summary).toMatchObject({ rows: 3, accepted: 1, rejected: 2, sheet: { name: '会员', titles: [{ row: 1, text: '客户名单 2026-11 导出人：张三' }] }, titles: [{ row: 1, text: '客户名单 2026-11 导出人：张三' }] });
    // 32874, a date cell formatted as a number, is 1990-01-01.
    expect(await getPortrait(ctx, 'M1')).toMatchObject({ name: '甲', birthday: '1990-01-01' });
    // Each rejected row with its own cells under the sheet's header, the refused cell quoted in the reason.
    expect(readFileSync(`${path}.rejected.csv`, 'utf8').split('\n')).toEqual([
      '\uFEFFline,code,reason,编号,姓名,手机,生日',
      '4,VALIDATION_FAILED,"手机: ""abc"" is not a valid phone",M2,乙,abc,1985-12-01',
      '5,VALIDATION_FAILED,"生日 ""1990"" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日",M3,丙,,1990',
      '',
    ]);
  });

  it('writes each rejected row\'s cells into the report: under the file\'s header, or a JSON line as JSON; a cell a spreadsheet would run kept from running', async () => {
    const ctx = h.context();
    const csv = file('cells.csv', ['编号,姓名,手机', 'K1,"=HYPERLINK(""x"")",12', 'K2,乙', 'K3,丙,13800138000'].join('\n'));
    expect(await runImport(ctx, options('customers', csv))).toMatchObject({ accepted: 1, rejected: 2 });
    expect(readFileSync(`${csv}.rejected.csv`, 'utf8').split('\n')).toEqual([
      '\uFEFFline,code,reason,编号,姓名,手机',
      `2,VALIDATION_FAILED,"手机: ""12"" is not a valid phone",K1,"'=HYPERLINK(""x"")",12`,
      // A row of too few cells: those it has, under the columns they would be in.
      '3,UNREADABLE_ROW,"expected 3 columns, got 2",K2,乙,',
      '',
    ]);
    const jsonl = file('cells.jsonl', '{"id":"K4","phone":"12"}\n{"id":"K5"}\n');
    expect(await runImport(ctx, options('customers', jsonl))).toMatchObject({ accepted: 1, rejected: 1 });
    // Naming the line's own key (phone), not where the importer puts it (identities.0).
    expect(readFileSync(`${jsonl}.rejected.csv`, 'utf8').split('\n')).toEqual(['\uFEFFline,code,reason,json', '1,VALIDATION_FAILED,"phone: ""12"" is not a valid phone","{""id"":""K4"",""phone"":""12""}"', '']);
    // The report of an earlier run, columns and all, is still known as one and removed once a run rejects nothing.
    writeFileSync(csv, '编号,姓名\nK1,甲\n');
    expect(await runImport(ctx, options('customers', csv))).toMatchObject({ rejected: 0, earlierReportRemoved: `${csv}.rejected.csv` });
  });

  it('rejects a row with a value in a column without a heading, naming the column by its place, and writes the value under it in the report', async () => {
    const ctx = h.context();
    const csv = file('unheaded.csv', 'id,name,\r\nE1,x,hello\r\nE2,y,\r\n');
    expect(await runImport(ctx, { ...options('customers', csv), locale: 'en' })).toMatchObject({ accepted: 1, rejected: 1 });
    expect(readFileSync(`${csv}.rejected.csv`, 'utf8').split('\n')).toEqual([
      '\uFEFFline,code,reason,id,name,',
      '2,UNREADABLE_ROW,"column 3 has no heading but holds a value, which would not be imported: head the column in the header, or empty it",E1,x,hello',
      '',
    ]);
    await runImport(ctx, { ...options('customers', csv), locale: 'zh-CN' });
    expect(readFileSync(`${csv}.rejected.csv`, 'utf8').split('\n')[1]).toBe('2,UNREADABLE_ROW,第 3 列没有表头却有值，这些值不会被导入：请在表头中写上列名，或清空这些单元格,E1,x,hello');
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items.map((c) => c.id)).toEqual(['E2']);
  });

  it('writes the cells of a row longer than the header into the report after the others, under their place in the row, in the report\'s language', async () => {
    const ctx = h.context();
    const csv = file('many.csv', ['id,name', 'X1,甲,extra', 'X2,乙', 'X3,丙,,四,"五,六"', 'X4,丁'].join('\n'));
    expect(await runImport(ctx, { ...options('customers', csv), locale: 'en' })).toMatchObject({ accepted: 2, rejected: 2 });
    expect(readFileSync(`${csv}.rejected.csv`, 'utf8').split('\n')).toEqual([
      '\uFEFFline,code,reason,id,name,column 3,column 4,column 5',
      '2,UNREADABLE_ROW,"expected 2 columns, got 3",X1,甲,extra,,',
      '4,UNREADABLE_ROW,"expected 2 columns, got 5",X3,丙,,四,"五,六"',
      '',
    ]);
    await runImport(ctx, { ...options('customers', csv), locale: 'zh-CN' });
    expect(readFileSync(`${csv}.rejected.csv`, 'utf8').split('\n')[0]).toBe('\uFEFFline,code,reason,id,name,第 3 列,第 4 列,第 5 列');
    // A workbook's cells beyond its header stand in columns headed by their letters: the file is refused, naming them.
    const chunks: Uint8Array[] = [];
    for await (const chunk of writeXlsx('客户', ['id', 'name'], (async function* () { yield [['X5', '戊', 'extra']]; })())) chunks.push(chunk);
    const workbook = file('many.xlsx', Buffer.concat(chunks));
    await expect(runImport(ctx, { ...options('customers', workbook), format: 'xlsx', locale: 'en' })).rejects.toThrow('the file has a column C that is no customer field');
  });

  it('writes no JSON Lines column into the report of a CSV file that cannot be read before its header is settled', async () => {
    const ctx = h.context();
    const csv = file('unclosed.csv', 'id,"name\nX1,unclosed\n');
    expect(await runImport(ctx, options('customers', csv))).toMatchObject({ accepted: 0, rejected: 1 });
    const [header, row] = readFileSync(`${csv}.rejected.csv`, 'utf8').split('\n');
    expect(header).toBe('\uFEFFline,code,reason');
    expect(row).toMatch(/^1,UNREADABLE_ROW,the file cannot be read past this line: /);
  });

  it('imports the rows before a quote left open, and reports the line it opens on under the file\'s header', async () => {
    const ctx = h.context();
    const csv = file('unclosed-late.csv', 'id,name\nX0,fine\nX1,"unclosed\nX2,swallowed\n');
    expect(await runImport(ctx, options('customers', csv))).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect(await getPortrait(ctx, 'X0')).toMatchObject({ name: 'fine' });
    const [header, row] = readFileSync(`${csv}.rejected.csv`, 'utf8').split('\n');
    expect(header).toBe('\uFEFFline,code,reason,id,name');
    expect(row).toMatch(/^3,UNREADABLE_ROW,the file cannot be read past this line: /);
  });

  it('leaves out a title row of several cells above a CSV file\'s header of known columns', async () => {
    const ctx = h.context();
    const path = file('members.csv', ['客户名单 2026-11,,导出人：张三', '编号,姓名,生日', 'N1,甲,32874'].join('\n'));
    expect(await runImport(ctx, options('customers', path))).toMatchObject({ rows: 1, accepted: 1, titles: [{ row: 1, text: '客户名单 2026-11 导出人：张三' }] });
    expect(await getPortrait(ctx, 'N1')).toMatchObject({ name: '甲', birthday: '1990-01-01' });
    // A first row that names known columns is the header, whatever follows it.
    const plain = file('plain.csv', ['id,name', 'name,city'].join('\n'));
    expect(await runImport(ctx, options('customers', plain))).toMatchObject({ rows: 1, accepted: 1, titles: [] });
    expect(await getPortrait(ctx, 'name')).toMatchObject({ name: 'city' });
  });

  it('removes the report of an earlier run once a run rejects nothing, and no other file', async () => {
    const ctx = h.context();
    const path = file('fixed.csv', 'id,birthday\nF1,1990-02-30\n');
    expect((await runImport(ctx, options('customers', path))).reportPath).toBe(`${path}.rejected.csv`);
    writeFileSync(path, 'id,birthday\nF1,1990-02-28\n');
    const again = await runImport(ctx, options('customers', path));
    expect(again).toMatchObject({ rejected: 0, reportPath: undefined, earlierReportRemoved: `${path}.rejected.csv` });
    expect(existsSync(`${path}.rejected.csv`)).toBe(false);
    // A file of the user's at that path is not a report: it stays.
    writeFileSync(`${path}.rejected.csv`, 'notes\n');
    expect((await runImport(ctx, options('customers', path))).earlierReportRemoved).toBeUndefined();
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toBe('notes\n');
  });

  it('refuses a report path that is a folder before a row lands, and names a report it could not write', async () => {
    const ctx = h.context();
    const path = file('members.csv', 'id,name,birthday\nR1,张伟,1990-02-30\nR2,李娜,\n');
    const folder = dirname(path);
    // Found only once the report was written, it ended the process with a stack trace, the rows in and unsaid.
    await expect(runImport(ctx, { ...options('customers', path), reportPath: folder })).rejects.toMatchObject({ code: 'EISDIR', path: folder });
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items).toEqual([]);
    // A write that fails (a full disk) names the report, not only the system's word for it.
    await expect(runImport(ctx, { ...options('customers', path), reportPath: '/dev/full' })).rejects.toMatchObject({ code: 'ENOSPC', path: '/dev/full' });
  });

  it('leaves out the one-cell title rows above a CSV file\'s header, as payment bills and reports carry them', async () => {
    const ctx = h.context();
    const path = file('bill.csv', ['微信支付账单明细', '起始时间：[2026-06-01 00:00:00] 终止时间：[2026-06-30 23:59:59]', '', 'id,name,city', 'T1,甲,上海', 'T2,乙,'].join('\n'));
    const summary = await runImport(ctx, options('customers', path));
    expect(summary).toMatchObject({ rows: 2, accepted: 2, titles: [{ row: 1, text: '微信支付账单明细' }, { row: 2, text: '起始时间：[2026-06-01 00:00:00] 终止时间：[2026-06-30 23:59:59]' }] });
    expect(await getPortrait(ctx, 'T1')).toMatchObject({ name: '甲', city: '上海' });
    // A file of one column has no titles: its first row is the header, and the rest are rows.
    const single = await runImport(ctx, options('customers', file('ids.csv', 'id\nT3\nT4\n')));
    expect(single).toMatchObject({ rows: 2, accepted: 2, titles: [] });
    // A bad row below the titles is reported at its line in the file.
    const bad = file('bad.csv', '会员报表\nid,birthday\nT5,1990-02-30\n');
    await runImport(ctx, options('customers', bad));
    expect(readFileSync(`${bad}.rejected.csv`, 'utf8')).toContain('\n3,VALIDATION_FAILED,');
  });

  it('counts a row refused for several reasons once', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'shoe', name: '鞋码', type: 'number' });
    await createCustomField(ctx, { key: 'hat', name: '帽子尺码', type: 'number' });
    const path = file('two-reasons.csv', 'id,shoe,hat\nC1,big,L\nC2,,\n');
    expect(await runImport(ctx, options('customers', path))).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    // The row once, at its line, its code once and both reasons in one cell, apart by " | ": each reason holds a "; " of its own.
    const report = readFileSync(`${path}.rejected.csv`, 'utf8').trim().split('\n').slice(1);
    expect(report).toHaveLength(1);
    expect(report[0]).toBe('2,FIELD_TYPE_MISMATCH,"shoe: expects a number; got ""big"" | hat: expects a number; got ""L""",C1,big,L');
  });

  it('writes a row refused for two reasons once in its report, so that the report put right imports it once', async () => {
    const ctx = h.context();
    const path = file('two-wrongs.csv', 'id,phone,birthday\nW1,12,1990-02-30\nW2,13800138000,1990-05-17\n');
    expect(await runImport(ctx, { ...options('customers', path), locale: 'en' })).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    const report = `${path}.rejected.csv`;
    const lines = readFileSync(report, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('\uFEFFline,code,reason,id,phone,birthday');
    expect(lines[1]).toBe('2,VALIDATION_FAILED,"birthday ""1990-02-30"" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日 | phone: ""12"" is not a valid phone",W1,12,1990-02-30');
    writeFileSync(report, readFileSync(report, 'utf8').replace(',W1,12,1990-02-30\n', ',W1,13800000012,1990-02-28\n'));
    const again = await runImport(ctx, { ...options('customers', report), locale: 'en' });
    expect(again).toMatchObject({ rows: 1, accepted: 1, rejected: 0, readAsReport: true, repeatedIds: [] });
    expect(await getPortrait(ctx, 'W1')).toMatchObject({ birthday: '1990-02-28', identities: [expect.objectContaining({ kind: 'phone', value: '13800000012' })] });
  });

  it('reports a bad phone beside an impossible birthday, each in the locale\'s words', async () => {
    const ctx = h.context();
    const path = file('phone-and-birthday.csv', 'id,手机,生日\nP1,12,1990-02-30\nP2,13800138000,1990-05-17\n');
    expect(await runImport(ctx, { ...options('customers', path), locale: 'zh-CN' })).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toBe(
      '\uFEFFline,code,reason,id,手机,生日\n2,VALIDATION_FAILED,生日「1990-02-30」不是日期；请写成 1990-05-17、1990/5/17 或 1990年5月17日 | 手机：「12」不是有效的手机号,P1,12,1990-02-30\n',
    );
  });

  it('imports a CSV saved as GB18030 (GBK) with its Chinese intact, and says it read it so', async () => {
    // Spreadsheets on Chinese Windows save CSV this way; read as UTF-8, every name became U+FFFD.
    const ctx = h.context();
    const path = file('gbk.csv', gb18030Bytes('id,name,city\nG1,张伟,广州\nG2,李娜,深圳\n'));
    expect(await runImport(ctx, options('customers', path))).toMatchObject({ rows: 2, accepted: 2, encoding: 'gb18030' });
    expect(await getPortrait(ctx, 'G1')).toMatchObject({ name: '张伟', city: '广州' });
    const forced = await runImport(ctx, { ...options('customers', path), encoding: 'utf-8' });
    expect(forced).toMatchObject({ accepted: 0, rejected: 1, encoding: 'utf-8' });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toContain('2,UNREADABLE_ROW,');
    expect(await getPortrait(ctx, 'G2')).toMatchObject({ name: '李娜', city: '深圳' });
  });

  it('reads columns named in Chinese as the importer’s own, and says which', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    const customers = file('zh-customers.csv', gb18030Bytes('编号,姓名,手机,城市,生日\nZ1,张伟,138 0013 8000,广州,1990/5/17\n'));
    expect(await runImport(ctx, options('customers', customers))).toMatchObject({ accepted: 1, renamedColumns: [['编号', 'id'], ['姓名', 'name'], ['手机', 'phone'], ['城市', 'city'], ['生日', 'birthday']] });
    expect(await getPortrait(ctx, 'Z1')).toMatchObject({ name: '张伟', city: '广州', birthday: '1990-05-17', identities: [{ kind: 'phone', value: '13800138000' }] });
    const assignments = file('zh-assignments.csv', '客户,标签,标签值\nZ1,interests,golf\n');
    expect(await runImport(ctx, options('assignments', assignments))).toMatchObject({ accepted: 1, renamedColumns: [['客户', 'customer_id'], ['标签', 'tag'], ['标签值', 'value']] });
    expect((await getPortrait(ctx, 'Z1')).tags.map((tag) => tag.label)).toEqual(['兴趣爱好: 高尔夫']);
  });

  it('leaves out the tags and metrics columns of an export, so an exported file imports again, and says which', async () => {
    const ctx = h.context();
    const exported = file('export.csv', '\uFEFF编号,姓名,手机,标签,近30天订单数,Spend (custom)\nE1,张伟,13800138000,兴趣爱好: 高尔夫,2,\n');
    // A column that is neither: refused as ever, nothing imported.
    await expect(runImport(ctx, options('customers', exported))).rejects.toThrow('Spend (custom)');
    const clean = file('export.csv', '\uFEFF编号,姓名,手机,标签,近30天订单数\nE1,张伟,13800138000,兴趣爱好: 高尔夫,2\n');
    expect(await runImport(ctx, options('customers', clean))).toMatchObject({ accepted: 1, rejected: 0, leftOutColumns: ['标签', '近30天订单数'], customers: { created: 1, updated: 0 } });
    expect(await getPortrait(ctx, 'E1')).toMatchObject({ name: '张伟', custom: {} });
    // A custom field declared under the name is imported as that field.
    await createCustomField(ctx, { key: '标签', name: '标签', type: 'string' });
    expect(await runImport(ctx, options('customers', clean))).toMatchObject({ accepted: 1, leftOutColumns: ['近30天订单数'], customers: { created: 0, updated: 1 } });
    expect((await getPortrait(ctx, 'E1')).custom).toEqual({ 标签: '兴趣爱好: 高尔夫' });
  });

  it('reads a column named in Chinese the same way on every row, whichever cells a row leaves empty', async () => {
    const ctx = h.context();
    // 手机 is the phone; 电话, another name for it, stays what it is: a column that is no customer
    // field, so the file is refused before any row, even though its first row leaves it empty.
    const path = file('two-phones.csv', 'id,手机,电话\nP1,13800000001,\nP2,,13800000002\nP3,13800000003,13800000004\n');
    await expect(runImport(ctx, options('customers', path))).rejects.toThrow('the file has a column 电话 that is no customer field');
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items).toEqual([]);
  });

  it("reads a column headed with a custom field's name as the field, says so, and names the column so in the report", async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' });
    const path = file('shoes.csv', '编号,鞋码\nK1,42\nK2,很大\n');
    expect(await runImport(ctx, options('customers', path))).toMatchObject({ accepted: 1, rejected: 1, renamedColumns: [['编号', 'id'], ['鞋码', 'custom.shoe_size']] });
    expect((await getPortrait(ctx, 'K1')).custom).toEqual({ shoe_size: 42 });
    const report = readFileSync(`${path}.rejected.csv`, 'utf8').trim().split('\n');
    expect(report.slice(1)).toEqual([expect.stringMatching(/^3,FIELD_TYPE_MISMATCH,"?鞋码[:：]/)]);
    expect(report[1]).not.toContain('shoe_size');
  });

  it('refuses a file with no column for what every row needs, naming it, before importing anything', async () => {
    const ctx = h.context();
    const path = file('no-id.csv', '姓名,城市\n张伟,上海\n李娜,北京\n');
    await expect(runImport(ctx, options('customers', path))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('no column for id, which every row needs (its columns: 姓名, 城市)') });
    const events = file('no-type.csv', 'customer_id,occurred_at\nC1,2026-06-01\n');
    await expect(runImport(ctx, options('events', events))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('no column for type') });
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('reads dates the way spreadsheets write them', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'joined', name: '入会日期', type: 'date' });
    const path = file('dates.csv', ['id,birthday,custom.joined', 'D1,1990/5/17,2021年3月8日', 'D2,1988.12.1 0:00,2020-1-9', 'D3,1992/2/30,'].join('\n'));
    expect(await runImport(ctx, options('customers', path))).toMatchObject({ accepted: 2, rejected: 1 });
    expect(await getPortrait(ctx, 'D1')).toMatchObject({ birthday: '1990-05-17', custom: { joined: '2021-03-08' } });
    expect(await getPortrait(ctx, 'D2')).toMatchObject({ birthday: '1988-12-01', custom: { joined: '2020-01-09' } });
    // A day that does not exist is quoted as the file writes it, not as 1992-02-30.
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toContain('\n4,VALIDATION_FAILED,"birthday ""1992/2/30"" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日",D3,1992/2/30,\n');
  });

  it('imports events from JSON Lines; a second run stores nothing new', async () => {
    const ctx = h.context();
    const lines = [
      JSON.stringify({ id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 88 } }),
      '',
      '{"id": "E2", "customer_id": "C1", "type": "order_paid"',
      JSON.stringify({ id: 'E3', customer_id: 'C2', type: 'product_viewed', occurred_at: '2026-06-01T09:00:00Z', properties: { sku: 'S1', dwell_seconds: 31 } }),
      JSON.stringify({ id: 'E4', customer_id: 'C2', type: 'product_viewed', occurred_at: '2026-06-01T09:00:00Z', properties: { dwell_seconds: 31 } }),
      '[1, 2]',
    ];
    const path = file('events.jsonl', lines.join('\n'));
    const first = await runImport(ctx, options('events', path));
    expect(first).toMatchObject({ rows: 5, accepted: 2, rejected: 3 });
    const report = readFileSync(`${path}.rejected.csv`, 'utf8');
    expect(report).toContain('3,UNREADABLE_ROW');
    expect(report).toContain('5,EVENT_PROPERTIES_INVALID');
    // The property a line lacks is named within the line's properties.
    expect(report).toContain('properties.sku: required, and missing here');
    expect(report).toContain('6,UNREADABLE_ROW');
    await runImport(ctx, options('events', path));
    const stored = await ctx.store.db.selectFrom('events').select('event_key').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(stored.map((e) => e.event_key).sort()).toEqual(['E1', 'E3']);
  });

  it('refuses a JSON array, a directory and a report it could not write, before importing anything', async () => {
    const ctx = h.context();
    const array = file('customers.json', '[\n  {"id": "A1"},\n  {"id": "A2"}\n]\n');
    await expect(runImport(ctx, options('customers', array))).rejects.toThrow(`"${array}" holds one JSON array; import reads JSON Lines`);
    const directory = mkdtempSync(join(tmpdir(), 'tagbase-import-'));
    await expect(runImport(ctx, { ...options('customers', directory), format: 'csv' })).rejects.toMatchObject({ code: 'EISDIR', path: directory });
    const good = file('customers.csv', 'id,name\nA1,张三\nA2,李四\n');
    await expect(runImport(ctx, { ...options('customers', good), reportPath: join(directory, 'missing', 'report.csv') })).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items).toEqual([]);
  });

  it('imports events from CSV with properties columns', async () => {
    const ctx = h.context();
    const path = file(
      'events.csv',
      ['id,customer_id,type,occurred_at,properties.order_id,properties.amount,properties', 'E1,C1,order_paid,2026-06-01T08:00:00Z,O-1,120.5,"{""channel"":""online""}"', 'E2,C1,order_paid,2026-06-01T08:00:00Z,O-2,12,{oops'].join('\n'),
    );
    const summary = await runImport(ctx, options('events', path));
    expect(summary).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect((await getPortrait(ctx, 'C1')).recent_events[0]?.properties).toEqual({ order_id: 'O-1', amount: 120.5, channel: 'online' });
  });

  it('imports assignments, rejecting unknown customers, tags and values', async () => {
    const ctx = h.context('运营-小李');
    await defineTag(ctx, interests);
    await runImport(ctx, options('customers', file('c.csv', 'id\nC1\nC2\n')));
    const path = file(
      'assignments.csv',
      ['customer_id,tag,value,expires_at', 'C1,interests,golf,', 'C2,兴趣爱好,钓鱼,2027-01-01T00:00:00Z', 'C9,interests,golf,', 'C1,sports,golf,', 'C1,interests,tennis,', 'C2,interests,yoga,2020-01-01'].join('\n'),
    );
    const summary = await runImport(ctx, options('assignments', path));
    expect(summary).toMatchObject({ rows: 6, accepted: 2, rejected: 4 });
    const report = readFileSync(`${path}.rejected.csv`, 'utf8');
    for (const expected of ['4,CUSTOMER_NOT_FOUND', '5,TAG_NOT_FOUND', '6,TAG_VALUE_NOT_FOUND', '7,VALIDATION_FAILED']) expect(report).toContain(expected);
    const c2 = await getPortrait(ctx, 'C2');
    expect(c2.tags).toEqual([expect.objectContaining({ value: 'fishing', source: 'import', actor: '运营-小李', expires_at: '2027-01-01T00:00:00.000Z' })]);
  });

  it('writes the reasons of the report in the locale’s language, keeping lines and codes', async () => {
    const ctx = h.context();
    const text = ['id,name,birthday', 'C1,张伟,1990-05-17', 'C2,李娜', 'C3,"王芳, Jr.",1990-02-30'].join('\n');
    const chinese = file('customers.csv', text);
    await runImport(ctx, { ...options('customers', chinese), locale: 'zh-CN' });
    expect(readFileSync(`${chinese}.rejected.csv`, 'utf8')).toBe('\uFEFFline,code,reason,id,name,birthday\n3,UNREADABLE_ROW,应有 3 列，实际有 2 列,C2,李娜,\n4,VALIDATION_FAILED,birthday「1990-02-30」不是日期；请写成 1990-05-17、1990/5/17 或 1990年5月17日,C3,"王芳, Jr.",1990-02-30\n');
    const english = file('customers.csv', text);
    await runImport(ctx, { ...options('customers', english), locale: 'en' });
    expect(readFileSync(`${english}.rejected.csv`, 'utf8')).toBe('\uFEFFline,code,reason,id,name,birthday\n3,UNREADABLE_ROW,"expected 3 columns, got 2",C2,李娜,\n4,VALIDATION_FAILED,"birthday ""1990-02-30"" is not a date; write it as 1990-05-17, 1990/5/17 or 1990年5月17日",C3,"王芳, Jr.",1990-02-30\n');
  });

  it('says one unknown column in the singular and several in the plural', async () => {
    const ctx = h.context();
    const lines = [
      JSON.stringify({ customer_id: 'C1', tag: 'interests', value: 'golf', note: 'x' }),
      JSON.stringify({ customer_id: 'C1', tag: 'interests', value: 'golf', note: 'x', by: 'y' }),
    ];
    const path = file('assignments.jsonl', lines.join('\n'));
    await runImport(ctx, { ...options('assignments', path), locale: 'en' });
    // Each rejected line is followed by its JSON, which is left out here.
    const reasons = readFileSync(`${path}.rejected.csv`, 'utf8').trim().split('\n').slice(1).map((line) => line.slice(0, line.lastIndexOf(',"{')));
    expect(reasons).toEqual([
      '1,VALIDATION_FAILED,"unknown column: note; expected customer_id, tag, value, expires_at"',
      '2,VALIDATION_FAILED,"unknown columns: note, by; expected customer_id, tag, value, expires_at"',
    ]);
  });

  it('reads the times of date cells to the second a sheet shows, so that the same orders from a workbook and from CSV are one', async () => {
    const ctx = h.context();
    const path = file('orders.xlsx', readFileSync(TIMES_AND_FORMULAS));
    // Without the id column, events are known by what they say, their time included.
    const fromSheet = await runImport(ctx, { ...options('events', path), format: 'xlsx', columns: { id: '' } });
    expect(fromSheet).toMatchObject({ rows: 40, accepted: 40, rejected: 0, duplicates: 0 });
    const stored = await ctx.store.db.selectFrom('events').select('occurred_at').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(stored.filter((event) => Number(event.occurred_at) % 1000 !== 0)).toEqual([]);
    expect(Math.min(...stored.map((event) => Number(event.occurred_at)))).toBe(Date.parse('2026-05-10T13:05:30Z'));
    const csv = file('orders.csv', ['客户,事件,下单时间,properties.order_id,properties.amount', ...workbookOrderTimes().map((at, n) => `T,order_paid,${at},SO-${n},10`)].join('\n'));
    expect(await runImport(ctx, options('events', csv))).toMatchObject({ rows: 40, accepted: 40, duplicates: 40 });
    expect(await ctx.store.db.selectFrom('events').select('event_key').where('workspace_id', '=', ctx.workspaceId).execute()).toHaveLength(40);
  });

  it('refuses a row whose cell is a formula without a saved result, naming the column; a saved result is read', async () => {
    const ctx = h.context();
    const path = file('customers.xlsx', readFileSync(TIMES_AND_FORMULAS));
    const summary = await runImport(ctx, { ...options('customers', path), format: 'xlsx', sheet: '公式', locale: 'en' });
    expect(summary).toMatchObject({ rows: 3, accepted: 1, rejected: 2 });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8').split('\n')).toEqual([
      '\uFEFFline,code,reason,编号,姓名,城市',
      '2,UNREADABLE_ROW,"the column 姓名 holds a formula without a saved result, which would import as empty: open and save the file in Excel or WPS first",F1,,广州',
      '4,UNREADABLE_ROW,"the columns 姓名, 城市 hold formulas without a saved result, which would import as empty: open and save the file in Excel or WPS first",F3,,',
      '',
    ]);
    await runImport(ctx, { ...options('customers', path), format: 'xlsx', sheet: '公式', locale: 'zh-CN' });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8')).toContain('\n2,UNREADABLE_ROW,列 姓名 是没有保存计算结果的公式，导入会成为空值：请先用 Excel 或 WPS 打开并保存文件,F1,,广州\n');
    await expect(getPortrait(ctx, 'F1')).rejects.toThrow();
    expect(await runImport(ctx, { ...options('customers', path), format: 'xlsx', sheet: '已计算' })).toMatchObject({ rows: 1, accepted: 1, rejected: 0 });
    expect(await getPortrait(ctx, 'S1')).toMatchObject({ name: '张伟', city: '广州' });
  });

  it('leaves a masked identifier cell of an export alone, imports the rest of the row, and counts the cells left', async () => {
    const ctx = h.context();
    await runImport(ctx, options('customers', file('real.csv', 'id,name,phone,email\nK1,甲,13212342308,zhang@example.com\nK2,乙,13900001111,zoe@example.com\n')));
    const masked = file('masked.csv', '编号,姓名,手机,邮箱\nK1,甲一,132****2308,z***@example.com\nK2,乙二,139****1111|13900002222,z***@example.com\nK3,丙,,z***@example.com\n');
    const summary = await runImport(ctx, options('customers', masked));
    expect(summary).toMatchObject({ rows: 3, accepted: 3, rejected: 0, maskedIdentifiers: 5 });
    expect(await getPortrait(ctx, 'K1')).toMatchObject({ name: '甲一' });
    expect((await getPortrait(ctx, 'K1')).identities.map((identity) => identity.value).sort()).toEqual(['13212342308', 'zhang@example.com']);
    // A real number beside a masked one in the same cell is taken.
    expect((await getPortrait(ctx, 'K2')).identities.map((identity) => identity.value).sort()).toEqual(['13900001111', '13900002222', 'zoe@example.com']);
    expect((await getPortrait(ctx, 'K3')).identities).toEqual([]);
    // A JSON line's identities likewise.
    const jsonl = file('masked.jsonl', JSON.stringify({ id: 'K1', identities: [{ kind: 'phone', value: '132****2308' }, { kind: 'member_card', value: 'VIP-1' }] }));
    expect(await runImport(ctx, options('customers', jsonl))).toMatchObject({ accepted: 1, maskedIdentifiers: 1 });
    expect((await getPortrait(ctx, 'K1')).identities.map((identity) => identity.value).sort()).toEqual(['13212342308', 'VIP-1', 'zhang@example.com']);
  });

  it('counts times without a zone and masked identifiers of the rows that landed only', async () => {
    const ctx = h.context();
    const path = file('customers.csv', 'id,first_seen_at,phone\nZ1,2026/5/1 9:30,138****0000\nZ2,2026/5/1 9:30,12\n');
    expect(await runImport(ctx, options('customers', path))).toMatchObject({ accepted: 1, rejected: 1, zonelessTimes: 1, maskedIdentifiers: 1 });
    const events = file('events.csv', 'customer_id,type,occurred_at\nZ1,app_opened,2026/5/1 9:30\nZ1,Bad Type,2026/5/1 9:31\nZ1,app_opened,2099/1/1 9:30\n');
    expect(await runImport(ctx, options('events', events))).toMatchObject({ accepted: 1, rejected: 2, zonelessTimes: 1 });
  });

  it('puts a JSON line it could not read into the report as written, saying once what is wrong', async () => {
    const ctx = h.context();
    const path = file('events.jsonl', ['not json', '[1, 2]', JSON.stringify({ customer_id: 'C1', type: 'app_opened', occurred_at: '2026-06-01T08:00:00Z' })].join('\n'));
    expect(await runImport(ctx, { ...options('events', path), locale: 'zh-CN' })).toMatchObject({ accepted: 1, rejected: 2 });
    const report = readFileSync(`${path}.rejected.csv`, 'utf8').split('\n');
    expect(report.slice(1)).toEqual([
      `1,UNREADABLE_ROW,"""not json"" 不是有效的 JSON：其中出现了意外的字符 'o'",not json`,
      '2,UNREADABLE_ROW,每行须是一个 JSON 对象,"[1, 2]"',
      '',
    ]);
    await runImport(ctx, { ...options('events', path), locale: 'en' });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8').split('\n')[1]).toBe(`1,UNREADABLE_ROW,"Unexpected token 'o', ""not json"" is not valid JSON",not json`);
  });

  it('rejects a JSON line giving a key twice in one object, into the report as written, the other lines imported', async () => {
    const ctx = h.context();
    const twice = '{"customer_id":"C1","type":"app_opened","occurred_at":"2026-06-01T08:00:00Z","type":"order_paid"}';
    const path = file('events-twice.jsonl', [twice, JSON.stringify({ customer_id: 'C1', type: 'app_opened', occurred_at: '2026-06-01T09:00:00Z' })].join('\n'));
    expect(await runImport(ctx, { ...options('events', path), locale: 'zh-CN' })).toMatchObject({ accepted: 1, rejected: 1 });
    const report = readFileSync(`${path}.rejected.csv`, 'utf8').split('\n');
    expect(report[1]).toBe(`1,VALIDATION_FAILED,"type：同一对象中键 ""type"" 出现了两次（第 78 列；首次在第 21 列）：JSON 解析只会保留最后一个值","${twice.replaceAll('"', '""')}"`);
    await runImport(ctx, { ...options('events', path), locale: 'en' });
    expect(readFileSync(`${path}.rejected.csv`, 'utf8').split('\n')[1]).toMatch(/^1,VALIDATION_FAILED,"type: the key ""type"" is given twice in one object \(column 78; first at column 21\): a JSON parser would keep only the last value",/);
  });

  it('refuses a JSON line nested too deep as its properties, and puts it into the report as written, the other lines imported', async () => {
    const ctx = h.context();
    // 100,000 levels: JSON.parse reads them, JSON.stringify cannot write them back (the import ended with 'Maximum call stack size exceeded').
    const deep = `{"id":"D1","customer_id":"C1","type":"app_opened","occurred_at":"2026-06-01T08:00:00Z","properties":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    const path = file('deep.jsonl', [deep, '{ "id": "D2", "customer_id": "C1", "type": "app_opened", "occurred_at": "2026-06-01T09:00:00Z" }'].join('\n'));
    expect(await runImport(ctx, options('events', path))).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    const report = readFileSync(`${path}.rejected.csv`, 'utf8').split('\n');
    expect(report[1]).toBe(`1,EVENT_PROPERTIES_INVALID,properties: properties nest more than 32 levels deep,"${deep.replaceAll('"', '""')}"`);
    expect((await getPortrait(ctx, 'C1')).recent_events.map((event) => event.id)).toEqual(['D2']);
  });

  it('imports its own report of rejected rows again once they are put right, leaving out the report\'s line, code and reason', async () => {
    const ctx = h.context();
    const csv = file('fix-me.csv', ['id,name,phone', 'F1,甲,13800000001', 'F2,乙,12', 'F3,丙,1.38E+10', ''].join('\n'));
    expect(await runImport(ctx, { ...options('customers', csv), locale: 'en' })).toMatchObject({ accepted: 1, rejected: 2, readAsReport: false });
    const report = `${csv}.rejected.csv`;
    // Put right in place, as a spreadsheet saves it: the reasons stay beside the rows.
    writeFileSync(report, readFileSync(report, 'utf8').replace(',12\n', ',13800000002\n').replace(',1.38E+10\n', ',13800000003\n'));
    const again = await runImport(ctx, { ...options('customers', report), locale: 'en' });
    expect(again).toMatchObject({ rows: 2, accepted: 2, rejected: 0, readAsReport: true });
    expect((await getPortrait(ctx, 'F3')).identities).toEqual([expect.objectContaining({ kind: 'phone', value: '13800000003' })]);
    // Still wrong, its report holds the rows under the file's own columns, not the earlier report's three again.
    writeFileSync(report, readFileSync(report, 'utf8').replace(',13800000003\n', ',34\n'));
    expect(await runImport(ctx, { ...options('customers', report), locale: 'en' })).toMatchObject({ accepted: 1, rejected: 1 });
    expect(readFileSync(`${report}.rejected.csv`, 'utf8').split('\n')).toEqual(['\uFEFFline,code,reason,id,name,phone', '3,VALIDATION_FAILED,"phone: ""34"" is not a valid phone",F3,丙,34', '']);
    // A column named line elsewhere in the header, or the three in another spelling, is the file's own.
    const events = file('lines.csv', 'customer_id,type,occurred_at,line\nF1,app_opened,2026-06-01 08:00,L7\n');
    expect(await runImport(ctx, options('events', events))).toMatchObject({ accepted: 1, readAsReport: false });
    expect((await getPortrait(ctx, 'F1')).recent_events.map((event) => event.properties)).toEqual([{ line: 'L7' }]);
    const spelled = file('spelled.csv', 'Line,Code,Reason,id\n2,X,y,F4\n');
    await expect(runImport(ctx, options('customers', spelled))).rejects.toThrow('Line');
  });

  it('says how many events of a file imported again were there already', async () => {
    const ctx = h.context();
    const path = file('events.csv', 'id,customer_id,type,occurred_at\nE1,C1,app_opened,2026-06-01 08:00\nE2,C1,app_opened,2026-06-02 08:00\n');
    expect(await runImport(ctx, options('events', path))).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await runImport(ctx, options('events', path))).toMatchObject({ accepted: 2, duplicates: 2 });
  });
});

describe('tagbase import: what the summary says', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-import-summary-'));
  const database = join(dir, 'store.db');

  it('says how many events were there already, and how many masked identifiers were left alone', { timeout: 120_000 }, () => {
    const events = join(dir, 'events.csv');
    writeFileSync(events, 'id,customer_id,type,occurred_at\nE1,C1,app_opened,2026-06-01 08:00\nE2,C1,app_opened,2026-06-02 08:00\n');
    expect(tagbase(['import', 'events', events, '--database', database], { LANG: 'en_US.UTF-8' }).stdout).not.toContain('already there');
    const again = tagbase(['import', 'events', events, '--database', database], { LANG: 'en_US.UTF-8' });
    expect(again.stdout).toContain('2 rows, 2 imported, 0 rejected');
    expect(again.stdout).not.toContain('report of rejected rows');
    expect(again.stdout).toContain('2 of them already there (the same event, by its id or, for a row without one, by what it says): not stored again');
    expect(tagbase(['import', 'events', events, '--database', database], { LANG: 'zh_CN.UTF-8' }).stdout).toContain('其中 2 行的事件已经存在（按事件编号判断，没有编号的按内容判断）：没有重复存储');
    const customers = join(dir, 'customers.csv');
    writeFileSync(customers, 'id,phone,email\nC1,132****2308,z***@example.com\n');
    const masked = tagbase(['import', 'customers', customers, '--database', database], { LANG: 'en_US.UTF-8' });
    expect(masked.stdout).toContain("left 2 masked identifier cells alone (such as 138****5678 or z***@example.com, as an export for a role that masks them writes them): the customers' stored identifiers are unchanged");
    expect(tagbase(['import', 'customers', customers, '--database', database], { LANG: 'zh_CN.UTF-8' }).stdout).toContain('已跳过 2 个打码的身份标识单元格');
  });

  it('says a report of rejected rows imported again was read as one, its own three columns left out', { timeout: 120_000 }, () => {
    const report = join(dir, 'members.csv.rejected.csv');
    writeFileSync(report, '\uFEFFline,code,reason,id,name\n2,VALIDATION_FAILED,name: at most 64 characters,R1,甲\n');
    const read = tagbase(['import', 'customers', report, '--database', database], { LANG: 'en_US.UTF-8' });
    expect(read.stdout).toContain('read as a report of rejected rows: left out its columns line, code, reason (as -c line= -c code= -c reason=)');
    expect(read.stdout).toContain('1 row, 1 imported, 0 rejected');
    expect(tagbase(['import', 'customers', report, '--database', database], { LANG: 'zh_CN.UTF-8' }).stdout).toContain('按导入失败行的报告读取：已略过其中的 line、code、reason 列（同 -c line= -c code= -c reason=）');
  });
});
