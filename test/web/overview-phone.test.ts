// The overview at a phone's width and a tag's details on the portrait as a screen reader meets them,
// in a real browser (Debian's Chromium through playwright-core), in Chinese and in English.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the overview on a phone');
const PHONE = { width: 375, height: 812 };
const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };

describe.runIf(runnable)('the overview on a phone, and the portrait’s tag details for a screen reader', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-overview-phone', demo: { customers: 80, eventsPerCustomer: 3, seed: 11 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'overview-phone', context.task);
  });

  const open = async (path: string, lang: 'zh-CN' | 'en-US') => {
    await page.goto(`${base}${path}`);
    await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
    await page.reload();
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`shows each saved segment's name, count and last 30 days on a phone without scrolling sideways (${lang})`, async () => {
      await page.setViewportSize(PHONE);
      await open('/', lang);
      const table = page.getByTestId('overview-segments');
      const rows = table.locator('tbody tr.ant-table-row');
      await rows.first().locator('svg').waitFor();
      const scroller = table.locator('.ant-table-content, .ant-table-body').first();
      expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
      // The name, the count and the sparkline of every row within the card, not past its right edge.
      const card = await table.boundingBox();
      const cells = await rows.evaluateAll((found) => found.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.getBoundingClientRect().right)));
      expect(cells.length).toBeGreaterThan(0);
      for (const rights of cells) {
        expect(rights).toHaveLength(3);
        for (const right of rights) expect(right).toBeLessThanOrEqual((card?.x ?? 0) + (card?.width ?? 0) + 0.5);
      }
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    });

    it(`says no customer reached a new RFM level in 30 days rather than drawing empty axes (${lang})`, async () => {
      await page.setViewportSize(PHONE);
      await page.route('**/api/v1/history/trend?*', async (route) => {
        const response = await route.fetch();
        const trend = (await response.json()) as { series: { counts: number[] }[] };
        await route.fulfill({ response, json: { ...trend, series: trend.series.map((entry) => ({ ...entry, counts: entry.counts.map(() => 0) })) } });
      });
      try {
        await open('/', lang);
        const empty = page.getByTestId('rfm-trend-empty');
        await expect.poll(() => empty.locator('.ant-empty-description').textContent()).toBe(lang === 'zh-CN' ? '近 30 天没有客户进入新的 RFM 等级' : 'No customer reached a new RFM level in the last 30 days');
        expect(await page.getByTestId('rfm-trend').count()).toBe(0);
      } finally {
        await page.unrouteAll({ behavior: 'wait' });
      }
    });
  }

  it("describes a focused tag's × and a focused model tag by the popup saying who gave it, when and until when", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const created = await fetch(`${base}/api/v1/tags`, { method: 'POST', headers, body: JSON.stringify({ key: 'sr_channel', name: '读屏渠道', cardinality: 'multi', kind: 'manual', values: [{ key: 'a', name: '甲 乙' }] }) });
    expect(created.status).toBe(201);
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=80`, { headers })).json()) as { items: { id: string }[] };
    const id = listed.items[0]?.id ?? '';
    expect((await fetch(`${base}/api/v1/tags/sr_channel/assign`, { method: 'POST', headers, body: JSON.stringify({ value: 'a', customers: [id] }) })).ok).toBe(true);
    await open(`/customers/${encodeURIComponent(id)}`, 'zh-CN');
    const card = page.getByTestId('portrait-tags');
    const remove = card.getByRole('button', { name: '移除「读屏渠道: 甲 乙」', exact: true });
    await remove.waitFor();
    // What a screen reader reads after the focused control's name: the text of the elements its aria-describedby names.
    const described = () =>
      page.evaluate<string>("(document.activeElement?.getAttribute('aria-describedby') ?? '').split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ')");
    await remove.focus();
    await expect.poll(described).toContain('来源');
    expect(await described()).toContain('过期时间');
    // A model's tag has no ×: the chip itself takes the focus, described the same way.
    const chips = card.getByTestId('portrait-tag-chip');
    await chips.first().waitFor();
    await chips.first().focus();
    await expect.poll(described).toContain('来源');
    expect(await described()).toContain('打标时间');
  });
});
