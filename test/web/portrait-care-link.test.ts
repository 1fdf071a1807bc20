// The link under a portrait's care reminders (全部 N 条提醒) opens the to-do list narrowed to the
// customer on a status she has reminders in: a customer whose reminders are all still scheduled
// landed on her due ones, an empty list under a link that had just counted them.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('the link from a portrait to the customer’s care reminders');

describe.runIf(runnable)('the link from a portrait to the customer’s care reminders', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-portrait-care-link', demo: null, prepare: async (store) => void (await ensureDefaultWorkspace(store, systemClock)) });
    ({ page, base } = session);
    const inDefault = {};
    // Thanks at once, a call in three days: the one who paid a minute ago has one due and one scheduled.
    await callApi(base, 'POST', '/care/plans', { key: 'thanks', name: '感谢购买', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }, { after: '3d', message: '{name}，用得还好吗？' }] }, inDefault);
    // A follow-up a week after a coupon: the one who received one has it scheduled only.
    await callApi(base, 'POST', '/care/plans', { key: 'coupon_follow_up', name: '领券回访', trigger: { kind: 'event', event_type: 'coupon_received' }, steps: [{ after: '7d', message: '{name}，优惠券用了吗？' }] }, inDefault);
    await callApi(base, 'POST', '/customers', { customers: [{ id: 'P1', name: '周敏' }, { id: 'P2', name: '吴磊' }] }, inDefault);
    const at = new Date(Date.now() - 60_000).toISOString();
    await callApi(
      base,
      'POST',
      '/events',
      {
        events: [
          { id: 'paid-P1', customer_id: 'P1', type: 'order_paid', occurred_at: at, properties: { order_id: 'O-P1', amount: 99 } },
          { id: 'coupon-P2', customer_id: 'P2', type: 'coupon_received', occurred_at: at, properties: { coupon_id: 'CP-P2' } },
        ],
      },
      inDefault,
    );
    await callApi(base, 'POST', '/care/run', {}, inDefault);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'portrait-care-link', context.task));

  it('opens the scheduled reminders of a customer who has none due', async () => {
    await page.goto(`${base}/customers/P2`);
    const card = page.getByTestId('portrait-care');
    await expect.poll(() => card.locator('.ant-list-item').count()).toBe(1);
    expect(await card.getByTestId('portrait-care-all').textContent()).toBe('全部 1 条提醒');
    await card.getByTestId('portrait-care-all').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('customer')).toBe('P2');
    expect(new URL(page.url()).searchParams.get('status')).toBe('scheduled');
    await expect.poll(() => page.getByTestId('care-reminders-total').textContent()).toBe('共 1 条');
  });

  it('opens the due reminders, first on the card, of a customer who has some', async () => {
    await page.goto(`${base}/customers/P1`);
    const card = page.getByTestId('portrait-care');
    await expect.poll(() => card.locator('.ant-list-item').count()).toBe(2);
    await card.getByTestId('portrait-care-all').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('customer')).toBe('P1');
    expect(new URL(page.url()).searchParams.get('status')).toBeNull();
    await expect.poll(() => page.getByTestId('care-reminders-total').textContent()).toBe('共 1 条');
  });
});
