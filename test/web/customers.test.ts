// The customer list in a real browser (Debian's Chromium through playwright-core) over a demo
// store of 900 customers: paging past the end, what an empty list says, tags that wrap on a
// laptop, and bulk tagging of a selection gathered over several pages.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, pick, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the customer list');

describe.runIf(runnable)('the customer list', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-customers', demo: { customers: 900, eventsPerCustomer: 2, seed: 5 } });
    ({ page, base } = session);
  }, 150_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'customers', context.task);
    const dialog = page?.locator('.ant-modal-wrap:visible');
    if (dialog && (await dialog.count()) > 0) await page.keyboard.press('Escape');
  });

  const rows = () => page.getByTestId('customer-table').locator('tbody tr.ant-table-row');

  it('opens a page past the end (an old link) on the last page, with its customers', async () => {
    const total = await count(base, 'id exists');
    const last = Math.ceil(total / 20);
    await page.goto(`${base}/customers?page=${last + 50}`);
    await expect.poll(() => new URL(page.url()).searchParams.get('page')).toBe(String(last));
    await expect.poll(() => rows().count()).toBe(total - (last - 1) * 20);
    expect(await page.locator('.ant-pagination-item-active').textContent()).toBe(String(last));
    // The jump of five pages back is named, not by its icon ("double-left").
    const pager = page.locator('.ant-pagination');
    expect(await pager.getByRole('button', { name: '向前 5 页', exact: true }).count()).toBe(1);
    expect(await pager.getByRole('button', { name: /double/ }).count()).toBe(0);
    // A keyboard user tabbing from page 1 lands on that named button, not on the list item around it.
    await pager.locator('.ant-pagination-item-1').focus();
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.evaluate((element) => [element.tagName, element.getAttribute('role'), element.getAttribute('aria-label')])).toEqual(['A', 'button', '向前 5 页']);
    expect(await pager.getByRole('button', { name: '向前 5 页', exact: true }).evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    // Enter jumps five pages back, once.
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('page')).toBe(String(last - 5));
    await page.keyboard.press('Shift+Tab');
    expect(await page.locator(':focus').evaluate((element) => element.textContent)).toBe('1');
  });

  it('goes back to the first page when the order changes', async () => {
    await page.goto(`${base}/customers?page=3`);
    await rows().first().waitFor();
    // The jump of five pages on is named in either language, not by its icon ("double-right").
    const jumpNext = (name: string) => page.locator('.ant-pagination').getByRole('button', { name, exact: true });
    expect(await jumpNext('向后 5 页').count()).toBe(1);
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => jumpNext('Next 5 pages').count()).toBe(1);
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
    await pick(page, 'customer-sort', '近一年消费 从高到低');
    await expect.poll(() => new URL(page.url()).searchParams.get('page')).toBeNull();
    expect(await page.locator('.ant-pagination-item-active').textContent()).toBe('1');
  });

  it('says that nobody matches a filter, not that there is no data, in both languages', async () => {
    await page.goto(`${base}/customers?filter=${encodeURIComponent('city = "火星"')}`);
    const empty = page.getByTestId('customer-table').locator('.ant-table-placeholder');
    await expect.poll(() => empty.textContent()).toBe('没有符合搜索或筛选条件的客户');
    // Nothing to export either; and a search is as long as the server takes one.
    await expect.poll(() => page.getByTestId('customers-export').isDisabled()).toBe(true);
    expect(await page.getByTestId('customers-export-xlsx').isDisabled()).toBe(true);
    expect(await page.getByTestId('customer-search').getAttribute('maxlength')).toBe('256');
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => empty.textContent()).toBe('No customer matches the search or the filter');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
  });

  it('says the customers could not be read when the server fails, not that there are none yet, and reads them again once asked', async () => {
    await page.goto(`${base}/customers`);
    await rows().first().waitFor();
    const empty = page.getByTestId('customer-table').locator('.ant-table-placeholder');
    for (const [lang, unread, none] of [
      ['zh-CN', '未能读取客户', '还没有客户'],
      ['en-US', 'The customers could not be read', 'No customers yet'],
    ] as const) {
      await page.evaluate(`localStorage.setItem('tagbase.lang', '${lang}')`);
      // The server stops: the list's read fails as a browser's fetch then does.
      await page.route('**/api/v1/segments/preview?*', (route) => route.abort('connectionrefused'));
      try {
        await page.reload();
        await expect.poll(() => empty.textContent()).toBe(unread);
        expect(await page.getByTestId('customer-table').textContent()).not.toContain(none);
      } finally {
        await page.unrouteAll({ behavior: 'wait' });
      }
      // Back up: the list is read again from the error, without leaving the page.
      await page.getByTestId('customers-retry').click();
      await expect.poll(() => rows().count()).toBe(20);
      expect(await page.getByTestId('customers-retry').count()).toBe(0);
    }
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`);
    await page.reload();
  });

  it('lists nobody under a filter with a mistake, saying why, rather than everyone as if they all matched', async () => {
    await page.goto(`${base}/customers?filter=${encodeURIComponent('ctiy = "上海"')}`);
    await expect.poll(() => page.getByTestId('customer-filter-status').textContent()).toContain('ctiy');
    const empty = page.getByTestId('customer-table').locator('.ant-table-placeholder');
    await expect.poll(() => empty.textContent()).toBe('筛选条件有误：改正后，这里列出符合条件的客户');
    expect(await rows().count()).toBe(0);
    expect(await page.getByTestId('customer-table').locator('.ant-pagination').count()).toBe(0);
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => empty.textContent()).toBe('The filter has a mistake: once it is put right, the customers it matches are listed here');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
    // Put right, the list has its customers again.
    await page.getByTestId('customer-filter-mode-text').click();
    await page.getByTestId('customer-filter').fill('city = "上海"');
    const busy = page.getByTestId('customer-table').locator('table[aria-busy="true"]');
    await expect.poll(() => busy.count()).toBe(0);
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    const shanghai = await rows().evaluateAll((found) => found.map((row) => row.getAttribute('data-row-key')));
    // Half typed, an expression does not parse: while it is being typed the list keeps the last
    // good customers, dimmed, rather than emptying. The count of the text typed is held back here,
    // so that the typing has not stopped for as long as this looks.
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/v1/segments/count', async (route) => {
      await held;
      // Released as the route is taken away, a held request may be let through by the unrouting first.
      await route.continue().catch((error: unknown) => {
        if (!String(error).includes('already handled')) throw error;
      });
    });
    try {
      await page.getByTestId('customer-filter').fill('city = "上海" and (');
      await expect.poll(() => busy.count()).toBe(1);
      expect(await rows().evaluateAll((found) => found.map((row) => row.getAttribute('data-row-key')))).toEqual(shanghai);
      expect(await empty.count()).toBe(0);
    } finally {
      answer();
      await page.unroute('**/api/v1/segments/count');
    }
    // Left so, the server's refusal stands in for the customers.
    await expect.poll(() => empty.textContent()).toBe('筛选条件有误：改正后，这里列出符合条件的客户');
    expect(await rows().count()).toBe(0);
  });

  it('names an export by the saved segment it lists, or as everyone’s or a filter’s', async () => {
    const saved = await fetch(`${base}/api/v1/segments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ key: 'sh_customers', name: '上海客户', expression: 'city = "上海"' }) });
    expect(saved.status).toBe(201);
    const exported = async () => {
      await expect.poll(() => page.getByTestId('customers-export').isDisabled()).toBe(false);
      const download = page.waitForEvent('download');
      await page.getByTestId('customers-export').click();
      return (await download).suggestedFilename();
    };
    await page.goto(`${base}/customers?filter=${encodeURIComponent('segment("sh_customers")')}`);
    await page.getByTestId('customer-filter-count').waitFor();
    expect(await exported()).toBe('上海客户.csv');
    await page.goto(`${base}/customers?filter=${encodeURIComponent('city = "上海"')}`);
    await page.getByTestId('customer-filter-count').waitFor();
    expect(await exported()).toBe('筛选的客户.csv');
    await page.goto(`${base}/customers`);
    await rows().first().waitFor();
    expect(await exported()).toBe('全部客户.csv');
  });

  it('wraps a customer’s many tags in their column on a laptop rather than scrolling the table sideways', async () => {
    await page.goto(`${base}/customers?size=100`);
    await rows().first().waitFor();
    const scroller = page.getByTestId('customer-table').locator('.ant-table-content').first();
    expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  });

  it('tags a selection gathered over several pages, too long for one expression, counting who will change first', async () => {
    await page.goto(`${base}/customers?size=100`);
    await rows().first().waitFor();
    // 800 customers picked page by page: their ids make a list longer than an expression may be.
    const picked: string[] = [];
    for (let n = 1; n <= 8; n++) {
      await expect.poll(() => page.locator('.ant-pagination-item-active').textContent()).toBe(String(n));
      await expect.poll(async () => picked.includes((await rows().first().getAttribute('data-row-key')) ?? '')).toBe(false);
      picked.push(...(await rows().evaluateAll((found) => found.map((row) => row.getAttribute('data-row-key') ?? ''))));
      await page.getByTestId('customer-table').locator('thead .ant-checkbox-input').check();
      if (n < 8) await page.locator('.ant-pagination-next').click();
    }
    expect(new Set(picked).size).toBe(800);
    await expect.poll(() => page.getByTestId('selection-status').textContent()).toBe('已选 800 位');
    const lacking = await countIds(base, picked, 'not vip_care = "是"');
    expect(lacking).toBeGreaterThan(0);
    expect(lacking).toBeLessThan(800);
    await page.getByTestId('bulk-tag-button').click();
    await pick(page, 'bulk-tag', '重点关怀');
    await pick(page, 'bulk-value', '是');
    await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe(`将为 ${lacking} 位客户添加「重点关怀: 是」（所选 800 位中其余已有此标签）。`);
    // For some days only, as on the portrait (有效天数): those holding it already are told they get the days too.
    const expiry = page.locator('input[data-testid="bulk-expiry"], [data-testid="bulk-expiry"] input').first();
    expect(await expiry.getAttribute('placeholder')).toBe('默认 90 天');
    await expiry.fill('30');
    await expect.poll(() => page.getByTestId('bulk-expiry-renews').textContent()).toBe('已有此标签的客户，有效期也改为从现在起 30 天。');
    const before = Date.now();
    await page.getByTestId('bulk-confirm').click();
    // The result says what was done, with which tag.
    // Those who held it already have the new expiry too, and the message says so beside the added.
    await page.locator('.ant-message').getByText(`已为 ${lacking} 位客户添加「重点关怀: 是」；另有 ${800 - lacking} 位客户已有此标签，有效期已更新`, { exact: true }).waitFor();
    expect(await countIds(base, picked, 'vip_care = "是"')).toBe(800);
    const portrait = (await (await fetch(`${base}/api/v1/customers/${encodeURIComponent(picked[0] ?? '')}`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { tags: { tag: string; expires_at: string | null }[] };
    const expiresAt = new Date(portrait.tags.find((held) => held.tag === 'vip_care')?.expires_at ?? 0).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
  });

  it('says before and after how many customers a value of a single-valued tag takes another value from', async () => {
    // A filter may end in a comment: what the dialog counts with it still reads.
    const filter = 'city in ("上海", "北京", "广州") -- 一线城市';
    await page.goto(`${base}/customers?filter=${encodeURIComponent(filter)}`);
    await page.getByTestId('select-all-matching').click();
    const selected = await count(base, filter);
    const changing = await count(base, `(${filter}\n) and not personality = "和蔼型"`);
    const replacing = await count(base, `(${filter}\n) and personality exists and not personality = "和蔼型"`);
    expect(replacing).toBeGreaterThan(0);
    await page.getByTestId('bulk-tag-button').click();
    await pick(page, 'bulk-tag', '性格');
    await pick(page, 'bulk-value', '和蔼型');
    await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe(`将为 ${changing} 位客户添加「性格: 和蔼型」（所选 ${selected} 位中其余已有此标签）。其中 ${replacing} 位原有「性格」的其他值，将被替换为「和蔼型」。`);
    await page.getByTestId('bulk-confirm').click();
    await page.locator('.ant-message').getByText(`已为 ${changing} 位客户添加「性格: 和蔼型」（其中 ${replacing} 位替换了原有的「性格」值）`).waitFor();
    expect(await count(base, `(${filter}\n) and personality = "和蔼型"`)).toBe(selected);
    // A slip is put right from the message: everyone has their own value back, the replaced ones theirs.
    await page.getByTestId('bulk-undo').click();
    await page.locator('.ant-message').getByText(`已撤销：${changing} 位客户的「性格: 和蔼型」恢复原样`).waitFor();
    expect(await count(base, `(${filter}\n) and personality = "和蔼型"`)).toBe(selected - changing);
    expect(await count(base, `(${filter}\n) and personality exists and not personality = "和蔼型"`)).toBe(replacing);
  });

  it('says there is nothing to add when every selected customer holds the value already, and lets nothing be confirmed unless an expiry is given, which it then sets on them all', async () => {
    await page.goto(`${base}/customers?filter=${encodeURIComponent('vip_care = "是"')}`);
    await rows().first().waitFor();
    await page.getByTestId('customer-table').locator('thead .ant-checkbox-input').check();
    await page.getByTestId('bulk-tag-button').click();
    await pick(page, 'bulk-tag', '重点关怀');
    await pick(page, 'bulk-value', '是');
    await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe('所选的 20 位客户都已有「重点关怀: 是」，无需添加。');
    expect(await page.getByTestId('bulk-confirm').isDisabled()).toBe(true);
    // Given with an expiry, it is theirs for that long from now: that can be confirmed, and says so.
    const expiry = page.locator('input[data-testid="bulk-expiry"], [data-testid="bulk-expiry"] input').first();
    await expiry.fill('7');
    await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe('所选的 20 位客户都已有「重点关怀: 是」，有效期将改为从现在起 7 天。');
    expect(await page.getByTestId('bulk-confirm').isDisabled()).toBe(false);
    expect(await page.getByTestId('bulk-expiry-renews').count()).toBe(0);
    // Emptied again, there is nothing to do once more.
    await expiry.fill('');
    await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe('所选的 20 位客户都已有「重点关怀: 是」，无需添加。');
    expect(await page.getByTestId('bulk-confirm').isDisabled()).toBe(true);
    await expiry.fill('7');
    await expect.poll(() => page.getByTestId('bulk-confirm').isDisabled()).toBe(false);
    const holding = await rows().evaluateAll((found) => found.map((row) => row.getAttribute('data-row-key') ?? ''));
    const before = Date.now();
    await page.getByTestId('bulk-confirm').click();
    await page.locator('.ant-message').getByText('已更新 20 位客户「重点关怀: 是」的有效期').waitFor();
    for (const id of [holding[0], holding[19]]) {
      const portrait = (await (await fetch(`${base}/api/v1/customers/${encodeURIComponent(id ?? '')}`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { tags: { tag: string; expires_at: string | null }[] };
      const expiresAt = new Date(portrait.tags.find((held) => held.tag === 'vip_care')?.expires_at ?? 0).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * 86_400_000 - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    }
    // Removing it from the whole filter empties the list: the page says so, in English the result too.
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      const holders = await count(base, 'vip_care = "是"');
      await page.getByTestId('select-all-matching').click();
      await page.getByRole('button', { name: 'Tag in bulk', exact: true }).click();
      await pick(page, 'bulk-tag', '重点关怀');
      await pick(page, 'bulk-value', '是');
      await page.locator('input[data-testid="bulk-expiry"], [data-testid="bulk-expiry"] input').first().fill('1');
      await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe(`All ${holders.toLocaleString('en')} selected customers hold “重点关怀: 是” already: its expiry becomes 1 day from now.`);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Untag in bulk' }).click();
      await pick(page, 'bulk-tag', '重点关怀');
      await pick(page, 'bulk-value', '是');
      await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe(`“重点关怀: 是” will be removed from all ${holders.toLocaleString('en')} selected customers.`);
      await page.getByTestId('bulk-confirm').click();
      await page.locator('.ant-message').getByText(`“重点关怀: 是” removed from ${holders.toLocaleString('en')} customers`).waitFor();
      await expect.poll(() => page.getByTestId('customer-table').locator('.ant-table-placeholder').textContent()).toBe('No customer matches the search or the filter');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
  });
});

async function count(base: string, expression: string): Promise<number> {
  const response = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ expression }) });
  return ((await response.json()) as { count: number }).count;
}

/** How many of `ids` also match `condition`, counted a hundred ids at a time. */
async function countIds(base: string, ids: string[], condition: string): Promise<number> {
  let sum = 0;
  for (let i = 0; i < ids.length; i += 100) sum += await count(base, `id in (${ids.slice(i, i + 100).map((id) => JSON.stringify(id)).join(', ')}) and ${condition}`);
  return sum;
}
