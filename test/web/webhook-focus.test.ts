// The webhooks page by keyboard: its deliveries drawer and the new signing secret's dialog give the
// focus back to the button that opened them when they close, where it fell to the page's top and
// the next webhook was a Tab through the whole menu away.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, focusedControl, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('the focus on the webhooks page');

describe.runIf(runnable)('the focus on the webhooks page', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let id = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-webhook-focus', demo: null, prepare: async (store) => void (await ensureDefaultWorkspace(store, systemClock)) });
    ({ page, base } = session);
    id = String(((await callApi(base, 'POST', '/webhooks', { url: 'https://example.com/hooks' }, {})) as { id: number }).id);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'webhook-focus', context.task));

  it('gives the focus back to 推送记录 when its drawer closes, by Esc or by its ×', async () => {
    await page.goto(`${base}/webhooks`);
    const deliveries = page.getByTestId(`webhook-deliveries-${id}`);
    await deliveries.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('webhook-deliveries-table').waitFor();
    await expect.poll(() => page.evaluate<boolean>("Boolean(document.querySelector('.ant-drawer')?.contains(document.activeElement))")).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('webhook-deliveries').waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`webhook-deliveries-${id}`);
    await page.keyboard.press('Enter');
    await page.getByTestId('webhook-deliveries-table').waitFor();
    await page.getByTestId('webhook-deliveries').locator('.ant-drawer-close').click();
    await page.getByTestId('webhook-deliveries').waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`webhook-deliveries-${id}`);
  });

  it('gives the focus back to 更换密钥 once the new secret is saved', async () => {
    await page.getByTestId(`webhook-rotate-${id}`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedControl(page)).toBe('webhook-rotate-ok');
    await page.keyboard.press('Enter');
    await page.getByTestId('webhook-secret-close').waitFor();
    await page.getByTestId('webhook-secret-close').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('webhook-secret').waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`webhook-rotate-${id}`);
  });
});
