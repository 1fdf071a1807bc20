// Deleting care plans by keyboard: the focus goes on to 删除 of the plan now in the deleted one's
// place, and to 新建计划 once none is left, where it fell to the page's top with the row.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, focusedControl, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('the focus after deleting a care plan');

describe.runIf(runnable)('the focus after deleting a care plan', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-plan-delete-focus', demo: null, prepare: async (store) => void (await ensureDefaultWorkspace(store, systemClock)) });
    ({ page, base } = session);
    for (const key of ['thanks', 'follow_up']) await callApi(base, 'POST', '/care/plans', { key, name: key, trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] }, {});
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'plan-delete-focus', context.task));

  it('goes on to the next 删除, then to 新建计划', async () => {
    await page.goto(`${base}/care?tab=plans`);
    const rows = page.getByTestId('care-plans').locator('tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const [top, next] = await Promise.all([rows.nth(0).getAttribute('data-row-key'), rows.nth(1).getAttribute('data-row-key')]);
    for (const [key, after] of [[top, `care-plan-delete-${next ?? ''}`], [next, 'care-plan-create']] as const) {
      await page.getByTestId(`care-plan-delete-${key ?? ''}`).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedControl(page)).toBe('care-plan-delete-ok');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId(`care-plan-delete-${key ?? ''}`).count()).toBe(0);
      await expect.poll(() => focusedControl(page)).toBe(after);
    }
  });
});
