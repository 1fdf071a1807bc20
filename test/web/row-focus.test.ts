// A row that goes, or changes, under the keyboard's focus, in a real browser: archiving or
// restoring a tag in the library and deleting a segment leave the focus in the list (on the same
// button of the row now in its place, on the button that undoes it, or on the list's heading once
// no row is left), not at the top of the page.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, type ConsoleSession, focusedControl, screenshotFailure, startConsole, stopConsole } from '../support/console.js';

const runnable = consoleRunnable('rows that go under the focus');

describe.runIf(runnable)('web console: the focus when a row goes', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  const call = (method: string, path: string, body?: unknown) => callApi(base, method, path, body);

  beforeAll(async () => {
    session = await startConsole({ name: 'web-row-focus', demo: { customers: 20, eventsPerCustomer: 1, seed: 7 } });
    ({ page, base } = session);
    for (const [key, name] of [['rf_one', '行焦点一'], ['rf_two', '行焦点二'], ['rf_three', '行焦点三']]) await call('POST', '/tags', { key, name, cardinality: 'single', kind: 'manual', values: [{ key: 'y', name: '是' }] });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'row-focus', context.task));

  /** The keys of the rows the list shows, in its order. */
  const rowKeys = (list: string) => page.getByTestId(list).locator('tr.ant-table-row[data-row-key]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-key') ?? ''));
  /** Asks with the button of that test id from the keyboard, and answers yes with Enter. */
  const confirmFromKeyboard = async (testId: string) => {
    await page.getByTestId(testId).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate<boolean>("document.activeElement?.closest('.ant-popover') !== null && document.activeElement?.tagName === 'BUTTON'")).toBe(true);
    await page.keyboard.press('Enter');
  };

  it("moves the focus on to the next tag's archive button when a tag is archived, and to the button that undoes it while archived tags are shown", async () => {
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-archive-rf_two').waitFor();
    const keys = await rowKeys('tag-library');
    // The tag after 行焦点一 in the list's order, whichever of ours that is.
    const [first, next] = keys.filter((key) => key.startsWith('rf_'));
    if (!first || !next) throw new Error(`our tags are not listed: ${keys.join(', ')}`);
    expect(keys.indexOf(next)).toBe(keys.indexOf(first) + 1);
    await confirmFromKeyboard(`tag-archive-${first}`);
    await page.getByTestId(`tag-archive-${first}`).waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`tag-archive-${next}`);

    // With the archived tags in view, the row stays: restoring it puts the focus on its archive button, and archiving it again on its restore button.
    await page.getByTestId('tag-show-archived').click();
    await page.getByTestId(`tag-restore-${first}`).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId(`tag-restore-${first}`).waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`tag-archive-${first}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate<boolean>("document.activeElement?.closest('.ant-popover') !== null && document.activeElement?.tagName === 'BUTTON'")).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedControl(page)).toBe(`tag-restore-${first}`);
  });

  it("moves the focus on to the next segment's 删除 when one is deleted, to the last one's at the end, and to the list's heading once none is left", async () => {
    for (const key of ['rf_a', 'rf_b', 'rf_c']) await call('POST', '/segments', { key, name: `行焦点 ${key}`, expression: 'id exists' });
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-delete-rf_c').waitFor();
    let keys = await rowKeys('segment-list');
    const middle = keys[1];
    if (!middle) throw new Error(`too few segments: ${keys.join(', ')}`);
    await confirmFromKeyboard(`segment-delete-${middle}`);
    await page.getByTestId(`segment-delete-${middle}`).waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`segment-delete-${keys[2] ?? ''}`);
    // The last row's: the focus goes back to the row now last.
    keys = await rowKeys('segment-list');
    const last = keys.at(-1) ?? '';
    await confirmFromKeyboard(`segment-delete-${last}`);
    await page.getByTestId(`segment-delete-${last}`).waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe(`segment-delete-${keys.at(-2) ?? ''}`);
    // The rest, each from where the focus was left, until the list is empty.
    for (let left = keys.length - 1; left > 0; left--) {
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate<boolean>("document.activeElement?.closest('.ant-popover') !== null && document.activeElement?.tagName === 'BUTTON'")).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await rowKeys('segment-list')).length).toBe(left - 1);
      await expect.poll(() => focusedControl(page)).toMatch(left > 1 ? /^segment-delete-/ : /^segment-list-heading$/);
    }
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('已保存的人群');
  });
});
