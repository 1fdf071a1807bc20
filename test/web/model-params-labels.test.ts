// A model's parameters, each named in words and by its key (忠诚客户订单数 loyal_orders): a long name
// wraps onto a second line beside its field rather than being cut off (“Champion from (orders) champion_”),
// its words on one line and its key on the next rather than a word broken (冠军客户订单 / 数 champion_orders).
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a model’s parameter names');

describe.runIf(runnable)('a model’s parameter names', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-model-params-labels', demo: { customers: 20, eventsPerCustomer: 1, seed: 3 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'model-params-labels', context.task));

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`shows every parameter’s name whole on a desktop (${lang})`, async () => {
      await page.goto(base);
      await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
      // The personas have the most parameters, and the longest names.
      await page.goto(`${base}/models?model=personas`);
      const form = page.getByTestId('model-params');
      await form.locator('[data-testid=param-trend_days]').waitFor();
      const cut = await form.evaluate((element) =>
        [...element.querySelectorAll('.ant-form-item-label > label')].filter((label) => label.scrollWidth > label.clientWidth + 1 || label.getBoundingClientRect().right > (label.parentElement?.getBoundingClientRect().right ?? 0) + 1).map((label) => label.textContent),
      );
      expect(cut).toEqual([]);
      // A name that wraps breaks between its words and its key, not within a word (冠军客户订单 / 数 champion_orders).
      const broken = await page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid=model-params] .ant-form-item-label > label')].filter((label) => {
        // The name's words: the label's first text.
        const words = document.createTreeWalker(label, NodeFilter.SHOW_TEXT).nextNode();
        if (!words) return true;
        const range = document.createRange();
        range.selectNodeContents(words);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
      }).map((label) => label.textContent)`);
      expect(broken).toEqual([]);
    });
  }
});
