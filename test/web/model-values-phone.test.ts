// The values a model would set, read on a phone before enabling it: the conditions get the room
// the names do not need, rather than a word a line beside a name column kept desktop-wide.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a model’s values on a phone');

describe.runIf(runnable)('a model’s values on a phone', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-model-values-phone', demo: { customers: 20, eventsPerCustomer: 2, seed: 3 } });
    ({ page, base } = session);
    await page.setViewportSize({ width: 390, height: 844 });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'model-values-phone', context.task));

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`gives the conditions of the model of interests the width (${lang})`, async () => {
      await page.goto(base);
      await page.evaluate(`localStorage.setItem('tagbase.lang', '${lang}')`);
      await page.goto(`${base}/models?model=interests`);
      const table = page.getByTestId('model-values');
      const row = table.locator('tbody tr.ant-table-row').first();
      await row.waitFor();
      const [name, condition] = await row.locator('td').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect()));
      if (!name || !condition) throw new Error('a value and its condition');
      expect(condition.width).toBeGreaterThan(name.width);
      // "服装 long views >= 1 or 服装 views >= 3" on two or three lines, not eight.
      expect(condition.height).toBeLessThan(100);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    });
  }
});
