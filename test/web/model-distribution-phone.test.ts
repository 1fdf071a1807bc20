// A model's customers per value on a phone: the value axis's numbers stand apart, in short numbers
// as the overview's RFM chart writes them, rather than running into each other (500 1,000 1,500 …).
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, PHONE, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a model’s chart on a phone');

describe.runIf(runnable)('a model’s chart on a phone', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-model-distribution-phone', demo: { customers: 20, eventsPerCustomer: 2, seed: 3 } });
    ({ page, base } = session);
    await page.setViewportSize(PHONE);
    // A shop of some thousands of customers a level, as the demo's full size has.
    await page.route('**/api/v1/tags/*', async (route) => {
      const response = await route.fetch();
      const tag = (await response.json()) as { values?: { customers: number }[] };
      await route.fulfill({ response, json: { ...tag, values: tag.values?.map((value) => ({ ...value, customers: value.customers * 1000 })) } });
    });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'model-distribution-phone', context.task));

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`keeps the value axis’s numbers apart (${lang})`, async () => {
      await page.goto(base);
      await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
      await page.goto(`${base}/models?model=rfm`);
      const chart = page.getByTestId('model-distribution');
      await chart.locator('svg text').first().waitFor();
      const axis = await chart.locator('svg').evaluate((svg) => {
        const texts = [...svg.querySelectorAll('text')].map((text) => ({ text: text.textContent ?? '', rect: text.getBoundingClientRect() }));
        // The axis's numbers are the lowest row of the chart; the bars' counts stand beside the bars above it.
        const bottom = Math.max(...texts.map((text) => text.rect.top));
        const row = texts.filter((text) => Math.abs(text.rect.top - bottom) < 2 && text.rect.width > 0).sort((a, b) => a.rect.left - b.rect.left);
        return { labels: row.map((text) => text.text), overlapping: row.some((text, i) => i > 0 && (row[i - 1]?.rect.right ?? 0) + 2 > text.rect.left) };
      });
      expect(axis.labels.length).toBeGreaterThanOrEqual(2);
      expect(axis.overlapping).toBe(false);
    });
  }
});
