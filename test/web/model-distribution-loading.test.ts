// A model's customers per value on the Models page while the server is still reading them: the
// page says it is loading, rather than showing the heading over nothing, which reads as a model
// whose counts are missing.
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a model’s distribution while it loads');

describe.runIf(runnable)('a model’s distribution while it loads', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-model-distribution', demo: { customers: 40, eventsPerCustomer: 3, seed: 7 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'model-distribution-loading', context.task));

  it('shows a spinner under the heading until the counts come, then the counts', async () => {
    // The lifecycle tag's counts held back until the page has been looked at.
    const held: Route[] = [];
    await page.route('**/api/v1/tags/lifecycle', (route) => {
      held.push(route);
    });
    await page.goto(`${base}/models?model=lifecycle`);
    await page.getByTestId('model-detail-lifecycle').waitFor();
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await page.getByTestId('model-distribution-loading').locator('.ant-spin').waitFor();
    expect(await page.getByTestId('model-distribution').count()).toBe(0);
    for (const route of held) await route.continue();
    await page.unroute('**/api/v1/tags/lifecycle');
    await page.getByTestId('model-distribution').waitFor();
    expect(await page.getByTestId('model-distribution-loading').count()).toBe(0);
    expect(Number(await page.getByTestId('model-distribution').getAttribute('data-total'))).toBeGreaterThan(0);
  });
});
