// A role without the export permission in the console's customer list, in a real browser: it
// pages through the first 100 customers, as the API answers it, and is told why there are no more.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { callApi, consoleRunnable, type ConsoleSession, screenshotFailure, startConsole, stopConsole } from '../support/console.js';

const runnable = consoleRunnable("the console's list for a viewer");

describe.runIf(runnable)('web console: a viewer pages through the first customers of a list', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let admin = '';
  let operator = '';
  let viewer = '';

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-viewer-browsing',
      demo: { customers: 130, eventsPerCustomer: 1, seed: 5 },
      tokensReadEveryMs: 300,
      prepare: async (demo) => {
        admin = (await createAccessToken(demo, { name: '管理员', role: 'admin' }, systemClock())).token;
        operator = (await createAccessToken(demo, { name: '王芳', role: 'operator' }, systemClock())).token;
        viewer = (await createAccessToken(demo, { name: '李雷', role: 'viewer' }, systemClock())).token;
      },
    });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'viewer-browsing', context.task));

  const signIn = async (token: string) => {
    await page.goto(base);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signed-in-user').waitFor();
  };
  const pagerItems = () => page.locator('.ant-pagination-item').count();

  it('shows a viewer five pages of twenty and says, in either language, that more is an export', async () => {
    await signIn(viewer);
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(pagerItems).toBe(5);
    expect(await page.getByTestId('customers-browse-limit').textContent()).toMatch(/前 100 位客户|first 100 customers/);
    // The whole count is still said.
    expect(await page.locator('.ant-pagination-total-text').textContent()).toMatch(/130/);
    await page.locator('.ant-pagination-item-5').click();
    await expect.poll(() => page.locator('.ant-pagination-item-active').textContent()).toBe('5');
    await expect.poll(() => page.getByTestId('customer-table').locator('tbody tr.ant-table-row').count()).toBe(20);
    expect(await page.locator('.ant-alert-error').count()).toBe(0);
    await page.getByTestId('language-switch').getByText('EN').click();
    await expect.poll(() => page.getByTestId('customers-browse-limit').textContent()).toContain('first 100 customers');
    await page.getByTestId('language-switch').getByText('中文').click();
    await expect.poll(() => page.getByTestId('customers-browse-limit').textContent()).toContain('前 100 位客户');
  });

  it('pages a viewer through the first 100 care reminders, and says why there are no more', async () => {
    const call = (method: string, path: string, body: unknown) => callApi(base, method, path, body, { authorization: `Bearer ${admin}`, 'x-tagbase-workspace': 'demo' });
    // A reminder due for each of the 130 customers.
    await call('POST', '/care/plans', { key: 'viewer_cap', name: '翻页测试', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢购买' }] });
    const at = new Date().toISOString();
    const events = Array.from({ length: 130 }, (_, i) => ({ id: `cap-${String(i)}`, customer_id: `C${String(i + 1).padStart(6, '0')}`, type: 'order_paid', occurred_at: at, properties: { order_id: `CAP${String(i)}`, amount: 10 } }));
    await call('POST', '/events', { events });
    await call('POST', '/care/run', {});
    await page.evaluate('localStorage.clear()');
    await signIn(viewer);
    await page.goto(`${base}/care`);
    await page.getByTestId('care-reminders-total').waitFor();
    await expect.poll(pagerItems).toBe(5);
    expect(await page.getByTestId('care-reminders-browse-limit').textContent()).toContain('前 100 条提醒');
    await page.locator('.ant-pagination-item-5').click();
    await expect.poll(() => page.locator('.ant-pagination-item-active').textContent()).toBe('5');
    await expect.poll(() => page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(20);
    expect(await page.getByTestId('care-reminders-error').count()).toBe(0);
    // The overview's latest tag changes are within what a viewer reads.
    await page.goto(base);
    await expect.poll(() => page.getByTestId('recent-changes').locator('tbody tr.ant-table-row').count()).toBe(12);
    // An operator pages on, without the note.
    await page.evaluate('localStorage.clear()');
    await signIn(operator);
    await page.goto(`${base}/care`);
    await page.getByTestId('care-reminders-total').waitFor();
    await expect.poll(pagerItems).toBeGreaterThan(5);
    expect(await page.getByTestId('care-reminders-browse-limit').count()).toBe(0);
  });

  it('pages an operator through everyone, without the note', async () => {
    await page.evaluate('localStorage.clear()');
    await signIn(operator);
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(pagerItems).toBe(7);
    expect(await page.getByTestId('customers-browse-limit').count()).toBe(0);
  });
});
