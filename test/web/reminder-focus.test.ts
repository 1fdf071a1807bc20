// Working through the to-do list by keyboard: a reminder closed (完成, 忽略), put off (推迟) or
// opened again (重新打开) leaves the list with the button that did it, and the focus goes on to the
// same button in the reminder now in its place, else to the list's reload button, where it fell
// to the page's top and the next reminder was a Tab through the whole menu away.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, focusedControl, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('the focus in the care to-do list');

describe.runIf(runnable)('the focus in the care to-do list', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  const ids: number[] = [];

  beforeAll(async () => {
    session = await startConsole({ name: 'web-reminder-focus', demo: null, prepare: async (store) => void (await ensureDefaultWorkspace(store, systemClock)) });
    ({ page, base } = session);
    const inDefault = {};
    await callApi(base, 'POST', '/care/plans', { key: 'thanks', name: '感谢购买', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] }, inDefault);
    const at = new Date(Date.now() - 60_000).toISOString();
    const customers = ['R1', 'R2', 'R3', 'R4'];
    await callApi(base, 'POST', '/customers', { customers: customers.map((id) => ({ id, name: `客户${id}` })) }, inDefault);
    await callApi(base, 'POST', '/events', { events: customers.map((id) => ({ id: `paid-${id}`, customer_id: id, type: 'order_paid', occurred_at: at, properties: { order_id: `O-${id}`, amount: 10 } })) }, inDefault);
    await callApi(base, 'POST', '/care/run', {}, inDefault);
    const due = (await callApi(base, 'GET', '/care/reminders?status=due', undefined, inDefault)) as { items: { id: number }[] };
    ids.push(...due.items.map((reminder) => reminder.id));
    expect(ids).toHaveLength(4);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'reminder-focus', context.task));

  it('goes on to the next reminder after 完成, 忽略 and 推迟, and to the reload button after the last', async () => {
    await page.goto(`${base}/care`);
    const [first, second, third, fourth] = ids.map(String);
    await page.getByTestId(`care-done-${first}`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId(`care-done-${first}`).count()).toBe(0);
    await expect.poll(() => focusedControl(page)).toBe(`care-done-${second}`);
    await page.getByTestId(`care-dismiss-${second}`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId(`care-dismiss-${second}`).count()).toBe(0);
    await expect.poll(() => focusedControl(page)).toBe(`care-dismiss-${third}`);
    await page.getByTestId(`care-snooze-${third}`).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId(`care-snooze-${third}-1d`).waitFor();
    // The menu takes the focus once it is open (autoFocus): arrows pressed before would reach the
    // button, and Enter close the menu again.
    await expect.poll(() => page.evaluate<boolean>(`Boolean(document.activeElement && document.activeElement.closest('.ant-dropdown'))`)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId(`care-snooze-${third}`).count()).toBe(0);
    await expect.poll(() => focusedControl(page)).toBe(`care-snooze-${fourth}`);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId(`care-done-${fourth}`).count()).toBe(0);
    await expect.poll(() => focusedControl(page)).toBe('care-reload');
  });

  it('goes on to the next 重新打开 in the done list', async () => {
    await page.getByTestId('care-status-done').click();
    const reopen = page.locator('[data-testid^="care-reopen-"]');
    await expect.poll(() => reopen.count()).toBe(2);
    const [top, next] = await Promise.all([reopen.nth(0).getAttribute('data-testid'), reopen.nth(1).getAttribute('data-testid')]);
    await page.getByTestId(top ?? '').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId(top ?? '').count()).toBe(0);
    await expect.poll(() => focusedControl(page)).toBe(next);
  });
});
