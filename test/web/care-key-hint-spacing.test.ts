// The care plan editor's key field keeps the form's spacing while it shows an error: its hint, under
// the error, stands as far from the 说明 label below as it does without one, rather than against it.
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
});
