// The care plans on a phone (390 × 844), in a real browser: each plan a card the screen's width, its
// name, key, trigger, steps, switch and buttons in sight, where a table scrolled sideways inside
// itself; a long key wraps at its underscores, never inside a word; the wide screen keeps the table.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { PHONE, callApi, consoleRunnable, fitsWidth, focusedControl, phonePage, screenshotFailure, seriousAxeViolations, signInAs, startConsole, stopConsole, unnamedControls, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the care plans on a phone');

/** A key long enough to wrap on a phone, in words joined by underscores. */
const LONG_KEY = 'became_important_value_customers_of_the_east_region';

/** The elements inside the element of `testId` that scroll sideways (wider inside than they show, and scrollable), by test id or class. */
function sidewaysScrollers(page: Page, testId: string): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="${testId}"], [data-testid="${testId}"] *')]
    .filter((element) => element.scrollWidth > element.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(element).overflowX))
    .map((element) => element.getAttribute('data-testid') ?? element.className ?? element.tagName)`);
}

/** The characters of the element of `testId` that end a line of it, the last line's excepted. */
function lineEnds(page: Page, testId: string): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const element = document.querySelector('[data-testid="${testId}"]');
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        chars.push({ char: node.data[i], top: range.getBoundingClientRect().top });
      }
    return chars.filter((each, i) => i + 1 < chars.length && chars[i + 1].top > each.top + 2).map((each) => each.char);
  })()`);
}

describe.runIf(runnable)('the care plans on a phone', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let context: BrowserContext | undefined;
  let phone: Page;
  let base = '';
  let admin = '';
  const call = (method: string, path: string, body?: unknown) => callApi(base, method, path, body, { 'x-tagbase-workspace': 'default', authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-care-plans-phone',
      demo: null,
      prepare: async (store) => {
        await ensureDefaultWorkspace(store, systemClock);
        admin = (await createAccessToken(store, { name: 'Alice', role: 'admin' }, systemClock())).token;
      },
    });
    base = session.base;
    ({ context, phone } = await phonePage(session.browser));
    await call('POST', '/care/plans', { key: 'thanks', name: '感谢购买', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '30m', message: '{name}，感谢您的购买' }, { after: '3d', message: '{name}，用得还好吗？' }] });
    await call('POST', '/care/plans', { key: LONG_KEY, name: '华东新晋重要价值客户关怀', trigger: { kind: 'event', event_type: 'order_paid' }, condition: 'city = "上海"', steps: [{ after: '1d', message: '{name}，欢迎成为重要客户' }] });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stopConsole(session ?? {});
  });

  afterEach(async (test) => {
    await screenshotFailure(phone, 'care-plans-phone', test.task);
    await screenshotFailure(session?.page, 'care-plans-phone-desktop', test.task);
  });

  it('shows each plan as a card the screen’s width, nothing scrolling sideways, its long key wrapped at underscores', async () => {
    await signInAs(phone, base, admin, 'zh-CN');
    await phone.goto(`${base}/care?tab=plans`);
    const card = phone.getByTestId(`care-plan-card-${LONG_KEY}`);
    await card.waitFor();
    // Cards, not a table scrolled sideways inside itself.
    expect(await phone.getByTestId('care-plans').locator('table').count()).toBe(0);
    expect(await phone.locator('[data-testid^="care-plan-card-"]').count()).toBe(2);
    expect(await fitsWidth(phone)).toBe(true);
    expect(await sidewaysScrollers(phone, 'care-plans')).toEqual([]);
    // Name, key, trigger, steps, condition, counts, switch and buttons, each within the screen.
    expect(await card.textContent()).toContain('华东新晋重要价值客户关怀');
    expect(await card.getByTestId('care-plan-trigger').textContent()).toBe('行为：支付订单');
    // Step times spaced as the console writes numbers in Chinese (生日前 10 天, 第 1 步).
    expect(await phone.getByTestId('care-plan-card-thanks').getByTestId('care-plan-steps').textContent()).toBe('30 分钟后、3 天后');
    expect(await card.getByTestId('care-plan-steps').textContent()).toBe('1 天后');
    expect(await card.textContent()).toContain('city = "上海"');
    for (const testId of [`care-plan-key-${LONG_KEY}`, `care-plan-enabled-${LONG_KEY}`, `care-plan-edit-${LONG_KEY}`, `care-plan-delete-${LONG_KEY}`, `care-plan-counts-${LONG_KEY}`]) {
      const box = await phone.getByTestId(testId).boundingBox();
      expect(box !== null && box.x >= 0 && box.x + box.width <= PHONE.width, testId).toBe(true);
    }
    // The key reads whole, on more than one line, each broken after an underscore rather than inside a word.
    expect(await phone.getByTestId(`care-plan-key-${LONG_KEY}`).textContent()).toBe(LONG_KEY);
    const ends = await lineEnds(phone, `care-plan-key-${LONG_KEY}`);
    expect(ends.length).toBeGreaterThan(0);
    expect(ends.every((char) => char === '_'), ends.join(' ')).toBe(true);
    // For a screen reader as for the eye: every control named, no serious rule broken.
    expect(await unnamedControls(phone, '[data-testid="care-plans"]')).toEqual([]);
    expect(await seriousAxeViolations(phone, 'care-plans')).toEqual([]);
  });

  it('switches a plan off from its card, and hands the focus to the next card once one is deleted', async () => {
    await phone.getByTestId('care-plan-enabled-thanks').tap();
    await expect.poll(async () => ((await call('GET', '/care/plans/thanks')) as { enabled: boolean }).enabled).toBe(false);
    const [first, second] = await phone.locator('[data-testid^="care-plan-card-"]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-row-key') ?? ''));
    await phone.getByTestId(`care-plan-delete-${first ?? ''}`).focus();
    await phone.keyboard.press('Enter');
    await expect.poll(() => focusedControl(phone)).toBe('care-plan-delete-ok');
    await phone.keyboard.press('Enter');
    await expect.poll(() => phone.getByTestId(`care-plan-card-${first ?? ''}`).count()).toBe(0);
    await expect.poll(() => focusedControl(phone)).toBe(`care-plan-delete-${second ?? ''}`);
  });

  it('keeps the table on a wide screen', async () => {
    const desktop = session?.page;
    if (!desktop) throw new Error('no desktop page');
    await desktop.setViewportSize({ width: 1440, height: 900 });
    await signInAs(desktop, base, admin, 'zh-CN');
    await desktop.goto(`${base}/care?tab=plans`);
    await desktop.getByTestId('care-plans').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await desktop.locator('[data-testid^="care-plan-card-"]').count()).toBe(0);
    expect(await fitsWidth(desktop)).toBe(true);
  });
});
