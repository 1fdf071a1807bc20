// The care plan editor's key field keeps the form's spacing while it shows an error: its hint, under
// the error, stands as far from the 说明 label below as it does without one, rather than against it.
// So do a birthday plan's days ahead and the quiet hours' end, the other fields with a hint under them.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the care plan key’s hint');

/** From the bottom of the key field's last line (its hint) to the top of the description's label, in pixels. */
function gapUnderKey(page: Page): Promise<number> {
  return page.evaluate<number>(`(() => {
    const key = document.querySelector('[data-testid=care-plan-key]').closest('.ant-form-item');
    const hint = key.querySelector('.ant-form-item-extra');
    const label = document.querySelector('[data-testid=care-plan-description]').closest('.ant-form-item').querySelector('.ant-form-item-label');
    return label.getBoundingClientRect().top - hint.getBoundingClientRect().bottom;
  })()`);
}

/** From the bottom of the hint of the field holding `testId` to the top of `next` (a selector), in pixels. */
function gapUnder(page: Page, testId: string, next: string): Promise<number> {
  return page.evaluate<number>(`(() => {
    const hint = document.querySelector('[data-testid=${testId}]').closest('.ant-form-item').querySelector('.ant-form-item-extra');
    return document.querySelector('${next}').getBoundingClientRect().top - hint.getBoundingClientRect().bottom;
  })()`);
}

describe.runIf(runnable)('the care plan key’s hint under an error', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;

  beforeAll(async () => {
    session = await startConsole({ name: 'care-key-hint', demo: { customers: 20, eventsPerCustomer: 1, seed: 9 } });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    if (session) await screenshotFailure(session.page, 'care-key-hint', context.task);
  });

  it('stands as far from the description’s label with the error shown as without it', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(`${base}/care?tab=plans`);
    await page.getByTestId('care-plan-create').click();
    await page.getByTestId('care-plan-key').fill('after_sales');
    const normal = await gapUnderKey(page);
    expect(normal).toBeGreaterThanOrEqual(16);
    await page.getByTestId('care-plan-key').fill('1坏');
    const error = page.getByTestId('care-plan-editor').locator('.ant-form-item-explain-error');
    await expect.poll(() => error.textContent()).toBe('标识由汉字、字母、数字、_ 或 - 组成，以汉字、字母或 _ 开头，最多 64 个字符');
    await expect.poll(() => gapUnderKey(page)).toBeGreaterThanOrEqual(normal);
    // The error comes between the field and its hint, and goes again with a key corrected.
    expect(await page.evaluate<number>("document.querySelector('[data-testid=care-plan-key]').closest('.ant-form-item').querySelector('.ant-form-item-extra').getBoundingClientRect().top")).toBeGreaterThanOrEqual((await error.boundingBox())?.y ?? Infinity);
    await page.getByTestId('care-plan-key').fill('after_sales');
    await error.waitFor({ state: 'detached' });
    expect(await gapUnderKey(page)).toBe(normal);
  });

  it('keeps the days ahead’s and the quiet hours’ hints apart from the fields below them', async () => {
    const { page, base } = session ?? {};
    if (!page || !base) throw new Error('no console');
    await page.goto(`${base}/care?tab=plans`);
    await page.getByTestId('care-plan-create').click();
    await page.getByTestId('care-plan-kind-birthday').click();
    const days = page.getByTestId('care-plan-days-before');
    await days.fill('3');
    // The days ahead stands right above the condition.
    const belowDays = '.ant-form-item:has([data-testid=care-plan-days-before]) + .ant-form-item';
    const normal = await gapUnder(page, 'care-plan-days-before', belowDays);
    expect(normal).toBeGreaterThanOrEqual(16);
    await days.fill('');
    const daysError = page.locator('.ant-form-item').filter({ has: days }).locator('.ant-form-item-explain-error');
    await expect.poll(() => daysError.textContent()).toBe('请填写提前天数');
    await expect.poll(() => gapUnder(page, 'care-plan-days-before', belowDays)).toBeGreaterThanOrEqual(normal);
    await days.fill('3');
    await daysError.waitFor({ state: 'detached' });
    expect(await gapUnder(page, 'care-plan-days-before', belowDays)).toBe(normal);

    // The end of the quiet hours sits beside their start, in a row; what follows is what follows the row.
    await page.getByTestId('care-plan-quiet').check();
    const end = page.getByTestId('care-plan-quiet-end');
    await page.getByTestId('care-plan-quiet-start').fill('21:00');
    await end.fill('08:00');
    const belowQuiet = '.ant-space:has([data-testid=care-plan-quiet-end]) + *';
    const quiet = await gapUnder(page, 'care-plan-quiet-end', belowQuiet);
    expect(quiet).toBeGreaterThanOrEqual(16);
    await end.fill('8点');
    const endError = page.locator('.ant-form-item').filter({ has: end }).locator('.ant-form-item-explain-error');
    await expect.poll(() => endError.textContent()).toBe('时间写作 21:00 这样的格式');
    await expect.poll(() => gapUnder(page, 'care-plan-quiet-end', belowQuiet)).toBeGreaterThanOrEqual(quiet);
    await end.fill('08:00');
    await endError.waitFor({ state: 'detached' });
    expect(await gapUnder(page, 'care-plan-quiet-end', belowQuiet)).toBe(quiet);
  });
});
