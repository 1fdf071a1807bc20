// Saving a segment as an operator meets it: a key another segment holds is refused beside the key
// field, and stays said until the key changes (a toast was gone before it was read), the form keeping
// what was typed; and on a phone each saved segment's card keeps the count's label on one line.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, phonePage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a refused segment save');

describe.runIf(runnable)('saving a segment', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-segment-save-refused', demo: { customers: 30, eventsPerCustomer: 2, seed: 5 } });
    ({ page, base, browser } = session);
    await page.goto(base);
    await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo')`);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'segment-save-refused', context.task));

  it('says beside the key that another segment holds it, until the key changes', async () => {
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-count-important_value').waitFor();
    await page.getByTestId('segment-expression-mode-text').click();
    await page.getByTestId('segment-expression').fill('city = "上海"');
    await page.getByTestId('segment-name').fill('上海客户');
    await page.getByTestId('segment-key').fill('important_value');
    await expect.poll(() => page.getByTestId('segment-save').isDisabled()).toBe(false);
    await page.getByTestId('segment-save').click();
    const taken = page.getByTestId('segment-key-taken');
    await expect.poll(() => taken.textContent()).toBe('人群「important_value」已存在：请换一个标识，或者直接编辑这个人群。');
    expect(await page.getByTestId('segment-name').inputValue()).toBe('上海客户');
    expect(await page.getByTestId('segment-expression').inputValue()).toBe('city = "上海"');
    await page.getByTestId('segment-key').fill('shanghai');
    await expect.poll(() => taken.count()).toBe(0);
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-count-shanghai').waitFor();
  });

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`keeps the count's label on one line in a segment's card on a phone (${lang})`, async () => {
      const { context, phone } = await phonePage(browser);
      try {
        await phone.goto(base);
        await phone.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
        await phone.goto(`${base}/segments`);
        await phone.getByTestId('segment-count-important_value').waitFor();
        const heading = phone.getByTestId('segment-card-important_value').locator('dt').nth(1);
        expect(await heading.textContent()).toBe(lang === 'en-US' ? 'Members' : '人数');
        const lines = await heading.evaluate((element) => {
          const range = element.ownerDocument.createRange();
          range.selectNodeContents(element);
          return new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))).size;
        });
        expect(lines).toBe(1);
      } finally {
        await context.close();
      }
    });
  }
});
