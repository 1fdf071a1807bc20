// A new segment saved with its button, in a real browser: the form empties and the button greys out
// under the focus, which goes on to the new segment's row in the list (scrolled into sight, on a
// phone too, where the list is under the form) rather than falling to the page's top; saved with
// Enter in a field, the focus stays in that field, to write the next one.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, consoleRunnable, focusedControl, phonePage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a new segment saved');

describe.runIf(runnable)('a new segment saved', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-segment-saved-focus', demo: { customers: 60, eventsPerCustomer: 3, seed: 11 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'segment-saved-focus', context.task);
  });

  const build = async (on: Page, key: string, name: string) => {
    await on.getByTestId('segment-expression-mode-text').click();
    await on.getByTestId('segment-expression').fill('segment("active_buyers")');
    await expect.poll(() => on.getByTestId('segment-expression-count').getAttribute('data-count')).not.toBeNull();
    await on.getByTestId('segment-name').fill(name);
    await on.getByTestId('segment-key').fill(key);
    await expect.poll(() => on.getByTestId('segment-save').isEnabled()).toBe(true);
  };

  const open = async (on: Page, lang: 'zh-CN' | 'en-US') => {
    await on.goto(`${base}/segments`);
    await on.evaluate(`localStorage.setItem('tagbase.lang', '${lang}'); localStorage.setItem('tagbase.workspace', 'demo')`);
    await on.reload();
    await on.getByTestId('segment-members-active_buyers').waitFor();
  };

  it('hands the focus to the new segment in the list once its button saved it (zh-CN)', async () => {
    await open(page, 'zh-CN');
    await build(page, 'buyers_again', '再次购买');
    await page.getByTestId('segment-save').click();
    await expect.poll(() => focusedControl(page)).toMatch(/^segment-(members|insight-open)-buyers_again$/);
  });

  it('shows the new segment on a phone, the focus on its row (en-US)', async () => {
    if (!session) throw new Error('no console');
    const { context, phone } = await phonePage(session.browser);
    try {
      await open(phone, 'en-US');
      await build(phone, 'buyers_on_phone', 'Buyers on a phone');
      await phone.getByTestId('segment-save').tap();
      await expect.poll(() => focusedControl(phone)).toMatch(/^segment-(members|insight-open)-buyers_on_phone$/);
      const row = await phone.locator('.tb-segment-card[data-row-key="buyers_on_phone"]').boundingBox();
      expect(row !== null && row.y >= 0 && row.y < PHONE.height).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('leaves the focus in the key field when Enter there saved it', async () => {
    await open(page, 'zh-CN');
    await build(page, 'buyers_by_enter', '回车保存');
    await page.getByTestId('segment-key').press('Enter');
    await page.getByTestId('segment-members-buyers_by_enter').waitFor();
    expect(await focusedControl(page)).toBe('segment-key');
  });
});
