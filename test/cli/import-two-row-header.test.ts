// A header spanning two rows (a merged 联系方式 over 手机 and 邮箱) is refused, in a CSV file and in
// a workbook, rather than its second row imported as a customer and 联系方式 and D asked for as
// fields; a header with an empty cell, and a first row with blanks, import as ever.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { runImport, type ImportOptions } from '../../src/cli/import/run-import.js';
import { listCustomers } from '../../src/engine/customers.js';
import { writeXlsx, type SheetCell } from '../../src/engine/xlsx-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'tagbase-two-row-header-'));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, content);
  return path;
}

function options(path: string, locale: 'en' | 'zh-CN' = 'en'): ImportOptions {
  return { kind: 'customers', path, format: path.endsWith('.xlsx') ? 'xlsx' : 'csv', reportPath: `${path}.rejected.csv`, batchSize: 100, progress: false, locale };
}

/** A workbook as the writer of exports writes it, with the cells `merged` (`C1:D1`) merged, as Excel saves merged cells. */
async function workbook(rows: SheetCell[][], merged: string[] = []): Promise<Uint8Array> {
  const [header = [], ...rest] = rows;
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeXlsx('客户', header, (async function* () { yield rest; })())) chunks.push(chunk);
  const parts = unzipSync(new Uint8Array(Buffer.concat(chunks)));
  const sheet = Object.keys(parts).find((name) => name.startsWith('xl/worksheets/')) ?? '';
  const xml = new TextDecoder().decode(parts[sheet]);
  const merges = merged.length === 0 ? '' : `<mergeCells count="${merged.length}">${merged.map((ref) => `<mergeCell ref="${ref}"/>`).join('')}</mergeCells>`;
  parts[sheet] = strToU8(xml.replace('</sheetData>', `</sheetData>${merges}`));
  return zipSync(parts);
}

forEachStore('import: a header of two rows', (h) => {
  it('refuses a CSV file whose header takes two rows, in either language, importing nothing', async () => {
    const ctx = h.context();
    const path = file('会员.csv', ['客户编号,姓名,联系方式,', ',,手机,邮箱', '00012,张三,13800138000,zs@example.com', ''].join('\n'));
    await expect(runImport(ctx, options(path))).rejects.toThrow('the header takes two rows (as a merged cell "联系方式" with "手机", "邮箱" below it): keep one heading row and import again');
    await expect(runImport(ctx, options(path, 'zh-CN'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items).toEqual([]);
  });

  it('refuses a workbook whose header has a cell merged over two columns with their headings below', async () => {
    const ctx = h.context();
    // 社交账号 over 微信 and QQ: no headings the importer knows, but under a merged cell.
    const merged = file('会员.xlsx', await workbook([['客户编号', '姓名', '社交账号', null], [null, null, '微信', 'QQ'], ['00012', '张三', 'zhangsan', '10001']], ['A1:A2', 'B1:B2', 'C1:D1']));
    await expect(runImport(ctx, options(merged))).rejects.toThrow('the header takes two rows (as a merged cell "社交账号" with "微信", "QQ" below it)');
    // Saved without its merged cells (as some programs do), known headings are told all the same.
    const known = file('会员-无合并.xlsx', await workbook([['客户编号', '姓名', '联系方式', null], [null, null, '手机', '邮箱'], ['00012', '张三', '13800138000', 'zs@example.com']]));
    await expect(runImport(ctx, options(known))).rejects.toThrow('"联系方式" with "手机", "邮箱" below it');
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items).toEqual([]);
  });

  it('imports a header with an empty cell, a merged heading over data, and a first row with blanks as ever', async () => {
    const ctx = h.context();
    // A first customer with only an id, under a header whose last cells are empty (as a spreadsheet saves them).
    const csv = file('会员.csv', ['编号,姓名,手机,,', 'C1,,,,', 'C2,李娜,13800138002,,', ''].join('\n'));
    expect(await runImport(ctx, options(csv))).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
    // A merged 城市 over two columns whose second holds nothing: the first row is a customer, its id under no merged cell.
    const sheet = file('会员.xlsx', await workbook([['编号', '姓名', '城市', null], ['C3', '王芳', '杭州', null], ['C4', '赵敏', '北京', null]], ['C1:D1']));
    expect(await runImport(ctx, options(sheet))).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items.map((customer) => customer.id).sort()).toEqual(['C1', 'C2', 'C3', 'C4']);
  });
});
