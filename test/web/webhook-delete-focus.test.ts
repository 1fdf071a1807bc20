// Deleting webhooks by keyboard: the focus goes on to 删除 of the webhook now in the deleted one's
// place, and to 新建 Webhook once none is left, where it fell to the page's top with the row.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, focusedControl, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('the focus after deleting a webhook');

describe.runIf(runnable)('the focus after deleting a webhook', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  const ids: string[] = [];

  beforeAll(async () => {
    session = await startConsole({ name: 'web-webhook-delete-focus', demo: null, prepare: async (store) => void (await ensureDefaultWorkspace(store, systemClock)) });
    ({ page, base } = session);
    for (const path of ['first', 'second']) ids.push(String(((await callApi(base, 'POST', '/webhooks', { url: `https://example.com/${path}` }, {})) as { id: number }).id));
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'webhook-delete-focus', context.task));

  it('goes on to the next 删除, then to 新建 Webhook', async () => {
    await page.goto(`${base}/webhooks`);
    const [first, second] = ids;
    for (const [id, next] of [[first, `webhook-delete-${second ?? ''}`], [second, 'webhook-create']] as const) {
      await page.getByTestId(`webhook-delete-${id ?? ''}`).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedControl(page)).toBe('webhook-delete-ok');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId(`webhook-delete-${id ?? ''}`).count()).toBe(0);
      await expect.poll(() => focusedControl(page)).toBe(next);
    }
  });
});
