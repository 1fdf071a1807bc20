// The web console in a real browser (Debian's Chromium through playwright-core) against an
// in-process server over a small demo store: the walk an operator takes on a first visit.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { consoleBuilt } from '../../src/api/static.js';
import { runDemo } from '../../src/cli/demo/run-demo.js';
import { buildConsole } from '../../src/cli/serve.js';
import { systemClock } from '../../src/core/time.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { openStore, type Store } from '../../src/store/connect.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');
// CI must run this walk; elsewhere a machine without Chromium skips it and says why.
const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runnable) console.warn(`skipping the console walk: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.runIf(runnable)('web console', () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    if (!consoleBuilt()) await buildConsole();
    store = await openStore(join(mkdtempSync(join(tmpdir(), 'tagbase-web-')), 'store.db'));
    await store.migrate();
    await runDemo(store, { workspace: 'demo', customers: 300, eventsPerCustomer: 5, seed: 7, progress: false, now: systemClock }, () => undefined);
    app = await buildServer({ store, now: systemClock, index: new IndexRegistry(store) });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

  it('opens the overview of the demo workspace with the customer count and the RFM chart', async () => {
    await page.goto(base);
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('300');
    await page.getByTestId('rfm-chart').locator('canvas').waitFor();
    await page.getByTestId('rfm-trend').locator('canvas').waitFor();
    await page.getByTestId('recent-changes').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('workspace-switcher').textContent()).toContain('demo');
    await page.waitForTimeout(600); // the charts' entry animation
    await shoot('overview');
  });

  it('finds a customer, opens the portrait, adds a manual tag and sees it in the history', async () => {
    await page.getByTestId('actor-input').fill('导购-王芳');
    await page.getByTestId('actor-input').press('Enter');
    await page.getByRole('menuitem', { name: '客户' }).click();
    // The best customer has the fullest portrait (an RFM level, metrics, a timeline); one without golf yet, so adding it is a change.
    const best = await bestCustomer(base);
    await page.getByTestId('customer-search').fill(best.id);
    await page.getByTestId('customer-search').press('Enter');
    await expect.poll(() => page.getByTestId('customer-table').locator('tbody tr.ant-table-row').count()).toBe(1);
    await page.getByTestId('customer-table').getByRole('link', { name: best.id }).click();
    await page.getByTestId('portrait-fields').waitFor();
    expect(await page.getByTestId('identity-phone').textContent()).toMatch(/^\d{3}\*{4}\d{4}$/);
    await pick(page, 'add-tag-tag', '兴趣爱好');
    await pick(page, 'add-tag-value', '高尔夫');
    await page.getByTestId('add-tag-submit').click();
    await expect.poll(() => page.getByTestId('portrait-history').textContent()).toContain('兴趣爱好: 高尔夫');
    expect(await page.getByTestId('portrait-history').textContent()).toContain('导购-王芳');
    expect(await page.getByTestId('portrait-tags').textContent()).toContain('兴趣爱好: 高尔夫');
    expect(await page.getByTestId('rfm-explanation').textContent()).toMatch(/R \d+ 天/);
    await page.evaluate('window.scrollTo(0, 0)');
    await shoot('portrait');
  });

  it('filters customers by an expression, shows the count and errors, and tags all that match', async () => {
    await page.getByRole('menuitem', { name: '客户' }).click();
    await page.getByTestId('customer-filter').fill('ctiy = "上海"');
    await expect.poll(() => page.getByTestId('customer-filter-status').textContent()).toMatch(/第 1 行第 1 列/);
    const expression = 'city in ("上海", "北京") and orders_total >= 1';
    await page.getByTestId('customer-filter').fill(expression);
    await page.getByTestId('customer-filter-count').waitFor();
    const expected = await count(base, expression);
    expect(expected).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('customer-filter-count').getAttribute('data-count'))).toBe(expected);
    await page.getByTestId('select-all-matching').click();
    await page.evaluate('window.scrollTo(0, 0)');
    await shoot('customers');
    await page.getByTestId('bulk-tag-button').click();
    await pick(page, 'bulk-tag', '重点关怀');
    await pick(page, 'bulk-value', '是');
    // The confirmation counts only those who lack the value: the demo already tagged a few.
    const changing = await count(base, `(${expression}) and not vip_care = "是"`);
    await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toContain(`将为 ${changing} 位客户添加「重点关怀: 是」（所选 ${expected} 位`);
    await page.getByTestId('bulk-confirm').click();
    await page.getByText(`已变更 ${changing} 位客户`).waitFor();
    expect(await count(base, `(${expression}) and vip_care = "是"`)).toBe(expected);
  });

  it('builds and saves a segment and lists it with its count', async () => {
    await page.getByRole('menuitem', { name: '人群' }).click();
    const expression = 'vip_care = "是"';
    await page.getByTestId('segment-expression').fill(expression);
    await page.getByTestId('segment-expression-count').waitFor();
    await page.getByTestId('segment-name').fill('重点关怀客户');
    await page.getByTestId('segment-key').fill('vip_care_list');
    await page.getByTestId('segment-save').click();
    const expected = String(await count(base, expression));
    await expect.poll(() => page.getByTestId('segment-count-vip_care_list').textContent()).toBe(expected);
    await shoot('segments');
  });
});

/** Chooses an option of an Ant Design select by its text. */
async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${option}$`) }).first().click();
}

async function bestCustomer(base: string): Promise<{ id: string }> {
  const response = await fetch(`${base}/api/v1/segments/preview?sort=-spend_365d&limit=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ expression: 'rfm exists and not interests has any ("golf")' }) });
  const page = (await response.json()) as { items: { id: string }[] };
  if (!page.items[0]) throw new Error('the demo store has no customer with an RFM level');
  return page.items[0];
}

async function count(base: string, expression: string): Promise<number> {
  const response = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ expression }) });
  return ((await response.json()) as { count: number }).count;
}
