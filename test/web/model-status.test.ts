// Whether a model is enabled, as the Models page says it beside its name and in the list: in English
// "enabled" or "not enabled", as the Chinese 已启用 and 未启用 and the overview's "RFM is not
// enabled", rather than "enabled" against "off".
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a model’s status');

describe.runIf(runnable)('a model’s status', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-model-status', demo: { customers: 20, eventsPerCustomer: 1, seed: 3 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'model-status', context.task));

  for (const [lang, enabled, off] of [['zh-CN', '已启用', '未启用'], ['en-US', 'enabled', 'not enabled']] as const) {
    it(`says a model is enabled or not (${lang})`, async () => {
      await page.goto(base);
      await page.evaluate(`localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', '${lang}')`);
      // The demo enables RFM, not the model of interests.
      await page.goto(`${base}/models?model=rfm`);
      const title = page.locator('.ant-card-head-title .ant-tag');
      await expect.poll(() => title.textContent()).toBe(enabled);
      await page.goto(`${base}/models?model=interests`);
      await expect.poll(() => title.textContent()).toBe(off);
      expect(await page.locator(`[aria-label$=" · ${off}"]`).count()).toBeGreaterThan(0);
    });
  }
});
