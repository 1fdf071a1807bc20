// An import that went through is not sent again by a second click: its button is greyed out, and
// says why, until another file is chosen (the rejected rows corrected, say), while one stopped part
// way may still be sent again to finish. Each rejected row's reason is what the table shows first,
// its code small under it, and on a phone the reason wraps within the screen rather than lying
// past its edge in a sideways scroll.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, fitsWidth, phonePage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('an import done');

/** Two good customers and one whose birthday is no date. */
const FILE = { name: '会员.csv', mimeType: 'text/csv', buffer: Buffer.from('编号,姓名,生日\nDONE1,导入甲,1990-05-17\nDONE2,导入乙,十月初一前后的某个星期天\nDONE3,导入丙,\n') };

describe.runIf(runnable)('an import done', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'import-done', demo: { customers: 20, eventsPerCustomer: 1, seed: 5 } });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'import-done', context.task);
  });

  /** Chooses the file on the import page and imports it, counting the pieces sent. */
  async function importFile(page: Page, sent: string[]): Promise<void> {
    await page.locator('input[type=file]').setInputFiles(FILE);
    await page.getByTestId('import-preview').getByText('DONE2').waitFor();
    await expect.poll(() => page.getByTestId('import-run').isEnabled()).toBe(true);
    await page.getByTestId('import-run').click();
    await page.locator('[data-testid=import-progress][data-state=done]').waitFor({ timeout: 60_000 });
    expect(sent).toHaveLength(1);
  }

  it('greys out the button of a file imported until a file is chosen again, and lists the reason before its code', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/imports/customers')) sent.push(request.url());
    });
    await page.goto(`${base}/imports`);
    await importFile(page, sent);
    const run = page.getByTestId('import-run');
    expect(await run.isDisabled()).toBe(true);
    expect(await page.getByTestId('import-done-hint').textContent()).toBe('这个文件已导入。要导入另一个文件，或改正后的被拒绝行，请在上方重新选择文件。');
    await run.click({ force: true });
    expect(await page.locator('[data-testid=import-progress]').getAttribute('data-state')).toBe('done');
    expect(sent).toHaveLength(1);
    // The reason first, then the code, small, under it: no column of codes beside the reasons.
    const headings = await page.getByTestId('import-rejections').locator('thead th').allTextContents();
    expect(headings).toEqual(['行号', '原因']);
    const row = page.getByTestId('import-rejections').locator('tbody tr.ant-table-row');
    expect(await row.count()).toBe(1);
    expect(await row.getByTestId('import-rejection-reason').textContent()).toContain('不是日期；请写成 1990-05-17');
    expect(await row.getByTestId('import-rejection-code').textContent()).toBe('错误码：VALIDATION_FAILED');
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => page.getByTestId('import-done-hint').textContent()).toBe('This file is imported. To import another, or the rejected rows once corrected, choose the file above.');
      expect(await row.getByTestId('import-rejection-code').textContent()).toBe('Code: VALIDATION_FAILED');
      expect(await page.getByTestId('import-unchanged').textContent()).toBe('Existing, unchanged0');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
    // Chosen again, the file may be imported again: its customers are there as it has them, none changed.
    sent.length = 0;
    await importFile(page, sent);
    expect(await page.getByTestId('import-updated').textContent()).toBe('更新已有客户0');
    expect(await page.getByTestId('import-unchanged').textContent()).toBe('已有客户无变化2');
  });

  it('wraps a rejected row’s reason within a phone’s screen', async () => {
    const { browser, base } = session ?? {};
    if (!browser || !base) throw new Error('no console');
    const { context, phone } = await phonePage(browser);
    try {
      const sent: string[] = [];
      phone.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/v1/imports/customers')) sent.push(request.url());
      });
      await phone.goto(`${base}/imports`);
      await importFile(phone, sent);
      expect(await phone.getByTestId('import-run').isDisabled()).toBe(true);
      const reason = phone.getByTestId('import-rejections').getByTestId('import-rejection-reason');
      const box = await reason.boundingBox();
      const viewport = phone.viewportSize();
      if (!box || !viewport) throw new Error('no reason shown');
      // Whole on the screen, on several lines, and nothing of the table to scroll sideways to.
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(box.height).toBeGreaterThan(30);
      expect(await phone.getByTestId('import-rejections').locator('.ant-table-content').evaluate((content) => content.scrollWidth <= content.clientWidth)).toBe(true);
      expect(await fitsWidth(phone)).toBe(true);
    } finally {
      await context.close();
    }
  });
});
