// The tag library, the portrait's tagging and the segment builder from the keyboard alone and for
// a screen reader, in a real browser: a question takes the focus and gives it back, a value moved
// or taken out keeps the focus in the editor, a tag added or removed in the portrait leaves it in
// the card, and the tag's description and choices, and the builder's expression box, are named by
// their labels in either language.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, type ConsoleSession, focusedControl, screenshotFailure, startConsole, stopConsole } from '../support/console.js';

const runnable = consoleRunnable('the console from the keyboard');

describe.runIf(runnable)('web console: the tag library and tagging from the keyboard', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  const call = (method: string, path: string, body?: unknown) => callApi(base, method, path, body);

  beforeAll(async () => {
    session = await startConsole({ name: 'web-keyboard-focus', demo: { customers: 40, eventsPerCustomer: 1, seed: 11 } });
    ({ page, base } = session);
    // A tag of four values, two of them held, and a group of no tags.
    await call('POST', '/tags', {
      key: 'kb_channel',
      name: '键盘渠道',
      cardinality: 'single',
      kind: 'manual',
      values: [
        { key: 'a', name: '甲' },
        { key: 'b', name: '乙' },
        { key: 'c', name: '丙' },
        { key: 'd', name: '丁' },
      ],
    });
    await call('POST', '/tags/kb_channel/assign', { value: 'a', customers: ['C000001'] });
    await call('POST', '/tags/kb_channel/assign', { value: 'b', customers: ['C000002'] });
    await call('POST', '/tag-groups', { key: 'kb_group', name: '键盘分组' });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'keyboard-focus', context.task));

  const press = async (testId: string, key = 'Enter') => {
    await page.getByTestId(testId).focus();
    await page.keyboard.press(key);
  };
  /** The accessible name of the focused control (its test id says which row's it is, its name which value's). */
  const focusedName = () => page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? ''");

  it("puts the focus on the archive question's answer and gives it back on Esc, as the group's delete question does", async () => {
    await page.goto(`${base}/tags`);
    await press('tag-archive-kb_channel');
    // The answer is a key away, rather than past the whole page at its end.
    await expect.poll(() => page.evaluate<boolean>("document.activeElement?.closest('.ant-popover') !== null && document.activeElement?.tagName === 'BUTTON'")).toBe(true);
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('确认');
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedControl(page)).toBe('tag-archive-kb_channel');
    await expect.poll(() => page.locator('.ant-popover:visible').count()).toBe(0);

    await press('group-delete-kb_group');
    await expect.poll(() => page.evaluate<string>("document.activeElement?.closest('.ant-popover') ? document.activeElement.textContent ?? '' : ''")).toBe('确认');
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedControl(page)).toBe('group-delete-kb_group');
  });

  it("names the tag's description and the questions its choices answer by their labels in both languages, not by a hint", async () => {
    const named = async (description: string, choices: string[]) => {
      await press('tag-edit-kb_channel');
      const editor = page.getByTestId('tag-editor');
      await editor.getByRole('textbox', { name: description, exact: true }).waitFor({ timeout: 5_000 });
      for (const choice of choices) await editor.getByRole('radiogroup', { name: choice, exact: true }).waitFor({ timeout: 5_000 });
      await page.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
    };
    await page.goto(`${base}/tags`);
    await named('说明', ['类型', '范围', '取值']);
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await named('Description', ['Kind', 'Scope', 'Values per customer']);
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
  });

  it('keeps the focus on a value moved with its arrows, on the other arrow once it reaches an end', async () => {
    await page.goto(`${base}/tags`);
    await press('tag-edit-kb_channel');
    await page.getByTestId('tag-editor').waitFor();
    // 甲 down: its row is put back in the page below 乙, and the focus stays on its arrow.
    await press('value-down-0');
    await expect.poll(() => page.getByTestId('value-name-1').inputValue()).toBe('甲');
    await expect.poll(() => focusedControl(page)).toBe('value-down-1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('value-name-2').inputValue()).toBe('甲');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('value-name-3').inputValue()).toBe('甲');
    // At the bottom its ↓ is greyed out: the focus goes to its ↑, still on 甲.
    await expect.poll(() => focusedControl(page)).toBe('value-up-3');
    expect(await focusedName()).toBe('上移「甲」');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('value-name-2').inputValue()).toBe('甲');
    await expect.poll(() => focusedControl(page)).toBe('value-up-2');
    // And the other way to the top.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('value-name-0').inputValue()).toBe('甲');
    await expect.poll(() => focusedControl(page)).toBe('value-down-0');
    expect(await focusedName()).toBe('下移「甲」');
    // Back where it was, nothing has changed: Esc closes without asking.
    await page.keyboard.press('Escape');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
  });

  it("moves the focus on to the next value's × when one is taken out, and back on its own × when the question about its holders is put away", async () => {
    await page.goto(`${base}/tags`);
    await press('tag-edit-kb_channel');
    await page.getByTestId('tag-editor').waitFor();
    expect(await page.getByTestId('value-name-1').inputValue()).toBe('乙');
    // 乙 is held: its × asks what becomes of its holder. Esc keeps it, the focus back on its ×.
    await press('value-remove-1');
    await page.getByTestId('value-remove-dialog').waitFor();
    await expect.poll(() => page.evaluate<boolean>("document.activeElement?.closest('.ant-modal-wrap') !== null")).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('value-remove-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => focusedControl(page)).toBe('value-remove-1');
    expect(await focusedName()).toBe('删除「乙」');
    // Taken out, the focus goes on to the × of 丙, now in its place.
    await page.keyboard.press('Enter');
    await page.getByTestId('value-remove-confirm').click();
    await page.getByTestId('value-remove-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('value-name-1').inputValue()).toBe('丙');
    await expect.poll(() => focusedControl(page)).toBe('value-remove-1');
    expect(await focusedName()).toBe('删除「丙」');
    // 丁, nobody's, at the end: taken out at once, the focus on the × of the value now last.
    await press('value-remove-2');
    await expect.poll(() => page.getByTestId('value-name-2').count()).toBe(0);
    await expect.poll(() => focusedControl(page)).toBe('value-remove-1');
    expect(await focusedName()).toBe('删除「丙」');
    // Nothing is saved: Esc asks whether to throw the changes away.
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '放弃修改' }).click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
  });

  it("leaves the focus in the portrait's form after a tag is added from the keyboard, not at the page's top", async () => {
    await page.goto(`${base}/customers/C000003`);
    const tagSelect = page.getByRole('combobox', { name: '添加标签' });
    await tagSelect.focus();
    await page.keyboard.type('键盘渠道');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^键盘渠道$/ }).waitFor();
    await page.keyboard.press('Enter');
    // The value from the list its arrow key opens: the first, 甲.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').filter({ hasText: /^甲$/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('add-tag-submit').isEnabled()).toBe(true);
    await press('add-tag-submit');
    await page.getByRole('button', { name: '移除「键盘渠道: 甲」' }).waitFor();
    // 添加 is greyed out until another value is chosen: the focus goes back to the start of the form.
    await expect.poll(() => focusedName()).toBe('添加标签');
    expect(await page.evaluate<boolean>("document.activeElement?.getAttribute('role') === 'combobox'")).toBe(true);
  });

  it("reaches every tag of the portrait from the keyboard, each saying who gave it, when and until when, a model's tag without a × as well", async () => {
    await page.goto(`${base}/customers/C000001`);
    const card = page.getByTestId('portrait-tags');
    await card.getByRole('button', { name: '移除「键盘渠道: 甲」', exact: true }).waitFor();
    const chips = await card.locator('.ant-tag').allTextContents();
    expect(chips).toContain('键盘渠道: 甲');
    // A model's tag, which has no ×.
    expect(await card.locator('.ant-tag:not(:has(.ant-tag-close-icon))').count()).toBeGreaterThan(0);
    // Tab from the card's start to the form that adds a tag: every chip is a stop on the way (itself, or its ×),
    // and each shows its details as it has the focus.
    await card.locator('.ant-card-head').click();
    const reached: string[] = [];
    for (let step = 0; step < 20 && (await focusedName()) !== '添加标签'; step++) {
      await page.keyboard.press('Tab');
      const chip = await page.evaluate<string | null>("document.activeElement?.closest('.ant-tag')?.textContent ?? document.activeElement?.querySelector('.ant-tag')?.textContent ?? null");
      if (chip === null) continue;
      reached.push(chip);
      const details = page.locator('.ant-tooltip:visible');
      await expect.poll(() => details.textContent()).toContain('来源');
      expect(await details.textContent()).toContain('过期时间');
    }
    expect(reached.sort()).toEqual([...chips].sort());
  });

  it("moves the focus on to the next tag's × when a tag is removed from the keyboard, and to the form when none is left", async () => {
    await call('POST', '/tags', { key: 'kb_topics', name: '键盘话题', cardinality: 'multi', kind: 'manual', values: [{ key: 'x', name: '戊' }, { key: 'y', name: '己' }] });
    for (const value of ['x', 'y']) await call('POST', '/tags/kb_topics/assign', { value, customers: ['C000004'] });
    await page.goto(`${base}/customers/C000004`);
    const first = page.getByRole('button', { name: '移除「键盘话题: 戊」', exact: true });
    await first.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedControl(page)).toBe('remove-tag-confirm');
    await page.keyboard.press('Enter');
    await first.waitFor({ state: 'detached' });
    // Every × of the card but the model's tags': 己 is now where 戊 was.
    await expect.poll(() => focusedName()).toBe('移除「键盘话题: 己」');
    const removable = await page.getByTestId('portrait-tags').getByRole('button', { name: /^移除「/ }).count();
    for (let left = removable; left > 0; left--) {
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedControl(page)).toBe('remove-tag-confirm');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('portrait-tags').getByRole('button', { name: /^移除「/ }).count()).toBe(left - 1);
      await expect.poll(() => focusedName()).toMatch(left > 1 ? /^移除「/ : /^添加标签$/);
    }
  });

  it("names the segment builder's expression box as such in both languages, not by the example inside it", async () => {
    await page.goto(`${base}/segments`);
    // The conditions written as text, chosen from the keyboard (Space, of two choices, takes the other).
    await page.getByRole('radio', { name: '可视化', exact: true }).focus();
    await page.keyboard.press(' ');
    await page.getByRole('textbox', { name: '表达式', exact: true }).waitFor({ timeout: 5_000 });
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await page.getByRole('textbox', { name: 'Expression', exact: true }).waitFor({ timeout: 5_000 });
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
  });

  it("puts an identity's removal question away on Esc, the focus back on its ×", async () => {
    await page.goto(`${base}/customers/C000001`);
    const remove = page.getByTestId('portrait-fields').getByRole('button', { name: /^移除/ }).first();
    const name = (await remove.getAttribute('aria-label')) ?? '';
    await remove.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedControl(page)).toBe('remove-identity-confirm');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-popover:visible').count()).toBe(0);
    await expect.poll(() => focusedName()).toBe(name);
  });
});
