// RFM when its last computation found no customer with a paid order in the window: the Models page
// says so, with the thresholds kept from before if there are any, rather than thresholds of 0.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('RFM with no buyers in its window');

interface Model {
  key: string;
  thresholds: Record<string, unknown> | null;
  no_buyers_at: string | null;
}

describe.runIf(runnable)('RFM with no buyers in its window', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-model-no-buyers', demo: { customers: 20, eventsPerCustomer: 3, seed: 5 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'model-no-buyers', context.task));

  /** The models as the server lists them, RFM's last computation having found no buyers (and, unless `kept`, no thresholds). */
  const withoutBuyers = async (kept: boolean) => {
    await page.unroute(/\/api\/v1\/models$/);
    await page.route(/\/api\/v1\/models$/, async (route) => {
      const answer = await route.fetch();
      const body = (await answer.json()) as { items: Model[] };
      const items = body.items.map((model) => (model.key === 'rfm' ? { ...model, thresholds: kept ? model.thresholds : null, no_buyers_at: '2026-06-15T02:00:00.000Z' } : model));
      await route.fulfill({ response: answer, json: { items } });
    });
  };

  it('says there were no buyers in the window, and shows no thresholds, before there are any', async () => {
    await withoutBuyers(false);
    await page.goto(`${base}/models?model=rfm`);
    const notice = page.getByTestId('model-detail-rfm').getByTestId('model-no-buyers');
    await expect.poll(() => notice.textContent()).toMatch(/计算阈值时，近 365 天的窗口内没有客户有支付订单，所以暂无阈值，所有客户都没有等级/);
    expect(await page.getByTestId('model-thresholds').count()).toBe(0);
  });

  it('says the thresholds computed before are kept, and shows them', async () => {
    await withoutBuyers(true);
    await page.goto(`${base}/models?model=rfm`);
    const notice = page.getByTestId('model-detail-rfm').getByTestId('model-no-buyers');
    await expect.poll(() => notice.textContent()).toMatch(/近 365 天的窗口内没有客户有支付订单；下面沿用之前计算的阈值/);
    await page.getByTestId('model-thresholds').waitFor();
  });

  it('says nothing of the kind when the last computation had buyers', async () => {
    await page.unroute(/\/api\/v1\/models$/);
    await page.goto(`${base}/models?model=rfm`);
    await page.getByTestId('model-thresholds').waitFor();
    expect(await page.getByTestId('model-no-buyers').count()).toBe(0);
  });
});
