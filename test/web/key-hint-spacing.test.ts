// The console's key and name fields with a hint under them keep the form's spacing while they show an
// error, as the care plan's key does (care-key-hint-spacing.test.ts): the hint, under the error, stands
// as far from what follows the field as it does without one, rather than against it.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the key fields’ hints');

interface Spacing {
  /** From the bottom of the field's hint to the top of what follows the field, in pixels. */
  gap: number;
  /** From the bottom of the field's error (or its input, without one) to the top of its hint. */
  hintBelowError: number;
}

/** How the hint of the field holding the input `testId` stands between its error and what comes next. */
function spacing(page: Page, testId: string): Promise<Spacing> {
  return page.evaluate<Spacing>(`(() => {
    const item = document.querySelector('[data-testid=${testId}]').closest('.ant-form-item');
    const hint = item.querySelector('.ant-form-item-extra').getBoundingClientRect();
    const error = item.querySelector('.ant-form-item-explain-error') ?? document.querySelector('[data-testid=${testId}]');
    return { gap: item.nextElementSibling.getBoundingClientRect().top - hint.bottom, hintBelowError: hint.top - error.getBoundingClientRect().bottom };
  })()`);
}

/** Types `wrong` into the field, expects its error to read `error`, and that the hint keeps its distance; then `right` again. */
async function keepsSpacing(page: Page, testId: string, right: string, wrong: string, error: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(right);
  const normal = await spacing(page, testId);
  expect(normal.gap).toBeGreaterThanOrEqual(16);
  await input.fill(wrong);
  const shown = page.locator('.ant-form-item').filter({ has: input }).locator('.ant-form-item-explain-error');
  await expect.poll(() => shown.textContent()).toBe(error);
  await expect.poll(async () => (await spacing(page, testId)).gap).toBeGreaterThanOrEqual(normal.gap);
  // The error comes between the field and its hint, without covering it.
  expect((await spacing(page, testId)).hintBelowError).toBeGreaterThanOrEqual(0);
  await input.fill(right);
  await shown.waitFor({ state: 'detached' });
  expect((await spacing(page, testId)).gap).toBe(normal.gap);
}

describe.runIf(runnable)('a key field’s hint under an error', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'key-hint', demo: { customers: 20, eventsPerCustomer: 1, seed: 9 } });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'key-hint', context.task);
  });

  const opened = () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    return { page, base };
  };

  it('keeps the segment key’s hint apart from the save button', async () => {
    const { page, base } = opened();
    await page.goto(`${base}/segments`);
    await keepsSpacing(page, 'segment-key', 'high_value', '1st', '标识由汉字、字母、数字、_ 或 - 组成，以汉字、字母或 _ 开头，最多 64 个字符');
  });

  it('keeps the new workspace’s key hint apart from the time zone below it', async () => {
    const { page, base } = opened();
    await page.goto(`${base}/`);
    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId('workspace-create').click();
    await page.getByTestId('workspace-name').fill('杭州店');
    await keepsSpacing(page, 'workspace-key', 'shop-hz', '杭州', '键只能包含英文字母、数字、“-”和“_”，最多 64 个字符');
  });

  it('keeps the token name’s and the webhook address’s hints apart from the fields below them', async () => {
    const { page, base } = opened();
    await page.goto(`${base}/tokens`);
    await page.getByTestId('token-create').click();
    await keepsSpacing(page, 'token-name', '分析-小陈', '', '请填写名称');
    await page.goto(`${base}/webhooks`);
    await page.getByTestId('webhook-create').click();
    await keepsSpacing(page, 'webhook-url', 'https://example.com/hook', '', '请填写推送地址');
  });
});
