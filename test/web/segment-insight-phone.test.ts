// A segment's insight on a phone (390 × 844), in a real browser: each key metric a block the drawer's
// width, its name on one line and the segment's figures, everyone's and the difference beside their
// labels, where a table of six columns squeezed the metric's name to a character a line and left
// everyone's median and the difference past the screen's edge; each tag value's name whole on a line
// above its bars, where it was cut to its first word; the wide screen keeps the table.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, consoleRunnable, phonePage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable("a segment's insight on a phone");

/** The elements inside the element of `testId` that scroll sideways (wider inside than they show, and scrollable). */
function sidewaysScrollers(page: Page, testId: string): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="${testId}"], [data-testid="${testId}"] *')]
    .filter((element) => element.scrollWidth > element.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(element).overflowX))
    .map((element) => element.getAttribute('data-testid') ?? element.className ?? element.tagName)`);
}

describe.runIf(runnable)("a segment's insight on a phone", { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let context: BrowserContext | undefined;
  let phone: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-segment-insight-phone', demo: { customers: 60, eventsPerCustomer: 3, seed: 11 } });
    base = session.base;
    ({ context, phone } = await phonePage(session.browser));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stopConsole(session ?? {});
  });

  afterEach(async (test) => {
    await screenshotFailure(phone, 'segment-insight-phone', test.task);
  });

  const open = async (page: Page, lang: 'zh-CN' | 'en-US') => {
    await page.goto(`${base}/segments`);
    await page.evaluate(`localStorage.setItem('tagbase.lang', '${lang}'); localStorage.setItem('tagbase.workspace', 'demo')`);
    await page.reload();
    await page.getByTestId('segment-insight-open-active_buyers').click();
    await page.getByTestId('segment-insight-difference-spend_365d').waitFor();
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`shows each key metric within the screen, nothing scrolling sideways (${lang})`, async () => {
      await open(phone, lang);
      const metrics = phone.getByTestId('segment-insight-metrics');
      expect(await metrics.locator('table').count()).toBe(0);
      expect(await sidewaysScrollers(phone, 'segment-insight')).toEqual([]);
      const card = phone.getByTestId('segment-insight-metric-card-spend_365d');
      // The metric's name on one line, as the reader's language names it.
      const title = card.getByTestId('segment-insight-metric-name-spend_365d');
      expect(await title.textContent()).toBe(lang === 'zh-CN' ? '近365天消费额' : 'Spend, last 365 days, net of refunds');
      const titleBox = await title.boundingBox();
      expect(titleBox !== null && titleBox.height < 30).toBe(true);
      // Every figure beside its label, the difference and everyone's median among them, in sight.
      const text = (await card.textContent()) ?? '';
      for (const label of lang === 'zh-CN' ? ['本人群人均', '本人群中位数', '全体客户人均', '全体客户中位数', '差异'] : ['Segment (mean)', 'Segment (median)', 'Everyone (mean)', 'Everyone (median)', 'Difference']) expect(text).toContain(label);
      for (const testId of ['segment-insight-metric-spend_365d', 'segment-insight-median-spend_365d', 'segment-insight-everyone-median-spend_365d', 'segment-insight-difference-spend_365d']) {
        const box = await phone.getByTestId(testId).boundingBox();
        expect(box !== null && box.x >= 0 && box.x + box.width <= PHONE.width, testId).toBe(true);
      }
      expect(await phone.getByTestId('segment-insight-difference-spend_365d').textContent()).toMatch(/^[+-]\d+%$|^0%$|^—$/);
    });
  }

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`writes each tag value's name whole beside its bars, none cut short (${lang})`, async () => {
      await open(phone, lang);
      const rows = phone.getByTestId('segment-insight-tag-rfm').locator('[data-testid^="segment-insight-value-rfm-"][data-over]');
      await rows.first().waitFor();
      // The eight values of RFM differ only past their first word (General …, Important …): each name
      // as a whole, within the screen, on a line of its own above its bars.
      const names = await rows.evaluateAll((each) =>
        each.map((row) => {
          const name = row.firstElementChild;
          const box = name?.getBoundingClientRect();
          return { text: name?.textContent ?? '', cut: name === null || name === undefined || name.scrollWidth > name.clientWidth, right: box?.right ?? Infinity };
        }),
      );
      expect(names.length).toBe(8);
      expect(names.filter((name) => name.cut || name.right > PHONE.width)).toEqual([]);
      expect(names.map((name) => name.text)).toContain(lang === 'zh-CN' ? '重要价值客户' : 'Important value');
    });
  }

  it('keeps the table on a wide screen', async () => {
    const desktop = session?.page;
    if (!desktop) throw new Error('no desktop page');
    await open(desktop, 'zh-CN');
    expect(await desktop.getByTestId('segment-insight-metrics').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    expect(await desktop.locator('[data-testid^="segment-insight-metric-card-"]').count()).toBe(0);
  });
});
