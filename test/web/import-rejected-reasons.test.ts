// The rows an import refused download with each row's line in the file and why it was refused,
// in the console's language, under the columns `tagbase import` writes its report under
// (`line,code,reason`): the reasons stay beside the rows once the page is closed, and the file,
// put right in a spreadsheet, imports again as it stands, those three columns left out.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { parseCsv } from '../../web/src/modules/imports/utils/parseCsv.js';

const runnable = consoleRunnable('rejected rows with their lines and reasons');

/** Two good assignments; a value the tag does not have on line 3, a tag misspelt on line 5. */
const FILE = 'customer_id,tag,value\nC000001,跟进阶段,售前\nC000002,跟进阶段,售中\nC000003,跟进阶段,售后\nC000004,跟进阶断,售后\n';

async function tagged(base: string): Promise<number> {
  const answer = (await callApi(base, 'POST', '/segments/count', { expression: 'tagged("follow_stage")' })) as { count: number };
  return answer.count;
}

describe.runIf(runnable)('rejected rows downloaded with their lines and reasons', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'import-reasons', demo: { customers: 20, eventsPerCustomer: 1, seed: 7 } });
    await callApi(session.base, 'POST', '/tags', { key: 'follow_stage', name: '跟进阶段', values: [{ key: 'pre', name: '售前' }, { key: 'after', name: '售后' }] });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'import-reasons', context.task);
  });

  /** Imports `text` as tag assignments, and gives back what the page says of it. */
  async function importAssignments(page: Page, name: string, text: string, firstId: string): Promise<string> {
    await page.getByTestId('import-kind').getByText('标签分配').click();
    await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByTestId('import-preview').getByText(firstId).waitFor();
    await expect.poll(() => page.getByTestId('import-run').isEnabled()).toBe(true);
    await page.getByTestId('import-run').click();
    await page.locator('[data-testid=import-progress][data-state=done]').waitFor({ timeout: 60_000 });
    return (await page.getByTestId('import-result').textContent()) ?? '';
  }

  async function downloadRejected(page: Page): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-rejected-download').click()]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  }

  it('writes each rejected row after its line, code and reason, and imports the file put right again', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(`${base}/imports`);
    const result = await importAssignments(page, '跟进.csv', FILE, 'C000004');
    expect(result).toContain('已导入2');
    expect(result).toContain('被拒绝2');
    expect(await tagged(base)).toBe(2);

    const chinese = await downloadRejected(page);
    expect(chinese.name).toBe('跟进-rejected.csv');
    // As before: UTF-8 with a byte-order mark, the file's own columns after the report's three.
    expect(chinese.text.startsWith('\uFEFFline,code,reason,customer_id,tag,value\n')).toBe(true);
    const [header, ...rows] = parseCsv(chinese.text);
    expect(header).toEqual(['line', 'code', 'reason', 'customer_id', 'tag', 'value']);
    expect(rows.map((row) => [row[0], ...row.slice(3)])).toEqual([
      ['3', 'C000002', '跟进阶段', '售中'],
      ['5', 'C000004', '跟进阶断', '售后'],
    ]);
    // The reasons as the table words them, in the console's language.
    const shown = await page.getByTestId('import-rejection-reason').allTextContents();
    expect(rows.map((row) => row[2])).toEqual(shown);
    expect(rows[0]?.[2]).toContain('售中');
    expect(rows[1]?.[2]).toContain('您是不是要找「跟进阶段」');
    const codes = await page.getByTestId('import-rejection-code').allTextContents();
    expect(codes.map((code) => code.replace(/^错误码：/, ''))).toEqual(rows.map((row) => row[1]));

    // In English, the reasons are English.
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await page.getByTestId('import-rejections').getByText('did you mean', { exact: false }).waitFor();
      const english = parseCsv((await downloadRejected(page)).text).slice(1);
      expect(english.map((row) => row[0])).toEqual(['3', '5']);
      expect(english.map((row) => row[2])).toEqual(await page.getByTestId('import-rejection-reason').allTextContents());
      expect(english[1]?.[2]).toContain('did you mean "跟进阶段"');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }

    // Put right in the file itself, the download imports as it stands: its line, code and reason are not imported.
    const corrected = chinese.text.replace(',售中\n', ',售前\n').replace(',跟进阶断,', ',跟进阶段,');
    await page.locator('input[type=file]').setInputFiles({ name: '跟进-rejected.csv', mimeType: 'text/csv', buffer: Buffer.from(corrected) });
    await page.getByTestId('import-preview').getByText('C000004').waitFor();
    for (const column of ['line', 'code', 'reason']) expect(await page.getByTestId(`import-map-${column}`).textContent()).toBe('（不导入）');
    await expect.poll(() => page.getByTestId('import-run').isEnabled()).toBe(true);
    await page.getByTestId('import-run').click();
    await page.locator('[data-testid=import-progress][data-state=done]').waitFor({ timeout: 60_000 });
    const again = (await page.getByTestId('import-result').textContent()) ?? '';
    expect(again).toContain('已导入2');
    expect(again).toContain('被拒绝0');
    expect(await page.getByTestId('import-rejected-download').count()).toBe(0);
    expect(await tagged(base)).toBe(4);
  });

  it('numbers a report refused again by the file it was, and writes its old line, code and reason no more', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(`${base}/imports`);
    const report = '\uFEFFline,code,reason,customer_id,tag,value\n3,TAG_VALUE_NOT_FOUND,旧的原因,C000005,跟进阶段,售中\n';
    const result = await importAssignments(page, '跟进-rejected.csv', report, 'C000005');
    expect(result).toContain('被拒绝1');
    const { name, text } = await downloadRejected(page);
    expect(name).toBe('跟进-rejected-rejected.csv');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['line', 'code', 'reason', 'customer_id', 'tag', 'value']);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[0]).toBe('2');
    expect(rows[0]?.[2]).not.toBe('旧的原因');
    expect(rows[0]?.slice(3)).toEqual(['C000005', '跟进阶段', '售中']);
  });
});
