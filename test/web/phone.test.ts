// The pages a salesperson (导购) opens on a phone on the shop floor, in a real browser (Debian's
// Chromium through playwright-core) at 375 × 812, in Chinese and in English: customer search, the
// portrait and its tags, the care to-do list, and the saved segments with their snapshots.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, dialogFocused, fitsWidth, focusedControl, pick, screenshotFailure, seriousAxeViolations, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { modelLabel, type CatalogModel } from '../../web/src/modules/models/utils/modelLabel.js';

const runnable = consoleRunnable('the console on a phone');
const PHONE = { width: 375, height: 812 };
const DEMO = { 'x-tagbase-workspace': 'demo' };

/** Whether the element lies within the box from its left edge to its right, to the pixel. */
async function within(element: Locator, box: { x: number; y: number; width: number; height: number }): Promise<boolean> {
  const own = await element.boundingBox();
  if (!own) return false;
  return own.x >= box.x - 1 && own.x + own.width <= box.x + box.width + 1;
}

/** What a finger taps: buttons, fields, selects, options, pagers and boxes to tick. */
const TARGETS = '.ant-btn, .ant-select, .ant-input-affix-wrapper, .ant-input:not(.ant-input-affix-wrapper .ant-input), .ant-input-number, .ant-segmented-item, .ant-picker, .ant-pagination-item, .ant-pagination-prev, .ant-pagination-next, .ant-checkbox-wrapper, .ant-radio-button-wrapper, .ant-switch';

