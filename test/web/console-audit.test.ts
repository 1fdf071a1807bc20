// The console audited in a real browser: the customers page reads the saved segments once, and the
// models' actions and a tag group's delete are done from the keyboard alone, the focus left
// somewhere sensible after each. (Every page's language is checked in accessibility.test.ts.)
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, focusedControl, screenshotFailure, startSignedInConsole, stopConsole, type ConsoleSession, type SignedInConsole } from '../support/console.js';

const runnable = consoleRunnable('the console audit');

describe.runIf(runnable)('the console audited', { timeout: 300_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  let call: SignedInConsole['call'];
  let signIn: SignedInConsole['signIn'];

  beforeAll(async () => {
    const signedIn = await startSignedInConsole('web-console-audit');
    ({ session, call, signIn } = signedIn);
    ({ page, base } = session);
    // Groups to delete from the keyboard (one holding a tag, which is not deleted), and customers
    // with a saved segment for the customers page, whose segments it reads.
    await call('POST', '/tag-groups', { key: 'service', name: 'Service' });
    await call('POST', '/tag-groups', { key: 'spare', name: 'Spare' });
    await call('POST', '/tag-groups', { key: 'unused', name: 'Unused' });
    await call('POST', '/tags', { key: 'stage', name: 'Stage', group: 'service', cardinality: 'single', kind: 'manual', values: [{ key: 'pre', name: 'Pre-sale' }, { key: 'post', name: 'After-sale' }] });
    const customers = ['Alice Smith', 'Bob Jones', 'Carol White', 'Dan Brown'].map((name, n) => ({ id: `EN${String(n + 1)}`, name, city: 'Boston' }));
    await call('POST', '/customers', { customers });
    await call('POST', '/segments', { key: 'boston', name: 'Boston buyers', expression: 'city = "Boston"' });
    await signIn();
  }, 180_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'console-audit', context.task));

  it('reads the saved segments once as the customers page opens, however its parts come in', async () => {
    const reads: string[] = [];
    const count = (request: { method: () => string; url: () => string }) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/v1/segments') reads.push(request.url());
    };
    page.on('request', count);
    try {
      // Eight times, as the second read came in one opening out of eight.
      for (let opening = 1; opening <= 8; opening++) {
        reads.length = 0;
        await page.goto(`${base}/customers`);
        await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(reads, `opening ${String(opening)}`).toHaveLength(1);
      }
    } finally {
      page.off('request', count);
    }
  });

  const press = async (testId: string, key = 'Enter') => {
    await page.getByTestId(testId).focus();
    await page.keyboard.press(key);
  };
  /** Whether the focus is on the confirming button of an open question. */
  const onAnswer = () => page.evaluate<boolean>("document.activeElement?.closest('.ant-popover') !== null && document.activeElement?.tagName === 'BUTTON'");

  it('switches a model on and off from the keyboard, the focus kept on its buttons', async () => {
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`);
    await page.goto(`${base}/models`);
    // A model is picked with Space as with Enter.
    await press('model-item-vip', ' ');
    const detail = page.getByTestId('model-detail-vip');
    await detail.waitFor();
    await press('model-save');
    await page.getByTestId('model-disable').waitFor();
    expect(await focusedControl(page)).toBe('model-save');
    // Asked whether to switch it off: Esc puts the question away, the focus back on 停用.
    await press('model-disable');
    await expect.poll(onAnswer).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedControl(page)).toBe('model-disable');
    expect(await page.locator('.ant-popover:visible').count()).toBe(0);
    // Confirmed with Enter: 停用 goes with the model switched off, the focus to 启用, where it can be switched on again.
    await page.keyboard.press('Enter');
    await expect.poll(onAnswer).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('model-disable').count()).toBe(0);
    await expect.poll(() => focusedControl(page)).toBe('model-save');
    expect(await page.getByTestId('model-save').textContent()).toMatch(/启\s*用/);
  });

  it("deletes tag groups from the keyboard, the focus going on to the next group's delete, or staying when refused", async () => {
    await page.goto(`${base}/tags`);
    // spare, then unused in its place, then the last left (service, which holds a tag and is not deleted).
    for (const [group, next] of [['spare', 'group-delete-unused'], ['unused', 'group-delete-service'], ['service', 'group-delete-service']] as const) {
      await press(`group-delete-${group}`);
      await expect.poll(onAnswer).toBe(true);
      await page.keyboard.press('Enter');
      if (group === 'service') await page.locator('.ant-message-error').waitFor();
      else await page.getByTestId(`group-item-${group}`).waitFor({ state: 'detached' });
      await expect.poll(() => focusedControl(page)).toBe(next);
    }
    expect(await page.getByTestId('group-item-service').count()).toBe(1);
  });
});
