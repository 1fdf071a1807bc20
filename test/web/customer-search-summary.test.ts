// The line under the customer list's filter says what narrows the list: with no conditions and a
// search, the search, in Chinese and English, not "no conditions: every customer" over a list of a few.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the customer list’s search summary');

describe.runIf(runnable)('the customer list’s line of conditions while searching', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'customer-search-summary', demo: { customers: 20, eventsPerCustomer: 1, seed: 7 } });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'customer-search-summary', context.task);
  });

  it('names the search that narrows the list, and every customer once it is cleared', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(`${base}/customers`);
    const line = page.getByTestId('customer-filter-text');
    await expect.poll(() => line.textContent()).toBe('未设置条件：全部客户');
    const search = page.getByTestId('customer-search');
    await search.fill('C00001');
    await search.press('Enter');
    await expect.poll(() => line.textContent()).toBe('未设置条件：按搜索“C00001”找到的客户');
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => line.textContent()).toBe('No conditions: the customers the search "C00001" finds');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
    // Opened from an address that keeps the search, it says so at once.
    await page.goto(`${base}/customers?q=C00001`);
    await expect.poll(() => line.textContent()).toBe('未设置条件：按搜索“C00001”找到的客户');
    await search.fill('');
    await search.press('Enter');
    await expect.poll(() => line.textContent()).toBe('未设置条件：全部客户');
  });
});
