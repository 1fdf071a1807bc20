// What Excel does to a file, on the import page: a header that takes two rows (a merged 联系方式
// over 手机 and 邮箱) is refused in the preview, saying so, rather than shown with 联系方式 and D to
// declare as fields (a file with one heading row shows its columns as ever); and customer ids
// stripped of their leading zeros (12 for a stored 00012) are warned of once imported.
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../src/engine/xlsx-writer.js';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('what Excel did to a file, on the import page');

/** A workbook with 联系方式 merged over C1:D1, 手机 and 邮箱 below it, as Excel saves one. */
async function mergedWorkbook(): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const rows = [[null, null, '手机', '邮箱'], ['00012', '张三', '13800138000', 'zs@example.com']];
  for await (const chunk of writeXlsx('会员', ['客户编号', '姓名', '联系方式', null], (async function* () { yield rows; })())) chunks.push(chunk);
  const parts = unzipSync(new Uint8Array(Buffer.concat(chunks)));
  const sheet = Object.keys(parts).find((name) => name.startsWith('xl/worksheets/')) ?? '';
  parts[sheet] = strToU8(new TextDecoder().decode(parts[sheet]).replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells>'));
  return Buffer.from(zipSync(parts));
}

describe.runIf(runnable)('what Excel did to a file, on the import page', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'import-excel-mistakes', demo: { customers: 5, eventsPerCustomer: 1, seed: 3 } });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'import-excel-mistakes', context.task);
  });

  it('refuses a workbook and a CSV file with a second heading row, and shows a file with one', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(base);
    await page.getByRole('menuitem', { name: '导入' }).click();
    const input = page.locator('input[type=file]');
    await input.setInputFiles({ name: '会员.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await mergedWorkbook() });
    const refused = page.getByTestId('import-two-row-header');
    await refused.waitFor();
    expect(await refused.textContent()).toBe('表头占了两行（如合并单元格"联系方式"下面还有"手机""邮箱"）：请只保留一行表头再导入');
    // Neither the columns to map, nor 联系方式 and D offered as fields, nor a button to import.
    expect(await page.getByTestId('import-preview').count()).toBe(0);
    expect(await page.getByTestId('import-run').count()).toBe(0);
    await input.setInputFiles({ name: '会员.csv', mimeType: 'text/csv', buffer: Buffer.from('客户编号,姓名,联系方式,\n,,手机,邮箱\n00012,张三,13800138000,zs@example.com\n') });
    await page.getByTestId('import-two-row-header').getByText('"联系方式"下面还有"手机""邮箱"', { exact: false }).waitFor();
    expect(await page.getByTestId('import-run').count()).toBe(0);
    // A header with an empty cell, and a first customer with blanks: shown to map and import.
    await input.setInputFiles({ name: '会员.csv', mimeType: 'text/csv', buffer: Buffer.from('客户编号,姓名,手机,\nT1,,,\nT2,李娜,13800138002,\n') });
    await page.getByTestId('import-preview').getByText('T1').waitFor();
    expect(await page.getByTestId('import-two-row-header').count()).toBe(0);
    expect(await page.getByTestId('import-run').isEnabled()).toBe(true);
  });

  it('warns of customer 12 created beside a stored 00012, naming the row', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(base);
    await page.getByRole('menuitem', { name: '导入' }).click();
    const input = page.locator('input[type=file]');
    const run = async (text: string) => {
      await input.setInputFiles({ name: '会员.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
      await page.getByTestId('import-run').click();
      await page.locator('[data-testid=import-progress][data-state=done]').waitFor({ timeout: 60_000 });
    };
    await run('编号,姓名\n00012,张三\n');
    expect(await page.getByTestId('import-leading-zeros').count()).toBe(0);
    await run('编号,姓名\nZ1,李四\n12,张三\n');
    const warning = page.getByTestId('import-leading-zeros');
    expect(await warning.textContent()).toBe('1 个新建的客户编号与库中带前导零的编号相同：可能是 Excel 去掉了前导零第 3 行新建了客户「12」；库中有「00012」');
  });
});
