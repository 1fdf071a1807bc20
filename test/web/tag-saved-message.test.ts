// Tags added one after another in the tag library: the message that one was saved leaves the next
// editor's title and × in sight (on a laptop and on a phone), and the tag just added is shown in
// the list, on its page and scrolled into view, though the library lists it last.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, phonePage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a tag saved');

/** Whether what is drawn at the middle of `selector` is that element (or inside it), not something over it. */
function uncovered(page: Page, selector: string): Promise<boolean> {
  return page.evaluate<boolean>(`(() => {
    const element = document.querySelector(${JSON.stringify(selector)});
    if (!element) return false;
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top !== null && element.contains(top);
  })()`);
}

/**
 * Makes a tag of one value in the editor and saves it; then, with the message that it was saved
 * held in sight (the pointer rests on it, which stops its clock), opens the editor for the next
 * from the keyboard, so that the pointer stays.
 */
async function addTagThenAnother(page: Page, key: string, name: string): Promise<void> {
  await page.getByTestId('tag-create').click();
  await page.getByTestId('tag-name').fill(name);
  await page.getByTestId('tag-key').fill(key);
  await page.getByTestId('value-key-0').fill('yes');
  await page.getByTestId('value-name-0').fill('是');
  await page.getByTestId('tag-save').click();
  await page.locator('.ant-message-notice').filter({ hasText: `已保存标签「${name}」` }).hover();
  await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
  await page.getByTestId('tag-create').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('tag-editor').waitFor();
  expect(await page.locator('.ant-message-notice').count()).toBe(1);
}

describe.runIf(runnable)('a tag saved in the tag library', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'tag-saved', demo: { customers: 20, eventsPerCustomer: 1, seed: 13 } });
    // Enough tags that one more lands on the list's second page.
    for (let n = 1; n <= 20; n++) await callApi(session.base, 'POST', '/tags', { key: `filler_${n}`, name: `填充${n}`, values: [{ key: 'yes', name: '是' }] });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'tag-saved', context.task);
  });

  it('shows the tag just added on its page, in view, and leaves the next editor’s title and × uncovered', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-library').locator('tr[data-row-key=filler_1]').waitFor();
    await addTagThenAnother(page, 'just_added', '刚加的标签');
    expect(await uncovered(page, '.ant-drawer-open .ant-drawer-close')).toBe(true);
    expect(await uncovered(page, '.ant-drawer-open .ant-drawer-title')).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    // Behind the editor, the list turned to the page of the tag just added, and brought it into view.
    const row = page.getByTestId('tag-library').locator('tr[data-row-key=just_added]');
    await row.waitFor();
    expect(await page.getByTestId('tag-library').locator('tr[data-row-key=filler_1]').count()).toBe(0);
    const inView = async () => {
      const box = await row.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= (page.viewportSize()?.height ?? 0);
    };
    await expect.poll(inView).toBe(true);
  });

  it('leaves them uncovered on a phone too', async () => {
    const { browser, base } = session ?? {};
    if (!browser || !base) throw new Error('no console');
    const { context, phone } = await phonePage(browser);
    try {
      await phone.goto(`${base}/tags`);
      await phone.getByTestId('tag-library').locator('tr.ant-table-row').first().waitFor();
      await addTagThenAnother(phone, 'from_phone', '手机上加的');
      expect(await uncovered(phone, '.ant-drawer-open .ant-drawer-close')).toBe(true);
      expect(await uncovered(phone, '.ant-drawer-open .ant-drawer-title')).toBe(true);
    } finally {
      await context.close();
    }
  });
});
