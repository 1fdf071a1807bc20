// How the overview and the saved segments lay out on a laptop and a tablet, in a real browser
// (Debian's Chromium through playwright-core), in Chinese and in English.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, fitsWidth, openInLanguage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { systemClock } from '../../src/core/time.js';
import { recordSegmentSizes } from '../../src/engine/segment-sizes.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';

const runnable = consoleRunnable('the overview layout');

describe.runIf(runnable)('the overview and the segment list at a laptop’s and a tablet’s width', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-overview', demo: { customers: 300, eventsPerCustomer: 5, seed: 7 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'overview', context.task);
  });

  const language = async (lang: 'zh-CN' | 'en-US') => {
    await page.getByTestId('language-switch').getByText(lang === 'zh-CN' ? '中文' : 'EN').click();
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`lists the recent tag changes on a laptop with each change on one line, every column in view (${lang})`, async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(base);
      await language(lang);
      const rows = page.getByTestId('recent-changes').locator('tbody tr.ant-table-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBeGreaterThan(3);
      const scroller = page.getByTestId('recent-changes').locator('.ant-table-content, .ant-table-body').first();
      expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
      // The tag and its value (the fourth column) on one line, not wrapped a few characters at a time.
      const lines = await rows.evaluateAll((found) =>
        found.map((row) => {
          // The distinct tops of the boxes of the cell's text: one per line.
          const range = row.ownerDocument.createRange();
          range.selectNodeContents(row.querySelectorAll('td')[3] ?? row);
          return new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))).size;
        }),
      );
      expect(lines.every((count) => count === 1)).toBe(true);
    });
  }

  const rfmLevels = {
    'zh-CN': ['一般挽留客户', '一般保持客户', '一般发展客户', '一般价值客户', '重要挽留客户', '重要保持客户', '重要发展客户', '重要价值客户'],
    'en-US': ['General win-back', 'General retention', 'General development', 'General value', 'Important win-back', 'Important retention', 'Important development', 'Important value'],
  };
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    for (const lang of ['zh-CN', 'en-US'] as const) {
      it(`names all eight RFM levels at once above the trend's bars, none behind a pager or cut off, ${width} px wide (${lang})`, async () => {
        await page.setViewportSize({ width, height });
        await openInLanguage(page, base, lang, 'demo');
        const chart = page.getByTestId('rfm-trend');
        await chart.locator('svg text').filter({ hasText: rfmLevels[lang][7] }).waitFor();
        const drawn = await chart.locator('svg').evaluate((svg, names) => {
          type Box = { left: number; right: number; top: number; bottom: number };
          const within = (rect: Box, box: Box) => rect.left >= box.left - 0.5 && rect.right <= box.right + 0.5 && rect.top >= box.top - 0.5 && rect.bottom <= box.bottom + 0.5;
          const box = svg.getBoundingClientRect();
          const texts = [...svg.querySelectorAll('text')].map((text) => ({ text: text.textContent ?? '', rect: text.getBoundingClientRect() }));
          const legend = names.map((name) => texts.find((text) => text.text === name)?.rect);
          const shown = legend.filter((rect): rect is NonNullable<typeof rect> => rect !== undefined);
          const overlapping = shown.some((a, i) => shown.some((b, j) => i < j && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
          // The value axis's labels (0, 1,000, …): the topmost is where the bars' area begins.
          const axisTop = Math.min(...texts.filter((text) => /^[\d,]+$/.test(text.text)).map((text) => text.rect.top));
          return {
            missing: names.filter((_, index) => legend[index] === undefined),
            outside: names.filter((_, index) => { const rect = legend[index]; return rect !== undefined && !within(rect, box); }),
            pager: texts.filter((text) => /^\d+\/\d+$/.test(text.text)).map((text) => text.text),
            overlapping,
            aboveBars: shown.every((rect) => rect.bottom <= axisTop),
          };
        }, rfmLevels[lang]);
        expect(drawn).toEqual({ missing: [], outside: [], pager: [], overlapping: false, aboveBars: true });
      });
    }
  }

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`writes the trend's counts of a large shop whole beside its bars, none cut off at the card's edge, on a phone (${lang})`, async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      // A shop of a hundred thousand customers, tens of thousands of them reaching a level on the day RFM was enabled.
      await page.route('**/api/v1/history/trend?*', async (route) => {
        const response = await route.fetch();
        const trend = (await response.json()) as { series: { counts: number[] }[] };
        await route.fulfill({ response, json: { ...trend, series: trend.series.map((entry) => ({ ...entry, counts: entry.counts.map((count) => count * 1000) })) } });
      });
      try {
        await openInLanguage(page, base, lang, 'demo');
        const chart = page.getByTestId('rfm-trend');
        await chart.locator('svg text').filter({ hasText: rfmLevels[lang][7] }).waitFor();
        const cut = await chart.locator('svg').evaluate((svg) => {
          const box = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('text')].filter((text) => {
            const rect = text.getBoundingClientRect();
            return rect.width > 0 && (rect.left < box.left - 0.5 || rect.right > box.right + 0.5);
          }).map((text) => text.textContent);
        });
        expect(cut).toEqual([]);
      } finally {
        await page.unrouteAll({ behavior: 'wait' });
      }
    });
  }

  it('says the RFM trend could not be read when the server fails it, rather than drawing axes without bars', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.route('**/api/v1/history/trend?*', (route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Unavailable', status: 503, code: 'STORE_UNAVAILABLE', detail: 'down' }) }));
    try {
      await openInLanguage(page, base, 'zh-CN', 'demo');
      await expect.poll(() => page.getByTestId('rfm-trend-unread').locator('.ant-empty-description').textContent()).toBe('未能读取');
      expect(await page.getByTestId('rfm-trend').count()).toBe(0);
      // The RFM levels beside it, read on their own, are drawn.
      await page.getByTestId('rfm-chart').waitFor();
    } finally {
      await page.unrouteAll({ behavior: 'wait' });
    }
  });

  it('draws the lifecycle stages as bars in their order from the top, each bar as long as its count', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    // In Chinese, as the stages' tag stores their names (in English they read as the catalog names them).
    await openInLanguage(page, base, 'zh-CN');
    const chart = page.getByTestId('lifecycle-chart');
    await chart.locator('svg text').filter({ hasText: '潜在客户' }).waitFor();
    const stages = ['潜在客户', '新客户', '成长客户', '成熟客户', '衰退客户', '流失客户'];
    // A funnel drew a larger stage (the lost, the potential) as a smaller layer: a bar's length says its count.
    const drawn = await chart.locator('svg').evaluate((svg, names) => {
      const texts = [...svg.querySelectorAll('text')].map((text) => ({ text: text.textContent ?? '', rect: text.getBoundingClientRect() }));
      const bars = [...svg.querySelectorAll('path')].filter((path) => !['none', 'transparent', null].includes(path.getAttribute('fill'))).map((path) => path.getBoundingClientRect()).filter((rect) => rect.height > 4 && rect.height < 40);
      return names.map((name) => {
        const label = texts.find((text) => text.text === name);
        const middle = label ? label.rect.top + label.rect.height / 2 : Number.NaN;
        const bar = bars.find((rect) => middle >= rect.top && middle <= rect.bottom);
        const count = texts.find((text) => /^[\d,]+$/.test(text.text) && middle >= text.rect.top && middle <= text.rect.bottom);
        return { name, top: middle, width: bar?.width ?? 0, count: count ? Number(count.text.replace(/,/g, '')) : Number.NaN };
      });
    }, stages);
    expect(drawn.map((stage) => stage.top)).toEqual([...drawn.map((stage) => stage.top)].sort((a, b) => a - b));
    // The demo's counts move with the day it runs on; whatever they are, a longer bar is a larger count.
    expect(drawn.every((stage) => Number.isInteger(stage.count))).toBe(true);
    for (const a of drawn) for (const b of drawn) if (a.count > b.count) expect(a.width).toBeGreaterThan(b.width);
    // The Models page lists the stages in the same order from the top, the model's own (it drew 流失客户 at the top).
    await page.goto(`${base}/models?model=lifecycle`);
    const distribution = page.getByTestId('model-distribution');
    await distribution.locator('svg text').filter({ hasText: '潜在客户' }).waitFor();
    const tops = await distribution.locator('svg').evaluate(
      (svg, names) => names.map((name) => [...svg.querySelectorAll('text')].find((text) => text.textContent === name)?.getBoundingClientRect().top ?? Number.NaN),
      stages,
    );
    expect(tops.every(Number.isFinite)).toBe(true);
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
  });

  it('says where the customers come from in a workspace that has none, with the way to import them', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const created = await fetch(`${base}/api/v1/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'new-shop', name: '新店' }) });
    expect(created.status).toBe(201);
    try {
      await openInLanguage(page, base, 'zh-CN', 'new-shop');
      const notice = page.getByTestId('overview-no-customers');
      await expect.poll(() => notice.locator('.ant-alert-message').textContent()).toBe('这个工作空间还没有客户');
      await notice.getByTestId('overview-import').click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/imports');
    } finally {
      await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo')`);
    }
    // A workspace with customers has no such notice.
    await page.goto(base);
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('300');
    expect(await page.getByTestId('overview-no-customers').count()).toBe(0);
  });

  // Below 768 px the segments are cards the screen's width (SegmentCards); from there a table.
  for (const width of [600, 700, 800, 900]) {
    it(`shows the saved segments at ${width} px with every column in view`, async () => {
      await page.setViewportSize({ width, height: 900 });
      // Below 768 px the language switch is in the menu drawer: the language is chosen as the console remembers it.
      for (const lang of ['zh-CN', 'en-US'] as const) {
        await openInLanguage(page, `${base}/segments`, lang);
        const list = page.getByTestId('segment-list');
        if (width < 768) {
          await list.locator('.tb-segment-card').first().waitFor();
          await expect.poll(() => fitsWidth(page)).toBe(true);
          continue;
        }
        await list.locator('tbody tr.ant-table-row').first().waitFor();
        await expect.poll(() => fits(list)).toBe(true);
      }
      await page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`);
    });
  }

  // Last: it adds customers to the demo's 300.
  it('gives a saved segment’s share of everyone as counted now, after customers were added since the day’s size was recorded', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const store = session?.store;
    if (!store) throw new Error('no console session');
    const workspace = await store.db.selectFrom('workspaces').select('id').where('key', '=', 'demo').executeTakeFirstOrThrow();
    // Today's sizes recorded as the scheduler would, with the morning's 300 customers.
    await recordSegmentSizes({ store, workspaceId: workspace.id, workspaceKey: 'demo', actor: null, now: systemClock }, indexAudience(new IndexRegistry(store)));
    const at = new Date().toISOString();
    const events = Array.from({ length: 100 }, (_, i) => ({ id: `share-${i}`, customer_id: `SHARE${i}`, type: 'order_paid', occurred_at: at, properties: { order_id: `SH${i}`, amount: 99 } }));
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    expect((await fetch(`${base}/api/v1/events`, { method: 'POST', headers, body: JSON.stringify({ events }) })).status).toBe(200);
    const counted = (await (await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers, body: JSON.stringify({ expression: 'segment("active_buyers")' }) })).json()) as { count: number; population: number };
    expect(counted.population).toBe(400);
    await openInLanguage(page, base, 'zh-CN');
    const row = page.getByTestId('overview-segments').locator('tbody tr.ant-table-row').filter({ hasText: '活跃买家' });
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe(counted.count.toLocaleString('zh-CN'));
    await expect.poll(() => row.locator('td').nth(2).textContent()).toBe(`${((counted.count / 400) * 100).toFixed(1)}%`);
  });

  it('says what it could not read when the server stops, rather than no customers and models not enabled', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-table').waitFor();
    await language('zh-CN');
    // The server stops: every request from then on fails as a browser's fetch then does.
    await page.route(/\/api\/v1\//, (route) => route.abort('connectionrefused'));
    try {
      await page.getByRole('menuitem', { name: '概览' }).click();
      await page.getByText('无法连接服务器', { exact: false }).first().waitFor();
      await expect.poll(() => page.getByTestId('recent-changes').textContent()).toContain('未能读取');
      expect(await page.getByTestId('overview-customers').locator('.ant-statistic-content').textContent()).toBe('—');
      expect(await page.getByTestId('overview-care-due').locator('.ant-statistic-content').textContent()).toBe('—');
      expect(await page.getByTestId('rfm-missing').count()).toBe(0);
      expect(await page.getByTestId('lifecycle-missing').count()).toBe(0);
    } finally {
      await page.unrouteAll({ behavior: 'wait' });
    }
  });

  it('reads the saved segments, their counts and their sizes once as it opens, not again when the RFM trend comes beside them', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const asked: string[] = [];
    const note = (request: { url(): string }) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/v1/segments')) asked.push(path);
    };
    page.on('request', note);
    const rows = page.getByTestId('overview-segments').locator('tbody tr.ant-table-row');
    try {
      await page.goto(base);
      // The trend comes once the models are read; every segment's count and sizes after it.
      await page.getByTestId('overview-segments').locator('svg').first().waitFor();
      await expect.poll(async () => (await rows.locator('td:nth-child(2)').allTextContents()).some((count) => count === '…')).toBe(false);
      await page.waitForLoadState('networkidle');
    } finally {
      page.off('request', note);
    }
    const saved = await rows.count();
    expect(saved).toBeGreaterThan(0);
    expect(asked.filter((path) => path === '/api/v1/segments')).toHaveLength(1);
    expect(asked.filter((path) => path === '/api/v1/segments/count')).toHaveLength(saved);
    expect(asked.filter((path) => path.endsWith('/sizes'))).toHaveLength(saved);
  });
});

/** Whether a table shows all its columns without scrolling sideways. */
function fits(table: Locator): Promise<boolean> {
  return table.locator('.ant-table-content, .ant-table-body').first().evaluate((scroller) => scroller.scrollWidth <= scroller.clientWidth);
}
