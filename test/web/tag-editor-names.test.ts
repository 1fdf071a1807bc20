// The tag editor for a screen reader, in a real browser: the colour panel's controls and each
// value's key and name say what they are for (and which value's) in either language, and 添加值
// takes the focus to the new value, rather than leaving the keyboard user to Tab back up for it.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleRunnable, focusedControl, screenshotFailure, startConsole, stopConsole, unnamedControls, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the tag editor for a screen reader');

describe.runIf(runnable)('web console: the tag editor named for a screen reader', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-tag-editor-names', demo: { customers: 20, eventsPerCustomer: 1, seed: 5 } });
    ({ page, base } = session);
    const response = await fetch(`${base}/api/v1/tags`, {
      method: 'POST',
      headers: { 'x-tagbase-workspace': 'demo', 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'named_tier', name: '命名等级', cardinality: 'single', kind: 'manual', values: [{ key: 'a', name: '甲' }, { key: 'b', name: '乙' }] }),
    });
    expect(response.status, await response.text()).toBe(201);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'tag-editor-names', context.task));

  const openEditor = async () => {
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-edit-named_tier').click();
    await page.getByTestId('tag-editor').waitFor();
  };
  const closeEditor = async () => {
    await page.keyboard.press('Escape');
    const discard = page.locator('.ant-modal-confirm').getByRole('button', { name: /放弃修改|Discard/ });
    if (await discard.count()) await discard.click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
  };
  const inLanguage = async (english: boolean, steps: () => Promise<void>) => {
    // From a page afresh: a step that failed before may have left the editor open over the switch.
    await page.goto(`${base}/tags`);
    if (!english) return steps();
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await steps();
    } finally {
      await page.goto(`${base}/tags`);
      await page.getByTestId('language-switch').getByText('中文').click();
    }
  };

  for (const english of [false, true])
    it(`names every control of the colour panel${english ? ' in English' : ''}`, async () => {
      await inLanguage(english, async () => {
        await openEditor();
        const picker = page.getByRole('button', { name: english ? 'Tag colour' : '标签颜色', exact: true });
        await picker.focus();
        await page.keyboard.press('Enter');
        await page.locator('.ant-color-picker-inner').waitFor();
        expect(await unnamedControls(page, '.ant-popover:visible')).toEqual([]);
        const popover = page.locator('.ant-popover:visible');
        await popover.getByRole('button', { name: english ? 'Clear the colour' : '清除颜色', exact: true }).waitFor();
        // Another format puts other fields in place of the hex one: named as well.
        await popover.getByRole('combobox', { name: english ? 'Colour format' : '颜色格式', exact: true }).waitFor();
        await popover.locator('.ant-color-picker-format-select').click();
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^RGB$/ }).click();
        await popover.getByRole('spinbutton', { name: english ? 'Green (0–255)' : '绿（0–255）', exact: true }).waitFor();
        expect(await unnamedControls(page, '.ant-popover:visible')).toEqual([]);
        await page.keyboard.press('Escape');
        await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('false');
        await closeEditor();
      });
    });

  it('clears the colour from the keyboard with the panel\'s clearing swatch', async () => {
    await openEditor();
    const picker = page.getByRole('button', { name: '标签颜色', exact: true });
    await picker.focus();
    await page.keyboard.press('Enter');
    const popover = page.locator('.ant-popover:visible');
    const hex = popover.getByRole('textbox', { name: '十六进制颜色值', exact: true });
    await hex.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('ff0000');
    const swatch = page.getByTestId('tag-editor').locator('.ant-color-picker-trigger .ant-color-picker-color-block-inner');
    await expect.poll(() => swatch.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).backgroundColor)).toBe('rgb(255, 0, 0)');
    await popover.getByRole('button', { name: '清除颜色', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => swatch.count()).toBe(0);
    // Back as it was: Esc closes the panel, and then the editor without asking.
    await page.keyboard.press('Escape');
    await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Escape');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
  });

  for (const english of [false, true])
    it(`names each value's key and name by its place, and takes the focus to a value added${english ? ' in English' : ''}`, async () => {
      const [key, name, add] = english ? [(n: number) => `Key of value ${String(n)}`, (n: number) => `Name of value ${String(n)}`, 'Add a value'] : [(n: number) => `值 ${String(n)} 的标识`, (n: number) => `值 ${String(n)} 的名称`, '添加值'];
      await inLanguage(english, async () => {
        await openEditor();
        const editor = page.getByTestId('tag-editor');
        for (const n of [1, 2]) {
          expect(await editor.getByRole('textbox', { name: key(n), exact: true }).getAttribute('data-testid')).toBe(`value-key-${String(n - 1)}`);
          expect(await editor.getByRole('textbox', { name: name(n), exact: true }).getAttribute('data-testid')).toBe(`value-name-${String(n - 1)}`);
        }
        // 添加值 from the keyboard: the new value's key has the focus, its name a Tab away.
        await editor.getByRole('button', { name: new RegExp(`${add}$`) }).focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => focusedControl(page)).toBe('value-key-2');
        expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null")).toBe(key(3));
        await page.keyboard.type('c');
        await page.keyboard.press('Tab');
        await expect.poll(() => focusedControl(page)).toBe('value-name-2');
        expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null")).toBe(name(3));
        await page.keyboard.type('丙');
        await expect.poll(() => page.getByTestId('value-key-2').inputValue()).toBe('c');
        await closeEditor();
      });
    });
});
