// Giving a customer a tag for some days only from the portrait, as the API (`expires_at`) and the
// command line (`--expires-in`) do: the field says the tag's own default while it is left empty.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callApi, consoleRunnable, type ConsoleSession, pick, screenshotFailure, startConsole, stopConsole } from '../support/console.js';
import { DEFAULT_WORKSPACE, ensureWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';

const runnable = consoleRunnable('tagging with an expiry in the portrait');
const DAY = 86_400_000;

interface PortraitJson {
  tags: { tag: string; value: string; expires_at: string | null }[];
}

describe.runIf(runnable)('tagging with an expiry in the portrait', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  const call = (method: string, path: string, body?: unknown) => callApi(base, method, path, body, {});

  beforeAll(async () => {
    session = await startConsole({ name: 'web-tag-expiry', demo: null, prepare: async (store) => void (await ensureWorkspace(store, DEFAULT_WORKSPACE, 'Default', systemClock)) });
    ({ page, base } = session);
    await call('POST', '/customers', { customers: [{ id: 'C1', name: '张三' }] });
    await call('POST', '/tags', { key: 'campaign', name: '双十一活动', default_expiry_days: 90, values: [{ key: 'joined', name: '已参加' }] });
    await call('POST', '/tags', { key: 'hobby', name: '兴趣', cardinality: 'multi', values: [{ key: 'golf', name: '高尔夫' }] });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'tag-expiry', context.task));

  // The test id is on the input itself, or on the box around it, as antd places it.
  const expiryInput = () => page.locator('input[data-testid="add-tag-expiry"], [data-testid="add-tag-expiry"] input').first();
  const expiryOf = async (tag: string) => ((await call('GET', '/customers/C1')) as PortraitJson).tags.find((held) => held.tag === tag)?.expires_at;

  it('gives a value for the days typed, and says the tag’s default while none are', async () => {
    await page.goto(`${base}/customers/C1`);
    const expiry = expiryInput();
    await pick(page, 'add-tag-tag', '双十一活动');
    expect(await expiry.getAttribute('placeholder')).toBe('默认 90 天');
    await pick(page, 'add-tag-value', '已参加');
    await expiry.fill('30');
    const before = Date.now();
    await page.getByTestId('add-tag-submit').click();
    await expect.poll(() => expiryOf('campaign')).not.toBeUndefined();
    const after = Date.now();
    const expiresAt = new Date((await expiryOf('campaign')) ?? '').getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + 30 * DAY);
    // Emptied after adding, so the next tag is not given those days unasked.
    await expect.poll(() => expiry.inputValue()).toBe('');
    // A tag without a default never expires unless told: said so.
    await pick(page, 'add-tag-tag', '兴趣');
    expect(await expiry.getAttribute('placeholder')).toBe('永不过期');
    await pick(page, 'add-tag-value', '高尔夫');
    // A multi-valued tag's list stays open for more values.
    await page.keyboard.press('Escape');
    await page.getByTestId('add-tag-submit').click();
    await expect.poll(async () => ((await call('GET', '/customers/C1')) as PortraitJson).tags.some((held) => held.tag === 'hobby')).toBe(true);
    expect(await expiryOf('hobby')).toBeNull();
  });

  it('says the default in English too', async () => {
    await page.evaluate("localStorage.setItem('tagbase.lang', 'en-US')");
    try {
      await page.goto(`${base}/customers/C1`);
      await pick(page, 'add-tag-tag', '双十一活动');
      await expect.poll(() => expiryInput().getAttribute('placeholder')).toBe('90 days by default');
    } finally {
      await page.evaluate("localStorage.setItem('tagbase.lang', 'zh-CN')");
    }
  });
});