/** The targets on the page less than a finger's 40 px high or wide, by what they say (antd's table measuring row left out: it is never seen). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.locator(TARGETS).evaluateAll((elements) =>
    elements
      .filter((element) => !element.closest('.ant-table-measure-row, .ant-table-measure-cell'))
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && Math.min(box.width, box.height) < 39.5;
      })
      .map((element) => `${element.getAttribute('aria-label') ?? element.textContent?.trim() ?? ''} (${element.className})`),
  );
}

describe.runIf(runnable)('the console on a phone', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let base = '';
  const phones = new Map<'zh-CN' | 'en-US', { context: BrowserContext; page: Page }>();

  beforeAll(async () => {
    session = await startConsole({ name: 'web-phone', demo: { customers: 60, eventsPerCustomer: 3, seed: 13 } });
    base = session.base;
    for (const lang of ['zh-CN', 'en-US'] as const) {
      const context = await session.browser.newContext({ viewport: PHONE, locale: lang, deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
      await context.addInitScript(`localStorage.setItem('tagbase.lang', '${lang}')`);
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      phones.set(lang, { context, page });
    }
  }, 120_000);

  afterAll(async () => {
    for (const { context } of phones.values()) await context.close();
    await stopConsole(session ?? {});
  });

  afterEach(async (context) => {
    for (const [lang, { page }] of phones) await screenshotFailure(page, `phone-${lang}`, context.task);
  });

  const phone = (lang: 'zh-CN' | 'en-US'): Page => {
    const found = phones.get(lang);
    if (!found) throw new Error(`no phone page in ${lang}`);
    return found.page;
  };
  const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');
  /** A saved segment's members as the server counts them. */
  const segmentCount = async (key: string): Promise<number> => {
    const response = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { ...DEMO, 'content-type': 'application/json' }, body: JSON.stringify({ expression: `segment(${JSON.stringify(key)})` }) });
    return ((await response.json()) as { count: number }).count;
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`keeps the customers pager of a hundred pages on one line, its next arrow beside the rest (${lang})`, async () => {
      const page = phone(lang);
      // As many customers as a real shop has: the server's total says 2,000 (100 pages of 20).
      await page.route('**/api/v1/segments/preview?*', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...((await response.json()) as object), total: 2000 } });
      });
      try {
        await page.goto(`${base}/customers`);
        const pager = page.locator('.ant-pagination');
        const total = pager.locator('.ant-pagination-total-text');
        await expect.poll(() => total.textContent()).toContain('2,000');
        const line = (await total.boundingBox()) ?? { y: 0, height: 0 };
        const next = pager.getByRole('button', { name: lang === 'zh-CN' ? '下一页' : 'Next page', exact: true });
        expect(((await next.boundingBox()) ?? { y: Infinity }).y).toBeLessThan(line.y + line.height);
        expect(await within(next, { x: 0, y: 0, ...PHONE })).toBe(true);
        // And it still pages.
        await next.click();
        await page.waitForURL((url) => url.searchParams.get('page') === '2');
      } finally {
        // A request the route is still answering (the next page's, say) is answered before the route
        // goes: taken away at once, the request would be handed on and the answer come to nothing.
        await page.unrouteAll({ behavior: 'wait' });
      }
    });

    it(`finds a customer, opens the portrait, its tag controls in reach, without the page scrolling sideways (${lang})`, async () => {
      const page = phone(lang);
      await page.goto(`${base}/customers`);
      // Each customer a card the screen's width (customers-phone.test.ts looks at them closely).
      const rows = page.getByTestId('customer-cards').locator('.tb-customer-card');
      await rows.first().waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      // Every button, field, option and box to tick is a finger's 40 px across, the menu's button too.
      expect(await smallTargets(page)).toEqual([]);
      expect(((await page.getByTestId('nav-open').boundingBox()) ?? { height: 0 }).height).toBeGreaterThanOrEqual(40);
      // Every card within the screen, a company's long name wrapping inside it.
      const cards = await rows.evaluateAll((elements, width) => elements.map((element) => element.getBoundingClientRect()).map((box) => box.x >= 0 && box.right <= width), PHONE.width);
      expect(cards.length).toBeGreaterThan(10);
      expect(cards.every(Boolean)).toBe(true);
      // The filter's first condition says what it takes in words that fit, not cut off mid-word.
      const placeholder = page.locator('.tb-condition-subject .ant-select-selection-placeholder').first();
      expect(await placeholder.textContent()).toBe(lang === 'zh-CN' ? '标签、字段、指标或人群' : 'Tag, field, metric…');
      expect(await placeholder.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
      // The search button is named in the language shown, not by its icon ("search").
      expect(await page.getByRole('button', { name: lang === 'zh-CN' ? '搜索' : 'Search', exact: true }).count()).toBe(1);
      // So are the pager's previous and next buttons, not by their icons ("left", "right").
      const pager = page.locator('.ant-pagination');
      expect(await pager.getByRole('button', { name: lang === 'zh-CN' ? '上一页' : 'Previous page', exact: true }).count()).toBe(1);
      expect(await pager.getByRole('button', { name: lang === 'zh-CN' ? '下一页' : 'Next page', exact: true }).count()).toBe(1);
      expect(await pager.getByRole('button', { name: /^(left|right)$/ }).count()).toBe(0);
      expect(await within(pager.locator('.ant-pagination-next'), { x: 0, y: 0, ...PHONE })).toBe(true);
      const first = (await rows.first().getAttribute('data-row-key')) ?? '';
      await page.getByTestId('customer-search').fill(first);
      await page.getByTestId('customer-search').press('Enter');
      await expect.poll(() => rows.count()).toBe(1);
      await rows.first().getByRole('link').first().click();
      await page.waitForURL(`${base}/customers/${first}`);
      await page.getByTestId('portrait-tags').waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      for (const control of ['add-tag-tag', 'add-tag-value', 'add-tag-submit']) expect(await within(page.getByTestId(control), { x: 0, y: 0, ...PHONE })).toBe(true);
      expect(await smallTargets(page)).toEqual([]);
    });

    it(`asks before a tap on a tag’s × removes it, the × big enough for a finger (${lang})`, async () => {
      const page = phone(lang);
      const tags = page.getByTestId('portrait-tags');
      // The demo gives 重点关怀 to some customers at random: this one starts without it, whichever it is.
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      const cleared = await fetch(`${base}/api/v1/customers/${encodeURIComponent(id)}/tags/vip_care`, { method: 'DELETE', headers: { 'x-tagbase-workspace': 'demo' } });
      expect(cleared.ok).toBe(true);
      await page.reload();
      await tags.waitFor();
      await pick(page, 'add-tag-tag', '重点关怀');
      await pick(page, 'add-tag-value', '是');
      await page.getByTestId('add-tag-submit').click();
      const chip = tags.locator('.ant-tag').filter({ hasText: '重点关怀: 是' });
      await chip.waitFor();
      // Who tagged it and when, with no hover to ask: a tap on the chip says.
      await chip.getByText('重点关怀: 是').tap();
      const details = page.locator('.ant-tooltip:visible');
      await expect.poll(() => details.textContent()).toContain(lang === 'zh-CN' ? '打标时间' : 'Tagged at');
      await page.getByTestId('portrait-tags').locator('.ant-descriptions').first().tap({ position: { x: 2, y: 2 } });
      await details.waitFor({ state: 'hidden' });
      const remove = tags.getByRole('button', { name: lang === 'zh-CN' ? '移除「重点关怀: 是」' : 'Remove “重点关怀: 是”' });
      const target = await remove.boundingBox();
      expect(Math.min(target?.width ?? 0, target?.height ?? 0)).toBeGreaterThanOrEqual(20);
      // A tap that missed its chip is undone by Cancel: the tag stays.
      await remove.tap();
      const question = page.locator('.ant-popconfirm:visible');
      await expect.poll(() => question.locator('.ant-popconfirm-title').textContent()).toBe(lang === 'zh-CN' ? '从该客户移除「重点关怀: 是」？' : 'Remove “重点关怀: 是” from this customer?');
      expect(await within(question, { x: 0, y: 0, ...PHONE })).toBe(true);
      // A tap while the question is still opening can be lost on a busy machine: tapped again until it closes.
      await expect
        .poll(async () => {
          if ((await question.count()) > 0) {
            await question.getByRole('button', { name: lang === 'zh-CN' ? /取\s*消/ : 'Cancel' }).click({ timeout: 5_000 }).catch(() => undefined);
            // Closing, it stops matching at once: waited for, so that the next try does not wait out its click on a question gone.
            await question.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
          }
          return question.count();
        })
        .toBe(0);
      expect(await chip.count()).toBe(1);
      await remove.tap();
      // 移除 too can be lost while the question is opening: clicked again until the removal is said.
      const removed = page.locator('.ant-message').getByText(lang === 'zh-CN' ? '已移除「重点关怀: 是」' : 'Removed “重点关怀: 是”');
      await expect
        .poll(async () => {
          const confirm = page.getByTestId('remove-tag-confirm');
          if ((await removed.count()) === 0 && (await confirm.isVisible())) await confirm.click({ timeout: 5_000 }).catch(() => undefined);
          return removed.count();
        })
        .toBeGreaterThan(0);
      await expect.poll(() => chip.count()).toBe(0);
    });

    it(`fits the care to-do list, every status in sight without scrolling: they wrap rather than run past the edge (${lang})`, async () => {
      const page = phone(lang);
      await page.goto(`${base}/care`);
      await page.getByTestId('care-status').waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      // The statuses are named as a group for a screen reader, in the language shown; each is a finger's 40 px high.
      await page.getByRole('radiogroup', { name: lang === 'zh-CN' ? '提醒状态' : 'Reminder status' }).waitFor();
      expect(await smallTargets(page)).toEqual([]);
      // No status is hidden past the screen's edge, where nothing would say it is there.
      const card = (await page.getByTestId('care-status').boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };
      for (const status of ['due', 'scheduled', 'done', 'dismissed', 'skipped']) expect(await within(page.getByTestId(`care-status-${status}`), { ...card, width: Math.min(card.width, PHONE.width - card.x) })).toBe(true);
      expect(await page.getByTestId('care-status').evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
      await page.getByTestId('care-status-skipped').click();
      await page.waitForURL((url) => url.searchParams.get('status') === 'skipped');
      expect(await within(page.getByTestId('care-status-skipped'), { x: 0, y: 0, ...PHONE })).toBe(true);
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    });

    it(`shows each saved segment as a card the screen's width: its name, expression and count, each beside its label, and every action in sight and named (${lang})`, async () => {
      const page = phone(lang);
      await page.goto(`${base}/segments`);
      const list = page.getByTestId('segment-list');
      const segments = (await (await fetch(`${base}/api/v1/segments`, { headers: DEMO })).json()) as { items: { key: string; name: string; expression: string }[] };
      await list.locator('.tb-segment-card').first().waitFor();
      // Cards, not a table wider than the phone scrolling sideways inside itself.
      expect(await list.locator('table').count()).toBe(0);
      expect(await list.locator('.tb-segment-card').count()).toBe(segments.items.length);
      expect(await fitsWidth(page)).toBe(true);
      const screen = { x: 0, y: 0, ...PHONE };
      const labels = lang === 'zh-CN' ? ['表达式', '人数', '更新时间', '近 30 天'] : ['Expression', 'Members', 'Updated', 'Last 30 days'];
      for (const segment of segments.items) {
        const card = page.getByTestId(`segment-card-${segment.key}`);
        const members = await segmentCount(segment.key);
        await expect.poll(() => card.getByTestId(`segment-count-${segment.key}`).textContent()).toBe(members.toLocaleString(lang));
        expect(await card.locator('dt').allTextContents()).toEqual(labels);
        const text = (await card.textContent()) ?? '';
        expect(text).toContain(segment.name);
        expect(text).toContain(segment.expression);
        expect(await within(card, screen)).toBe(true);
        // Each of the card's buttons on the screen, and named with the segment it acts on.
        for (const action of ['members', 'insight-open', 'export', 'snapshots', 'edit', 'delete'].map((name) => `segment-${name}-${segment.key}`).concat(`segment-export-${segment.key}-xlsx`)) {
          const button = card.getByTestId(action);
          expect(await within(button, screen), action).toBe(true);
          expect(await button.getAttribute('aria-label'), action).toContain(segment.name);
        }
      }
      expect(await seriousAxeViolations(page, 'segment-list')).toEqual([]);
    });

    it(`exports a segment from its card, and lists the export as a card: what it was, how many, when, by whom and in which format (${lang})`, async () => {
      const page = phone(lang);
      const segments = (await (await fetch(`${base}/api/v1/segments`, { headers: DEMO })).json()) as { items: { key: string; name: string }[] };
      const segment = segments.items[0];
      if (!segment) throw new Error('the demo has no saved segment');
      const members = await segmentCount(segment.key);
      const download = page.waitForEvent('download');
      await page.getByTestId(`segment-export-${segment.key}`).click();
      expect((await download).suggestedFilename()).toBe(`${segment.name}.csv`);
      const log = page.getByTestId('export-log');
      expect(await log.locator('table').count()).toBe(0);
      const newest = log.locator('.tb-export-card').first();
      await expect.poll(() => newest.textContent()).toContain(lang === 'zh-CN' ? `${segment.name}（${segment.key}）` : `${segment.name} (${segment.key})`);
      expect(await newest.locator('dt').allTextContents()).toEqual(lang === 'zh-CN' ? ['导出内容', '客户数', '时间', '操作人', '格式'] : ['What', 'Customers', 'Time', 'By', 'Format']);
      expect(await newest.locator('dd').nth(1).textContent()).toBe(members.toLocaleString(lang));
      expect(await newest.locator('dd').nth(4).textContent()).toBe('csv');
      // Finished, it says no status; one cut short says so beside its count, as the table does.
      expect(await newest.getByTestId('export-log-status').count()).toBe(0);
      await page.route('**/api/v1/exports?*', async (route) => {
        const response = await route.fetch();
        const body = (await response.json()) as { items: { status: string }[] };
        await route.fulfill({ response, json: { ...body, items: body.items.map((item, k) => (k === 0 ? { ...item, status: 'stopped' } : item)) } });
      });
      try {
        await page.getByRole('button', { name: lang === 'zh-CN' ? '刷新' : 'Reload' }).click();
        await expect.poll(() => newest.getByTestId('export-log-status').textContent()).toBe(lang === 'zh-CN' ? '已中止' : 'Stopped');
      } finally {
        await page.unroute('**/api/v1/exports?*');
      }
      expect(await fitsWidth(page)).toBe(true);
      expect(await within(newest, { x: 0, y: 0, ...PHONE })).toBe(true);
      expect(await seriousAxeViolations(page, 'export-log')).toEqual([]);
    });

    it(`fits the snapshots of a segment into the phone, its export button in reach (${lang})`, async () => {
      const page = phone(lang);
      await page.locator('[data-testid^="segment-snapshots-"]').first().click();
      const drawer = page.getByTestId('segment-snapshots');
      await page.getByTestId('segment-snapshot-take').click();
      const exportButton = drawer.locator('[data-testid^="segment-snapshot-export-"]').first();
      await exportButton.waitFor();
      // Nothing sticks out of the drawer: the columns scroll sideways inside the table instead.
      const body = drawer.locator('.ant-drawer-body');
      expect(await body.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
      const scroller = page.getByTestId('segment-snapshot-list').locator('.ant-table-content');
      await scroller.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
      await expect.poll(() => within(exportButton, { x: 0, y: 0, ...PHONE })).toBe(true);
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
    });

    it(`keeps a tag’s name beside its values and actions when the tag library scrolls sideways (${lang})`, async () => {
      const page = phone(lang);
      await page.goto(`${base}/tags`);
      const library = page.getByTestId('tag-library');
      const row = library.locator('tbody tr.ant-table-row').filter({ has: page.locator('[data-testid^="tag-edit-"]') }).first();
      await row.waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      // Each heading on one line, not "Custome / rs".
      const lines = await library.locator('thead th').evaluateAll((cells) =>
        cells.map((cell) => {
          const range = cell.ownerDocument.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top))).size;
        }),
      );
      expect(lines.every((count) => count <= 1)).toBe(true);
      const scroller = library.locator('.ant-table-content');
      expect(await scroller.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
      await scroller.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
      await expect.poll(() => scroller.evaluate((element) => element.scrollLeft)).toBeGreaterThan(100);
      const view = await scroller.boundingBox();
      if (!view) throw new Error('the tag library is not shown');
      await expect.poll(() => within(row.locator('[data-testid^="tag-edit-"]'), view)).toBe(true);
      // Which tag the pencil edits, on the same screen: the name stays at the left.
      expect(await within(row.locator('td').first(), view)).toBe(true);
      // A tag's description takes one line under its name, the rest on hover, rather than making its row tall.
      const descriptions = library.locator('[data-testid^="tag-description-"]');
      expect(await descriptions.count()).toBeGreaterThan(0);
      expect(Math.max(...(await descriptions.evaluateAll((found) => found.map((element) => element.getBoundingClientRect().height))))).toBeLessThan(24);
      // In the editor, the tag's description and each value's fit the screen's width.
      await row.locator('[data-testid^="tag-edit-"]').click();
      await page.getByTestId('tag-editor').waitFor();
      // Polled: the drawer slides in from the right.
      for (const field of ['tag-description', 'value-description-0']) await expect.poll(() => within(page.getByTestId(field), { x: 0, y: 0, ...PHONE })).toBe(true);
      await page.locator('.ant-drawer-content').filter({ has: page.getByTestId('tag-editor') }).locator('.ant-drawer-close').click();
      await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    });

    it(`shows a care reminder as a card with its customer and buttons in sight, no sideways scroll (${lang})`, async () => {
      const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
      // An order now starts the demo's after-sales plan: its first reminder is scheduled for later.
      const listed = (await (await fetch(`${base}/api/v1/customers?limit=1`, { headers })).json()) as { items: { id: string }[] };
      const order = { id: `phone-order-${lang}`, customer_id: listed.items[0]?.id, type: 'order_paid', occurred_at: new Date().toISOString(), properties: { order_id: `PHONE-${lang}`, amount: 99 } };
      expect((await fetch(`${base}/api/v1/events`, { method: 'POST', headers, body: JSON.stringify({ events: [order] }) })).status).toBe(200);
      expect((await fetch(`${base}/api/v1/care/run`, { method: 'POST', headers })).status).toBe(200);
      const page = phone(lang);
      await page.goto(`${base}/care?status=scheduled`);
      const card = page.getByTestId('care-reminders').locator('.tb-reminder-card').first();
      await card.waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      // Whom the button is for, in the same card, and the button on the screen.
      expect(await card.getByRole('link').count()).toBe(1);
      await expect.poll(() => within(card.locator('[data-testid^="care-dismiss-"]'), { x: 0, y: 0, ...PHONE })).toBe(true);
      expect(await within(card.getByRole('link'), { x: 0, y: 0, ...PHONE })).toBe(true);
      // On the customer's portrait the buttons come under the reminder, leaving its words the card's width.
      await page.goto(`${base}/customers/${encodeURIComponent(order.customer_id ?? '')}`);
      const reminder = page.getByTestId('portrait-care').locator('.ant-list-item').first();
      const title = await reminder.locator('.ant-list-item-meta-title').boundingBox();
      const dismiss = await reminder.locator('[data-testid^="care-dismiss-"]').boundingBox();
      if (!title || !dismiss) throw new Error('the portrait shows no reminder to dismiss');
      expect(dismiss.y).toBeGreaterThanOrEqual(title.y + title.height);
      // Under, at the left: not beside, at the right.
      expect(dismiss.x + dismiss.width / 2).toBeLessThan(title.x + title.width / 2);
    });
  }

  it('wraps a tag with a long name and value on the portrait, its × on the screen, rather than running past the card', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const value = '一个非常非常长的标签值名称，长到一行放不下';
    const made = await fetch(`${base}/api/v1/tags`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ key: 'long_chip', name: '很长的多选标签名称（用于看换行）', kind: 'manual', cardinality: 'multi', values: [{ key: 'long', name: value }] }),
    });
    expect(made.status).toBe(201);
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=1`, { headers })).json()) as { items: { id: string }[] };
    const id = listed.items[0]?.id ?? '';
    const tagged = await fetch(`${base}/api/v1/customers/${id}/tags`, { method: 'POST', headers, body: JSON.stringify({ tag: 'long_chip', value: 'long' }) });
    expect(tagged.status).toBe(200);
    const label = `很长的多选标签名称（用于看换行）: ${value}`;
    for (const lang of ['zh-CN', 'en-US'] as const) {
      const page = phone(lang);
      await page.goto(`${base}/customers/${id}`);
      const tags = page.getByTestId('portrait-tags');
      const chip = tags.locator('.ant-tag').filter({ hasText: value });
      await chip.waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      const card = await tags.boundingBox();
      if (!card) throw new Error('the portrait shows no tags');
      expect(await within(chip, card)).toBe(true);
      const remove = tags.getByRole('button', { name: lang === 'zh-CN' ? `移除「${label}」` : `Remove “${label}”` });
      expect(await within(remove, { x: 0, y: 0, ...PHONE })).toBe(true);
    }
  });

  it('explains a customer’s RFM level in the language shown, days and all', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const found = (await (await fetch(`${base}/api/v1/segments/preview?limit=1`, { method: 'POST', headers, body: JSON.stringify({ expression: 'rfm exists' }) })).json()) as { items: { id: string }[] };
    const id = found.items[0]?.id;
    if (!id) throw new Error('no demo customer holds an RFM level');
    for (const [lang, words] of [['zh-CN', /^R \d+ 天 [≤>] /], ['en-US', /^R \d+ days? [≤>] /]] as const) {
      const page = phone(lang);
      await page.goto(`${base}/customers/${id}`);
      const explanation = page.getByTestId('rfm-explanation').locator('.ant-alert-description');
      await explanation.waitFor();
      expect(await explanation.textContent()).toMatch(words);
    }
  });

  it('says a snapshot of one customer froze one member, not “1 members”', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=100`, { headers })).json()) as { items: { name: string | null }[] };
    const names = listed.items.map((customer) => customer.name).filter((name): name is string => name !== null);
    const unique = names.find((name) => names.indexOf(name) === names.lastIndexOf(name));
    if (!unique) throw new Error('every demo customer shares a name');
    const saved = await fetch(`${base}/api/v1/segments`, { method: 'POST', headers, body: JSON.stringify({ key: 'just_one', name: 'Just one', expression: `name = "${unique}"` }) });
    expect(saved.status).toBe(201);
    const page = phone('en-US');
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-snapshots-just_one').click();
    await page.getByTestId('segment-snapshot-take').click();
    await page.locator('.ant-message').getByText('Froze 1 member', { exact: true }).waitFor();
  });

  it('moves the focus on to Delete in the card now in its place when a segment is deleted from its card, and to the last card’s at the end', async () => {
    for (const [key, name] of [['pf_one', '焦点一'], ['pf_two', '焦点二'], ['pf_three', '焦点三']]) {
      const saved = await fetch(`${base}/api/v1/segments`, { method: 'POST', headers: { ...DEMO, 'content-type': 'application/json' }, body: JSON.stringify({ key, name, expression: 'rfm exists' }) });
      expect(saved.status).toBe(201);
    }
    const page = phone('zh-CN');
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-delete-pf_three').waitFor();
    const cardKeys = () => page.getByTestId('segment-list').locator('.tb-segment-card[data-row-key]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-row-key') ?? ''));
    /** Asks with the button of that test id from the keyboard, and answers yes with Enter. */
    const confirmFromKeyboard = async (testId: string) => {
      await page.getByTestId(testId).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate<boolean>("document.activeElement?.closest('.ant-popover') !== null && document.activeElement?.tagName === 'BUTTON'")).toBe(true);
      await page.keyboard.press('Enter');
    };
    let keys = await cardKeys();
    await confirmFromKeyboard('segment-delete-pf_one');
    await page.getByTestId('segment-delete-pf_one').waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`segment-delete-${keys[keys.indexOf('pf_one') + 1] ?? ''}`);
    keys = await cardKeys();
    const last = keys.at(-1) ?? '';
    await confirmFromKeyboard(`segment-delete-${last}`);
    await page.getByTestId(`segment-delete-${last}`).waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`segment-delete-${keys.at(-2) ?? ''}`);
  });

  it('says that an old link’s customer was merged into another, or erased on request, rather than showing another id or “no such customer”', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=60`, { headers })).json()) as { items: { id: string }[] };
    const [survivor, merged, erased] = listed.items.slice(-3).map((customer) => customer.id);
    if (!survivor || !merged || !erased) throw new Error('the demo has fewer than three customers');
    expect((await fetch(`${base}/api/v1/customers/${survivor}/merge`, { method: 'POST', headers, body: JSON.stringify({ from: merged }) })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/customers/${erased}`, { method: 'DELETE', headers })).status).toBe(200);
    for (const lang of ['zh-CN', 'en-US'] as const) {
      const page = phone(lang);
      await page.goto(`${base}/customers/${merged}`);
      await expect
        .poll(() => page.getByTestId('portrait-merged').textContent())
        .toBe(lang === 'zh-CN' ? `客户「${merged}」已合并到「${survivor}」：下面是合并后的客户画像。` : `Customer “${merged}” was merged into “${survivor}”: this is the portrait of the merged customer.`);
      await page.goto(`${base}/customers/${erased}`);
      const notice = page.getByTestId('portrait-erased');
      await expect.poll(() => notice.locator('.ant-alert-message').textContent()).toBe(lang === 'zh-CN' ? '该客户的个人信息已应要求删除' : 'This customer’s personal data was erased on request');
      expect(await notice.locator('.ant-alert-description').textContent()).toContain(lang === 'zh-CN' ? `客户「${erased}」已于 ` : `Customer “${erased}” was erased for good on `);
      // A customer that never was is still just not found.
      await page.goto(`${base}/customers/NEVER-WAS`);
      await expect.poll(() => page.locator('.ant-alert-message').first().textContent()).toBe(lang === 'zh-CN' ? '找不到该客户' : 'No such customer');
      expect(await page.getByTestId('portrait-merged').count()).toBe(0);
      // And leads back to the list.
      await page.getByRole('link', { name: lang === 'zh-CN' ? '返回客户列表' : 'Back to customers' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/customers');
    }
  });

  it('removes a tag from the keyboard: its × is a stop of the tab order, Enter asks, Esc keeps the tag and gives the × the focus back', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const listed = (await (await fetch(`${base}/api/v1/customers?limit=2`, { headers })).json()) as { items: { id: string }[] };
    const id = listed.items[1]?.id ?? '';
    expect((await fetch(`${base}/api/v1/customers/${id}/tags`, { method: 'POST', headers, body: JSON.stringify({ tag: 'vip_care', value: 'yes' }) })).status).toBe(200);
    const page = phone('en-US');
    await page.goto(`${base}/customers/${id}`);
    const tags = page.getByTestId('portrait-tags');
    // Each field says what it is to a screen reader, not only by a placeholder that goes once something is picked.
    await tags.getByRole('combobox', { name: 'Add a tag' }).waitFor();
    const remove = tags.getByRole('button', { name: 'Remove “重点关怀: 是”' });
    expect(await remove.getAttribute('tabindex')).toBe('0');
    await remove.focus();
    await page.keyboard.press('Enter');
    const question = page.locator('.ant-popconfirm:visible');
    await question.waitFor();
    await expect.poll(() => focusedControl(page)).toBe('remove-tag-confirm');
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'hidden' });
    await expect.poll(() => focusedControl(page)).toBe('Remove “重点关怀: 是”');
    // Asked again (Space, as for any button), the question takes the focus again, and Enter answers it.
    await page.keyboard.press(' ');
    await expect.poll(() => focusedControl(page)).toBe('remove-tag-confirm');
    await page.keyboard.press('Enter');
    await page.locator('.ant-message').getByText('Removed “重点关怀: 是”').waitFor();
    // The message comes with the server's answer; the chip goes once the portrait is read again.
    await expect.poll(() => remove.count()).toBe(0);
  });

  it('gives the focus back to the button that opened the bulk tagging dialog when Esc closes it', async () => {
    const page = phone('zh-CN');
    await page.goto(`${base}/customers`);
    const rows = page.getByTestId('customer-cards').locator('.tb-customer-card');
    await rows.first().locator('input[type=checkbox]').check();
    await page.getByTestId('bulk-tag-button').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.ant-modal:visible');
    await dialog.waitFor();
    expect(await dialog.getByRole('combobox', { name: '标签', exact: true }).count()).toBe(1);
    expect(await dialog.getByRole('combobox', { name: '标签值' }).count()).toBe(1);
    // Its × speaks the console's language too.
    expect(await dialog.getByRole('button', { name: '关闭', exact: true }).count()).toBe(1);
    await dialogFocused(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => focusedControl(page)).toBe('bulk-tag-button');
  });

  it('names the fields of the condition builder, the segment builder and a model’s parameters in words', async () => {
    const page = phone('zh-CN');
    await page.goto(`${base}/segments`);
    await page.getByRole('combobox', { name: '标签、字段、指标或人群' }).first().waitFor();
    expect(await page.getByRole('textbox', { name: '名称', exact: true }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: '标识', exact: true }).count()).toBe(1);
    // Add condition from the keyboard leads into the new condition; removing one leads back to Add condition.
    await page.getByTestId('segment-expression-add').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedControl(page)).toBe('标签、字段、指标或人群');
    await page.getByTestId('segment-expression-condition-1-remove').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedControl(page)).toBe('segment-expression-add');
    await page.goto(`${base}/models?model=rfm`);
    await page.getByRole('spinbutton', { name: '统计窗口（天） window_days' }).waitFor();
    // Each model in the list says whether it is on, not only by the colour of its dot.
    expect(await page.getByRole('button', { name: 'RFM等级 · 已启用' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'VIP · 未启用' }).count()).toBe(1);
  });

  it('names the workspace at once when a window narrows to the phone layout and widens back', async () => {
    const context = await (session as ConsoleSession).browser.newContext({ viewport: PHONE, locale: 'zh-CN', reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/`);
      const switchers = page.getByTestId('workspace-switcher');
      await expect.poll(() => switchers.first().textContent()).toMatch(/\(demo\)$/);
      // Every text the switcher shows from here on: the layout mounts a new one each time.
      await page.evaluate(`(() => {
        const seen = [];
        window.switcherTexts = seen;
        new MutationObserver(() => {
          for (const element of document.querySelectorAll('[data-testid="workspace-switcher"] .ant-select-selection-item')) seen.push(element.textContent ?? '');
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('nav-menu').waitFor();
      await page.setViewportSize(PHONE);
      await page.getByTestId('nav-open').waitFor();
      await expect.poll(() => switchers.first().textContent()).toMatch(/\(demo\)$/);
      const texts = await page.evaluate<string[]>('window.switcherTexts');
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.filter((text) => !text.endsWith('(demo)'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('wraps the segment builder’s expression between words, not inside a name', async () => {
    const page = phone('zh-CN');
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-expression-mode-text').click();
    await page.getByTestId('segment-expression').fill('spend_365d >= 1000 and orders_365d >= 3 and days_since_last_order <= 30 and avg_order_value >= 100');
    await page.getByTestId('segment-expression-mode-builder').click();
    const shown = page.getByTestId('segment-expression-text');
    await expect.poll(() => shown.textContent()).toContain('days_since_last_order');
    // Each name's letters share one line box: a name split over two lines has two.
    const split = await shown.evaluate((element) => {
      const lines = new Set<number>();
      const broken: string[] = [];
      // Every text node under it (4: text nodes alone), the code chip's included.
      const walker = element.ownerDocument.createTreeWalker(element, 4);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        for (const match of (node.textContent ?? '').matchAll(/[a-z_0-9]+/g)) {
          const range = element.ownerDocument.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          for (const top of tops) lines.add(top);
          if (tops.size > 1) broken.push(match[0]);
        }
      }
      return { broken, lines: lines.size };
    });
    expect(split.lines).toBeGreaterThan(1);
    expect(split.broken).toEqual([]);
  });

  it('answers a care plan’s Delete from the keyboard: the question takes the focus, Esc keeps the plan and gives the button the focus back', async () => {
    const page = phone('zh-CN');
    await page.goto(`${base}/care`);
    await page.getByTestId('care-tab-plans').click();
    const remove = page.getByTestId('care-plan-delete-birthday_greeting');
    await remove.focus();
    await page.keyboard.press('Enter');
    const question = page.locator('.ant-popconfirm:visible');
    await question.waitFor();
    expect(await within(question, { x: 0, y: 0, ...PHONE })).toBe(true);
    await expect.poll(() => focusedControl(page)).toBe('care-plan-delete-ok');
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'hidden' });
    await expect.poll(() => focusedControl(page)).toBe('care-plan-delete-birthday_greeting');
    // Each field of a new plan is named by its label, the event type's and the time property's too.
    await page.getByTestId('care-plan-create').click();
    const editor = page.getByTestId('care-plan-editor');
    await editor.getByRole('combobox', { name: '行为类型' }).waitFor();
    expect(await editor.getByRole('combobox', { name: '计时属性' }).count()).toBe(1);
    await editor.getByRole('button', { name: /取\s*消/ }).click();
    await editor.waitFor({ state: 'hidden' });
    await expect.poll(() => focusedControl(page)).toBe('care-plan-create');
    // A template's Install says which template it installs.
    await page.goto(`${base}/tags`);
    await page.getByRole('button', { name: '安装模板「餐饮」' }).waitFor();
  });

  it('reads a button of two Chinese characters as written, without a space between them', async () => {
    const page = phone('zh-CN');
    await page.goto(`${base}/segments`);
    const snapshots = page.locator('[data-testid^="segment-snapshots-"]').first();
    await snapshots.waitFor();
    // antd would show 快照 as "快 照".
    expect(await snapshots.textContent()).toBe('快照');
  });

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`shows a customer's model tags under their own heading, not among the ungrouped tags (${lang})`, async () => {
      const page = phone(lang);
      // A customer with an RFM level, a lifecycle stage and personas: tags of models, in no tag group.
      const response = await fetch(`${base}/api/v1/segments/preview?sort=-spend_365d&limit=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' },
        body: JSON.stringify({ expression: 'rfm exists' }),
      });
      const id = ((await response.json()) as { items: { id: string }[] }).items[0]?.id;
      if (!id) throw new Error('the demo store has no customer with an RFM level');
      const portrait = (await (await fetch(`${base}/api/v1/customers/${encodeURIComponent(id)}`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { tags: { kind: string; label: string }[] };
      // In English a model's tag reads in the catalog's English words, as everywhere in the console.
      const models = ((await (await fetch(`${base}/api/v1/models`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { items: CatalogModel[] }).items;
      const modelLabels = portrait.tags.filter((tag) => tag.kind === 'model').map((tag) => modelLabel(tag.label, models, lang, tag.kind));
      expect(modelLabels.length).toBeGreaterThan(0);
      await page.goto(`${base}/customers/${encodeURIComponent(id)}`);
      const items = page.getByTestId('portrait-tags').locator('.ant-descriptions-item');
      const under = (heading: string) => items.filter({ has: page.locator('.ant-descriptions-item-label', { hasText: new RegExp(`^${heading}$`) }) });
      const modelItems = under(lang === 'zh-CN' ? '模型标签' : 'Model tags');
      await modelItems.waitFor();
      const shown = await modelItems.locator('.ant-tag').allTextContents();
      for (const label of modelLabels) expect(shown).toContain(label);
      expect(await under(lang === 'zh-CN' ? '未分组' : 'Ungrouped').locator('.ant-tag').filter({ hasText: modelLabels[0] ?? '' }).count()).toBe(0);
    });

    it(`wraps the period buttons of tag transitions and the import kinds cleanly, each button whole (${lang})`, async () => {
      const page = phone(lang);
      for (const [path, group] of [
        ['/transitions', 'transitions-preset'],
        ['/imports', 'import-kind'],
      ] as const) {
        await page.goto(`${base}${path}`);
        const buttons = page.getByTestId(group).locator('.ant-radio-button-wrapper');
        await buttons.first().waitFor();
        expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
        for (const button of await buttons.all()) {
          expect(await within(button, { x: 0, y: 0, ...PHONE })).toBe(true);
          // Each with its four edges and rounded corners, whichever line it lands on: none begins a line without its left edge.
          const edge = await button.evaluate((element) => {
            const style = element.ownerDocument.defaultView?.getComputedStyle(element);
            return { left: style?.borderLeftWidth ?? '', right: style?.borderRightWidth ?? '', topLeft: style?.borderTopLeftRadius ?? '', bottomRight: style?.borderBottomRightRadius ?? '' };
          });
          expect(edge.left, `${group}: ${await button.textContent()}`).toBe(edge.right);
          expect(parseFloat(edge.left)).toBeGreaterThan(0);
          expect(parseFloat(edge.topLeft)).toBeGreaterThan(0);
          expect(parseFloat(edge.bottomRight)).toBeGreaterThan(0);
        }
      }
    });

    it(`asks for a tap to choose the file to import, with nothing to drop on a phone (${lang})`, async () => {
      const page = phone(lang);
      await page.goto(`${base}/imports`);
      await page.locator('.ant-upload-text').waitFor();
      const text = await page.locator('.ant-upload-text').textContent();
      expect(text).toMatch(lang === 'zh-CN' ? /^点击选择文件/ : /^Tap to choose a file/);
      expect(text).not.toMatch(lang === 'zh-CN' ? /拖入/ : /drop/i);
      // With a mouse, a file can still be dropped there, and it says so.
      if (lang === 'zh-CN' && session) {
        await session.page.goto(`${base}/imports`);
        await expect.poll(() => session?.page.locator('.ant-upload-text').textContent()).toMatch(/^点击或拖入/);
      }
    });

    it(`says on a new workspace's overview where its customers come from across the screen's width, the way to import them a finger's size (${lang})`, async () => {
      const page = phone(lang);
      const key = `empty-${lang.toLowerCase()}`;
      expect((await fetch(`${base}/api/v1/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, name: '新店' }) })).status).toBe(201);
      await page.goto(base);
      // Once the console has settled on a workspace, which it remembers then, over what is set here.
      await page.getByTestId('customer-count').waitFor({ state: 'attached' });
      await page.evaluate(`localStorage.setItem('tagbase.workspace', '${key}')`);
      try {
        await page.reload();
        const notice = page.getByTestId('overview-no-customers');
        await notice.getByTestId('demo-open').waitFor();
        // The explanation has the notice's width, not a column beside the buttons a word wide.
        const [text, box] = await Promise.all([notice.locator('.ant-alert-description').boundingBox(), notice.boundingBox()]);
        expect(text?.width ?? 0).toBeGreaterThan((box?.width ?? 0) * 0.7);
        expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
        for (const control of [notice.getByTestId('overview-import'), notice.getByTestId('demo-open')]) {
          expect(((await control.boundingBox()) ?? { height: 0 }).height).toBeGreaterThanOrEqual(40);
          expect(await within(control, { x: 0, y: 0, ...PHONE })).toBe(true);
        }
      } finally {
        await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo')`);
      }
    });

    it(`shows a customer's long name whole atop the portrait, the id beside it (${lang})`, async () => {
      const page = phone(lang);
      const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
      const name = '广州启航健康管理有限公司华南大区第三分公司客户服务中心';
      const id = `LONG-${lang}`;
      expect((await fetch(`${base}/api/v1/customers`, { method: 'POST', headers, body: JSON.stringify({ customers: [{ id, name, type: 'company' }] }) })).status).toBe(200);
      await page.goto(`${base}/customers/${id}`);
      const title = page.getByTestId('portrait-fields').locator('.ant-card-head-title');
      await expect.poll(() => title.textContent()).toBe(`${name} · ${id}`);
      // Nothing of it is cut off: neither the name nor the id after it.
      expect(await title.evaluate((element) => [...element.querySelectorAll('*'), element].every((each) => each.scrollWidth <= each.clientWidth + 1))).toBe(true);
      expect(await within(title, { x: 0, y: 0, ...PHONE })).toBe(true);
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    });
  }

  // Last: the first token closes the API to everyone without one, which the tests above call.
  it('puts the cursor in a new token’s name, makes it on Enter, and gives the focus back to Create token once it is copied', async () => {
    const page = phone('en-US');
    await page.goto(`${base}/tokens`);
    await page.getByTestId('token-create').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedControl(page)).toBe('token-name');
    await page.keyboard.type('shop-floor');
    await page.keyboard.press('Enter');
    const shown = page.getByTestId('token-created');
    await shown.waitFor();
    expect(await within(page.locator('.ant-modal:visible'), { x: 0, y: 0, ...PHONE })).toBe(true);
    await page.getByTestId('token-created-close').click();
    await shown.waitFor({ state: 'hidden' });
    await expect.poll(() => focusedControl(page)).toBe('token-create');
  });
});
