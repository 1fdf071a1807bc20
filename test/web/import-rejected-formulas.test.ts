// The rows the console's import refused download as CSV to correct in a spreadsheet: a cell that
// Excel would run as a formula (`=HYPERLINK(…)` in a customer's nickname, from a workbook where it
// was only text, or from a GBK file as Excel on Chinese Windows saves it) is written as exports
// write it, `'=…`, and the corrected file imports again as the file had it.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { gb18030Bytes } from '../support/gb18030.js';

const runnable = consoleRunnable('rejected rows holding formulas');

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook of one sheet of text cells, as a shop system's export writes them. */
function workbook(rows: string[][]): Buffer {
  const cell = (text: string) => `<c t="inlineStr"><is><t>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</t></is></c>`;
  const sheet = rows.map((cells) => `<row>${cells.map(cell).join('')}</row>`).join('');
  return Buffer.from(
    zipSync({
      'xl/workbook.xml': strToU8(`<workbook xmlns="${MAIN}" xmlns:r="${RELS}"><sheets><sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>`),
      'xl/_rels/workbook.xml.rels': strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
      'xl/worksheets/sheet1.xml': strToU8(`<worksheet xmlns="${MAIN}"><sheetData>${sheet}</sheetData></worksheet>`),
    }),
  );
}

describe.runIf(runnable)('rejected rows holding formulas, downloaded from the import page', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'import-formulas', demo: { customers: 20, eventsPerCustomer: 1, seed: 3 } });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'import-formulas', context.task);
  });

  async function importFile(name: string, mimeType: string, buffer: Buffer): Promise<string> {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(base);
    await page.getByRole('menuitem', { name: '导入' }).click();
    await page.locator('input[type=file]').setInputFiles({ name, mimeType, buffer });
    await page.getByTestId('import-preview').getByText('F1').waitFor();
    await page.getByTestId('import-run').click();
    await page.locator('[data-testid=import-progress][data-state=done]').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-rejected-download').click()]);
    return readFileSync(await download.path(), 'utf8');
  }

  it('writes a workbook text cell that would run as a formula with an apostrophe before it', async () => {
    const file = await importFile(
      '会员.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      workbook([
        ['编号', '姓名', '手机', '城市'],
        ['F1', '=HYPERLINK("http://evil.example","点我领券")', '12', '@SUM(1)'],
        ['F2', '好客', '13800138000', '-杭州'],
        ['F3', '老客', '13900139000', '上海'],
      ]),
    );
    // After the row's line in the sheet, its code and its reason (see import-rejected-reasons.test.ts).
    expect(file).toMatch(/^\uFEFFline,code,reason,编号,姓名,手机,城市\n2,[A-Z_]+,[^\n]+,F1,"'=HYPERLINK\(""http:\/\/evil\.example"",""点我领券""\)",12,'@SUM\(1\)\n$/);
  });

  it('does so in a GBK file as Excel on Chinese Windows saves it, and leaves a row with nothing to run as the file has it', async () => {
    const file = await importFile('会员.csv', 'text/csv', gb18030Bytes('编号,姓名,手机,城市\r\nF1,+张伟,12,杭州\r\nF2,"李娜, 小李",13,上海\r\nF3,王芳,13800138001,深圳\r\n'));
    expect(file).toMatch(/^\uFEFFline,code,reason,编号,姓名,手机,城市\r\n2,[A-Z_]+,[^\r\n]+,F1,'\+张伟,12,杭州\r\n3,[A-Z_]+,[^\r\n]+,F2,"李娜, 小李",13,上海\r\n$/);
  });
});
