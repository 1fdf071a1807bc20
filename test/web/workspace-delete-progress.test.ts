// A workspace's deletion under way, as the dialog that started it shows it: its rows deleted of
// the whole, with their digits grouped as the console's language groups them, not the browser's.
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('a workspace’s deletion progress');

describe.runIf(runnable)('a workspace’s deletion progress', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-workspace-delete-progress', demo: { customers: 20, eventsPerCustomer: 2, seed: 3 } });
    // A browser set to German, which groups digits with a point (12.345): the console speaks Chinese all the same.
    page = await session.browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'de-DE', reducedMotion: 'reduce' });
    page.setDefaultTimeout(30_000);
    base = session.base;
  }, 120_000);

  afterAll(async () => {
    await page.close();
    await stopConsole(session ?? {});
  });

  afterEach((context) => screenshotFailure(page, 'workspace-delete-progress', context.task));

  it('groups the rows deleted and the rows in all as the console’s language does, whatever the browser’s', async () => {
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId('workspace-edit').click();
    await page.getByTestId('workspace-delete-zone').waitFor();
    // The deletion is held, and the list of workspaces says it is that far, so nothing is deleted.
    const held: Route[] = [];
    await page.route('**/api/v1/workspaces/demo?*', (route) => {
      if (route.request().method() !== 'DELETE') return route.fallback();
      held.push(route);
      return undefined;
    });
    await page.route('**/api/v1/workspaces', async (route) => {
      const answer = await route.fetch();
      const listed = (await answer.json()) as { items: { key: string; deleting?: unknown }[] };
      for (const item of listed.items) if (item.key === 'demo') item.deleting = { deleted_rows: 12345, total_rows: 1234567 };
      await route.fulfill({ response: answer, json: listed });
    });
    try {
      await page.getByTestId('workspace-delete-key').fill('demo');
      await page.getByTestId('workspace-delete').click();
      await expect.poll(() => held.length).toBe(1);
      const progress = page.getByTestId('workspace-delete-progress');
      await progress.waitFor();
      const text = (await progress.textContent()) ?? '';
      expect(text).toContain('12,345');
      expect(text).toContain('1,234,567');
      expect(text).not.toContain('12.345');
    } finally {
      for (const route of held) await route.abort();
      await page.unroute('**/api/v1/workspaces/demo?*');
      await page.unroute('**/api/v1/workspaces');
    }
  });
});
