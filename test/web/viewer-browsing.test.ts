// A role without the export permission in the console's customer list, in a real browser: it
// pages through the first 100 customers, as the API answers it, and is told why there are no more.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable("the console's list for a viewer");

describe.runIf(runnable)('web console: a viewer pages through the first customers of a list', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let operator = '';
  let viewer = '';

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-viewer-browsing',
      demo: { customers: 130, eventsPerCustomer: 1, seed: 5 },
      tokensReadEveryMs: 300,
      prepare: async (demo) => {
        await createAccessToken(demo, { name: '管理员', role: 'admin' }, systemClock());
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

  it('pages an operator through everyone, without the note', async () => {
    await page.evaluate('localStorage.clear()');
    await signIn(operator);
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(pagerItems).toBe(7);
    expect(await page.getByTestId('customers-browse-limit').count()).toBe(0);
  });
});
