// The tag transitions page in a real browser (Debian's Chromium through playwright-core) against
// an in-process server over a small demo store, with a tag whose history was written 40 and 10
// days ago: what an operator reads there, and the customers behind a number.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tagInputSchema } from '../../src/core/tag.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { createTag, removeTagValue } from '../../src/engine/library.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import type { Store } from '../../src/store/connect.js';
import { PHONE, consoleRunnable, fitsWidth, openInLanguage, phonePage, pick, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');
const DAY = 86_400_000;
const runnable = consoleRunnable('the tag transitions page');

/**
 * 40 days ago: 认知 ×10, 兴趣 ×6, 旧阶段 ×3. 10 days ago: 4 认知 → 兴趣, 2 兴趣 → 购买, 1 兴趣
 * removed, 3 new customers → 购买, and 旧阶段 removed from the tag with its 3 customers moved to
 * 认知. Over the last 30 days, then: 19 held it at the start and 21 at the end; 9 stayed, 9
 * moved, 3 entered, 1 left. Returns the customers in id order, as the members list pages them.
 */
async function writeJourneyHistory(store: Store): Promise<string[]> {
  const workspace = await store.db.selectFrom('workspaces').select('id').where('key', '=', 'demo').executeTakeFirstOrThrow();
  const daysAgo = (days: number): WorkspaceContext => ({ store, workspaceId: workspace.id, workspaceKey: 'demo', actor: 'test', now: () => new Date(Date.now() - days * DAY) });
  const customers = (await store.db.selectFrom('customers').select('external_id').where('merged_into', 'is', null).orderBy('id').limit(23).execute()).map((row) => row.external_id);
  const some = (from: number, to: number) => customers.slice(from, to);
  const [before, during] = [daysAgo(40), daysAgo(10)];
  await createTag(
    before,
    tagInputSchema.parse({
      key: 'journey',
      name: '客户旅程',
      ordered: true,
      values: [
        { key: 'aware', name: '认知', color: '#1677ff' },
        { key: 'interest', name: '兴趣', color: '#52c41a' },
        { key: 'purchase', name: '购买', color: '#fa8c16' },
        { key: 'legacy', name: '旧阶段' },
      ],
    }),
  );
  const assign = (context: WorkspaceContext, value: string, who: string[]) => assignTag(context, { tag: 'journey', value, customers: who, source: 'manual' });
  await assign(before, 'aware', some(0, 10));
  await assign(before, 'interest', some(10, 16));
  await assign(before, 'legacy', some(16, 19));
  await assign(during, 'interest', some(0, 4));
  await assign(during, 'purchase', some(10, 12));
  await removeTag(during, { tag: 'journey', customers: some(12, 13), source: 'manual' });
  await assign(during, 'purchase', some(20, 23));
  await removeTagValue(during, 'journey', 'legacy', { onAssigned: 'move', moveTo: 'aware' });
  return customers;
}

/**
 * A tag most customers hold one value of, and three values one customer each: in the flow diagram,
 * bars a pixel high side by side. 40 days ago 100 customers 普通 and one each 银卡, 金卡, 钻石; 10
 * days ago one 普通 became 银卡.
 */
async function writeSkewedHistory(store: Store, customers: string[]): Promise<void> {
  const workspace = await store.db.selectFrom('workspaces').select('id').where('key', '=', 'demo').executeTakeFirstOrThrow();
  const daysAgo = (days: number): WorkspaceContext => ({ store, workspaceId: workspace.id, workspaceKey: 'demo', actor: 'test', now: () => new Date(Date.now() - days * DAY) });
  const values = [
    { key: 'plain', name: '普通' },
    { key: 'silver', name: '银卡' },
    { key: 'gold', name: '金卡' },
    { key: 'diamond', name: '钻石' },
  ];
  await createTag(daysAgo(40), tagInputSchema.parse({ key: 'card', name: '会员卡', ordered: true, values }));
  const assign = (days: number, value: string, who: string[]) => assignTag(daysAgo(days), { tag: 'card', value, customers: who, source: 'manual' });
  await assign(40, 'plain', customers.slice(0, 100));
  await assign(40, 'silver', customers.slice(100, 101));
  await assign(40, 'gold', customers.slice(101, 102));
  await assign(40, 'diamond', customers.slice(102, 103));
  await assign(10, 'silver', customers.slice(0, 1));
}

// Generous waits, as in console.test.ts: a slow step on a busy machine must not read as a broken one.
describe.runIf(runnable)('tag transitions page', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  let customers: string[] = [];

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-transitions',
      demo: { customers: 120, eventsPerCustomer: 5, seed: 11 },
      prepare: async (store) => {
        customers = await writeJourneyHistory(store);
        const everyone = await store.db.selectFrom('customers').select('external_id').where('merged_into', 'is', null).orderBy('id').limit(103).execute();
        await writeSkewedHistory(store, everyone.map((row) => row.external_id));
      },
    });
    ({ page, base } = session);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'transitions', context.task));

  const stat = (id: string) => page.getByTestId(`transitions-stat-${id}`).locator('.ant-statistic-content-value').textContent();
  const stats = async () => ({
    from: await stat('customers-from'),
    to: await stat('customers-to'),
    stayed: await stat('stayed'),
    moved: await stat('moved'),
    entered: await stat('entered'),
    left: await stat('left'),
  });
  /** A matrix number, by the values at each end (`-` for none). */
  const cell = (from: string, to: string) => page.getByTestId(`transitions-cell-${from}>${to}`);
  const figure = (value: string, column: string) => page.getByTestId(`transitions-value-${value}-${column}`).textContent();
  /** A figure of the values-now profile, by row (`value-KEY`, `holders` or `everyone`) and column (`customers`, `share` or a metric key). */
  const profileFigure = (row: string, column: string) => page.getByTestId(`transitions-profile-${row}-${column}`).textContent();
  // In the header only: a table that scrolls sideways also measures its headings in a hidden row.
  const profileMetric = (key: string) => page.getByTestId('transitions-profile').locator('thead').getByTestId(`transitions-profile-metric-${key}`);
  /** The names on the flow diagram that run into each other, in pairs. */
  const overlappingLabels = async () => {
    const labels = await page
      .getByTestId('transitions-sankey')
      .locator('svg text')
      .evaluateAll((texts) => texts.map((text) => ({ name: text.textContent ?? '', box: text.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number } })));
    expect(labels.length).toBeGreaterThan(0);
    return labels.flatMap((a, i) =>
      labels.slice(i + 1).filter((b) => a.box.x < b.box.x + b.box.width && b.box.x < a.box.x + a.box.width && a.box.y < b.box.y + b.box.height && b.box.y < a.box.y + a.box.height).map((b) => `${a.name} × ${b.name}`),
    );
  };
  const addressMetrics = () => new URL(page.url()).searchParams.get('metrics');
  /** The elements within `root` that scroll sideways (their content wider than their room), by class. */
  const sidewaysScrollers = (root: Locator) =>
    root.evaluate((element) =>
      [element, ...Array.from(element.querySelectorAll('*'))]
        .filter((each) => each.scrollWidth > each.clientWidth + 1 && ['auto', 'scroll'].includes(each.ownerDocument.defaultView?.getComputedStyle(each).overflowX ?? ''))
        .map((each) => each.className),
    );

  it('opens a tag from the tag library and shows who held it, stayed, moved, came and went over the last 30 days', async () => {
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-transitions-journey').click();
    await page.waitForURL((url) => url.pathname === '/transitions' && url.searchParams.get('tag') === 'journey');
    await expect.poll(() => page.getByTestId('transitions-tag').textContent()).toContain('客户旅程');
    expect(await page.getByTestId('transitions-preset').locator('.ant-radio-button-wrapper-checked').textContent()).toBe('近30天');
    await expect.poll(stats).toEqual({ from: '19', to: '21', stayed: '9', moved: '9', entered: '3', left: '1' });
    await page.getByTestId('transitions-sankey').locator('svg text').first().waitFor();
  });

  it('counts each flow in the matrix, and leaves a value removed since unclickable', async () => {
    expect(await cell('aware', 'interest').textContent()).toBe('4');
    expect(await cell('aware', 'aware').textContent()).toBe('6');
    expect(await cell('interest', 'purchase').textContent()).toBe('2');
    expect(await cell('interest', '-').textContent()).toBe('1');
    expect(await cell('-', 'purchase').textContent()).toBe('3');
    expect(await cell('purchase', 'aware').textContent()).toBe('0');
    // 旧阶段 left the tag with its customers moved to 认知: counted, named from the history, not listed.
    const removed = cell('removed:旧阶段', 'aware');
    expect(await removed.textContent()).toBe('3');
    expect(await removed.evaluate((element) => element.tagName)).not.toBe('BUTTON');
    expect(await page.getByTestId('transitions-matrix').textContent()).toContain('已删除');
    // The diagonal, those who kept their value, stands out.
    const background = (locator: ReturnType<typeof cell>) => locator.evaluate((element) => (globalThis as unknown as { getComputedStyle(target: unknown): { backgroundColor: string } }).getComputedStyle(element.closest('td') ?? element).backgroundColor);
    expect(await background(cell('aware', 'aware'))).not.toBe(await background(cell('aware', 'interest')));
  });

  it('lists the customers behind a number in a drawer, each linked to their portrait', async () => {
    await cell('aware', 'interest').click();
    const drawer = page.getByTestId('transitions-members-drawer');
    await expect.poll(() => drawer.locator('.ant-drawer-title').textContent()).toBe('「认知」→「兴趣」');
    const rows = page.getByTestId('transitions-members').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await page.getByTestId('transitions-members-total').textContent()).toBe('共 4 位客户');
    const first = customers[0] ?? '';
    expect(await rows.first().getByRole('link', { name: first, exact: true }).getAttribute('href')).toBe(`/customers/${first}`);
    expect(await rows.first().textContent()).toContain('客户旅程: 兴趣');
    // The whole flow goes out as a file, and the export log names it.
    const download = page.waitForEvent('download');
    await page.getByTestId('transitions-members-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('journey-aware-interest.csv');
    const text = readFileSync((await file.path()) ?? '', 'utf8');
    expect(text.trim().split('\r\n').length).toBe(5);
    // Headed for people, in the console's language.
    expect(text.startsWith('\uFEFF编号,姓名,类型,性别,城市,会员等级,手机,标签')).toBe(true);
    expect(text).toContain(first);
    // An export the server refuses says why, rather than nothing.
    await page.route(/\/transitions\/export/, (route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ status: 503, code: 'UNAVAILABLE', title: 'Service Unavailable', detail: '导出暂时不可用' }) }));
    await page.getByTestId('transitions-members-export').click();
    await page.locator('.ant-message').getByText('导出暂时不可用').waitFor();
    await page.unroute(/\/transitions\/export/);
    // Everyone of the flow gets a tag in one go, after saying how many it is for.
    await page.getByTestId('transitions-members-tag').click();
    await pick(page, 'bulk-tag', '重点关怀');
    await pick(page, 'bulk-value', '是');
    await expect.poll(() => page.getByTestId('bulk-summary').textContent()).toBe('将为这 4 位客户添加「重点关怀: 是」，已有此标签的不变。');
    await page.getByTestId('bulk-confirm').click();
    await page.getByText(/^已为 \d 位客户添加「重点关怀: 是」$/).waitFor();
    await expect.poll(async () => (await rows.allTextContents()).filter((row) => row.includes('重点关怀: 是')).length).toBe(4);
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    // Held nothing at the start: the members endpoint's `-`.
    await cell('-', 'purchase').click();
    await expect.poll(() => page.getByTestId('transitions-members-total').textContent()).toBe('共 3 位客户');
    const newcomer = customers[20] ?? '';
    await page.getByTestId('transitions-members').getByRole('link', { name: newcomer, exact: true }).click();
    await page.waitForURL(`${base}/customers/${newcomer}`);
    await page.getByTestId('portrait-fields').waitFor();
  });

  it('shows per value who held it at each end, gained and lost it, and the net change', async () => {
    await page.goto(`${base}/transitions?tag=journey`);
    await expect.poll(() => figure('aware', 'held-from')).toBe('10');
    expect([await figure('aware', 'held-to'), await figure('aware', 'gained'), await figure('aware', 'lost'), await figure('aware', 'net')]).toEqual(['9', '+3', '−4', '−1']);
    expect([await figure('interest', 'held-from'), await figure('interest', 'held-to'), await figure('interest', 'net')]).toEqual(['6', '7', '+1']);
    expect([await figure('purchase', 'held-from'), await figure('purchase', 'held-to'), await figure('purchase', 'gained')]).toEqual(['0', '5', '+5']);
    expect([await figure('removed:旧阶段', 'held-from'), await figure('removed:旧阶段', 'held-to'), await figure('removed:旧阶段', 'net')]).toEqual(['3', '0', '−3']);
  });

  it('shows what each value holds now, beside the tag’s holders and everyone, by the RFM measures', async () => {
    await expect.poll(() => profileFigure('value-aware', 'customers')).toBe('9');
    expect([await profileFigure('value-interest', 'customers'), await profileFigure('value-purchase', 'customers'), await profileFigure('holders', 'customers')]).toEqual(['7', '5', '21']);
    // Everyone is the demo's 120 customers, whatever the period above says.
    expect(await profileFigure('everyone', 'customers')).toBe('120');
    expect(await page.getByTestId('transitions-profile-population').textContent()).toBe('当前 · 共 120 位客户');
    expect([await profileFigure('value-purchase', 'share'), await profileFigure('everyone', 'share')]).toEqual(['4.2%', '100.0%']);
    expect(await profileMetric('spend_365d').textContent()).toContain('近365天消费额');
    expect(await profileMetric('days_since_last_order').textContent()).toContain('距上次消费天数');
    // Money to the cent, beside its sum.
    expect(await profileFigure('everyone', 'spend_365d-mean')).toMatch(/^[\d,]+\.\d\d$/);
    expect(await profileFigure('everyone', 'spend_365d-sum')).toMatch(/^合计 [\d,]+\.\d\d$/);
    // An average, or days since, has a mean and no sum: adding those up means nothing.
    expect(await profileFigure('everyone', 'days_since_last_order-mean')).toMatch(/^[\d,.]+$/);
    expect(await page.getByTestId('transitions-profile-everyone-days_since_last_order-sum').count()).toBe(0);
    expect(await profileMetric('days_since_last_order').textContent()).toBe('距上次消费天数人均 · 中位数');
    expect(await profileMetric('spend_365d').textContent()).toBe('近365天消费额人均 · 中位数 · 合计');
    // Beside the mean, the median and the quartiles, as the API gives them: spend is skewed, so they differ.
    const profile = (await (await fetch(`${base}/api/v1/tags/journey/profile`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as { everyone: { metrics: Record<string, { median: number; p25: number; p75: number }> } };
    const spend = profile.everyone.metrics.spend_365d;
    const money = (value: number | undefined) => (value ?? NaN).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(await profileFigure('everyone', 'spend_365d-median')).toBe(`中位数 ${money(spend?.median)}（${money(spend?.p25)}–${money(spend?.p75)}）`);
    expect(addressMetrics()).toBeNull();
  });

  it('compares the values by the metrics picked, kept in the address so a link shows them again', async () => {
    const picker = page.getByTestId('transitions-profile-metrics');
    await picker.click();
    await picker.locator('input').fill('近30天订单数');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '近30天订单数' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => profileMetric('orders_30d').count()).toBe(1);
    expect(addressMetrics()).toBe('spend_365d,orders_365d,avg_order_value,days_since_last_order,orders_30d');
    expect(await profileFigure('holders', 'orders_30d')).toMatch(/^[\d.,]+中位数 [\d.,]+（[\d.,]+–[\d.,]+）合计 [\d,]+$|^—$/);

    await picker.locator('.ant-select-selection-item').filter({ hasText: '平均单价' }).locator('.ant-select-selection-item-remove').click();
    await expect.poll(() => profileMetric('avg_order_value').count()).toBe(0);
    expect(addressMetrics()).toBe('spend_365d,orders_365d,days_since_last_order,orders_30d');

    await page.goto(page.url());
    await expect.poll(() => profileMetric('orders_30d').count()).toBe(1);
    expect(await profileMetric('avg_order_value').count()).toBe(0);
    expect(await picker.locator('.ant-select-selection-item').allTextContents()).toEqual(['近365天消费额', '近365天订单数', '距上次消费天数', '近30天订单数']);

    // Narrowed to a saved segment: its customers are everyone, and the address says which.
    const saved = await fetch(`${base}/api/v1/segments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ key: 'journey_aware', name: '认知阶段', expression: 'journey = "aware"' }) });
    expect(saved.status).toBe(201);
    await page.goto(page.url());
    await pick(page, 'transitions-profile-segment', '认知阶段');
    await expect.poll(() => page.getByTestId('transitions-profile-population').textContent()).toBe('当前 · 共 9 位客户');
    expect(new URL(page.url()).searchParams.get('segment')).toBe('journey_aware');
    expect(await profileFigure('value-aware', 'customers')).toBe('9');
    expect(await profileFigure('value-interest', 'customers')).toBe('0');
    expect(await page.getByTestId('transitions-profile').textContent()).toContain('人群「认知阶段」');
    await pick(page, 'transitions-profile-segment', '全体客户');
    await expect.poll(() => page.getByTestId('transitions-profile-population').textContent()).toBe('当前 · 共 120 位客户');
    expect(new URL(page.url()).searchParams.get('segment')).toBeNull();
  });

  it('compares other periods: nobody moved in the last 7 days, and everyone entered within 90', async () => {
    await page.getByTestId('transitions-preset').getByText('近7天').click();
    await expect.poll(stats).toEqual({ from: '21', to: '21', stayed: '21', moved: '0', entered: '0', left: '0' });
    expect(new URL(page.url()).searchParams.get('days')).toBe('7');
    await page.getByTestId('transitions-preset').getByText('近90天').click();
    await expect.poll(stats).toEqual({ from: '0', to: '21', stayed: '0', moved: '0', entered: '21', left: '0' });
  });

  it('picks a custom range on the calendar, and says so when nobody held the tag then', async () => {
    const date = (days: number) => new Date(Date.now() - days * DAY).toLocaleDateString('sv-SE');
    const picker = page.getByTestId('transitions-range');
    await picker.locator('input').first().click();
    await picker.locator('input').first().fill(date(60));
    await picker.locator('input').first().press('Enter');
    await picker.locator('input').nth(1).fill(date(50));
    await picker.locator('input').nth(1).press('Enter');
    await expect.poll(() => page.getByTestId('transitions-empty').textContent()).toContain('这段时间没有客户持有「客户旅程」');
    const address = new URL(page.url()).searchParams;
    expect([address.get('from'), address.get('to'), address.get('days')]).toEqual([date(60), date(50), null]);
    expect(await page.getByTestId('transitions-preset').locator('.ant-radio-button-wrapper-checked').count()).toBe(0);
    expect(await stat('customers-from')).toBe('0');
    expect(await page.getByTestId('transitions-matrix').count()).toBe(0);
  });

  it('shows the server’s refusal of a period that ends before it starts', async () => {
    // The picked days go as dates, for the server to read on the workspace's clock: asked once, not again when the console learns the zone.
    const asked: string[] = [];
    const countAsked = (request: { url: () => string }) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/tags/journey/transitions') asked.push(url.search);
    };
    page.on('request', countAsked);
    const zoneRead = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/workspaces');
    await page.goto(`${base}/transitions?tag=journey&from=2026-01-02&to=2026-01-01`);
    await expect.poll(() => page.getByTestId('transitions-error').textContent()).toContain('时间段的开始必须早于结束');
    // The zone known, and the page drawn again with it.
    await zoneRead;
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    page.off('request', countAsked);
    expect(asked).toEqual(['?from=2026-01-02&to=2026-01-01']);
    expect(await page.getByTestId('transitions-summary').count()).toBe(0);
    // A metric that is not a number does not add up: the profile says so, and the rest of the page stands.
    await page.goto(`${base}/transitions?tag=journey&metrics=last_order_at`);
    await expect.poll(() => page.getByTestId('transitions-profile-error').textContent()).toContain('只有数值指标才能汇总');
    await expect.poll(() => stat('customers-to')).toBe('21');
  });

  it('compares the values by shares (the refund rate, orders with a coupon) as percentages', async () => {
    await page.goto(`${base}/transitions?tag=journey&metrics=refund_rate,discount_order_share,avg_order_value`);
    const reply = await fetch(`${base}/api/v1/tags/journey/profile?metrics=refund_rate,discount_order_share`, { headers: { 'x-tagbase-workspace': 'demo' } });
    const everyone = ((await reply.json()) as { everyone: { metrics: Record<string, { mean: number | null }> } }).everyone.metrics;
    for (const key of ['refund_rate', 'discount_order_share']) {
      const mean = everyone[key]?.mean;
      if (mean === null || mean === undefined) throw new Error(`the demo has no ${key} to compare by`);
      await expect.poll(() => profileFigure('everyone', `${key}-mean`)).toMatch(/^\d{1,3}\.\d%$/);
      expect(Math.abs(Number((await profileFigure('everyone', `${key}-mean`))?.slice(0, -1)) - mean * 100)).toBeLessThanOrEqual(0.05);
    }
    // An average is a ratio too, of money to orders: not a share.
    expect(await profileFigure('everyone', 'avg_order_value-mean')).toMatch(/^[\d,]+\.\d\d$/);
  });

  it('lists who gained a value of a multi-valued tag from its gain in the per-value table', async () => {
    await page.goto(`${base}/transitions?tag=interests`);
    await page.getByTestId('transitions-multi').waitFor();
    const gained = page.getByTestId('transitions-value-golf-gained');
    await expect.poll(() => gained.textContent()).toMatch(/^\+\d+$/);
    const count = Number((await gained.textContent())?.slice(1));
    await gained.click();
    const drawer = page.getByTestId('transitions-members-drawer');
    await expect.poll(() => drawer.locator('.ant-drawer-title').textContent()).toBe('「未持有」→「高尔夫」');
    await expect.poll(() => page.getByTestId('transitions-members-total').textContent()).toBe(`共 ${count} 位客户`);
    expect(await page.getByTestId('transitions-members').locator('tbody tr.ant-table-row').first().textContent()).toContain('兴趣爱好: 高尔夫');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('speaks English too', async () => {
    await page.goto(`${base}/transitions?tag=journey`);
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => page.getByTestId('transitions-stat-customers-from').locator('.ant-statistic-title').textContent()).toBe('Held at start');
      expect(await page.getByRole('menuitem', { name: 'Tag transitions' }).count()).toBe(1);
      expect(await page.getByTestId('transitions-matrix').textContent()).toContain('No value');
      expect(await page.getByTestId('transitions-profile-card').locator('.ant-card-head-title').textContent()).toContain('Values now');
      await expect.poll(() => profileMetric('spend_365d').textContent()).toContain('Mean · median · total');
      expect(await profileFigure('everyone', 'spend_365d-median')).toMatch(/^median [\d,]+\.\d\d \([\d,]+\.\d\d–[\d,]+\.\d\d\)$/);
      // Built-in metrics by their English names, in the table's heads and among the picked ones.
      expect(await profileMetric('spend_365d').textContent()).toBe('Spend, last 365 days, net of refundsMean · median · total');
      expect(await profileMetric('days_since_last_order').textContent()).toBe('Days since last orderMean · median');
      expect(await page.getByTestId('transitions-profile-metrics').textContent()).toContain('Spend, last 365 days');
      expect(await page.getByTestId('transitions-profile-metrics').textContent()).not.toContain('近365天消费额');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
  });

  it('fits a phone: the tables scroll sideways, the chart shrinks, a flow’s customers keep their title readable', async () => {
    const phone = await page.context().browser()?.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    if (!phone) throw new Error('no browser to open a phone page in');
    phone.setDefaultTimeout(30_000);
    try {
      await phone.goto(`${base}/transitions?tag=journey`);
      await phone.getByTestId('transitions-matrix').locator('tbody tr.ant-table-row').first().waitFor();
      await phone.getByTestId('transitions-sankey').locator('svg text').first().waitFor();
      await phone.getByTestId('transitions-profile').locator('tbody tr.ant-table-row').first().waitFor();
      expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect((await phone.getByTestId('transitions-sankey').boundingBox())?.width).toBeLessThanOrEqual(390);
      // The matrix scrolls rather than squeeze its column headings to a character a line (认 / 知).
      const headings = await phone.getByTestId('transitions-matrix').locator('thead th').evaluateAll((cells) => cells.map((cell) => ({ text: cell.textContent ?? '', height: cell.getBoundingClientRect().height })));
      expect(headings.length).toBe(6);
      const lineHeight = 22;
      expect(headings.filter((heading) => heading.height > 2 * lineHeight + 20)).toEqual([]);
      // The customers of a flow: the title on a line of its own, the buttons above the list.
      await phone.getByTestId('transitions-cell-aware>interest').click();
      const drawer = phone.getByTestId('transitions-members-drawer');
      await expect.poll(() => drawer.locator('.ant-drawer-title').textContent()).toBe('「认知」→「兴趣」');
      expect((await drawer.locator('.ant-drawer-title').boundingBox())?.height).toBeLessThanOrEqual(lineHeight + 4);
      expect(await drawer.locator('.ant-drawer-extra').count()).toBe(0);
      await phone.getByTestId('transitions-members-export').waitFor();
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
      // Two months of calendar are wider than the room under the input: they scroll inside it.
      await phone.getByTestId('transitions-range').locator('input').first().click();
      await phone.locator('.ant-picker-dropdown:visible').waitFor();
      expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    } finally {
      await phone.close();
    }
  });

  it('lists a flow’s customers on a phone as cards the screen’s width, in Chinese and in English, where a table scrolled sideways', async () => {
    const browser = page.context().browser();
    if (!browser) throw new Error('no browser to open a phone page in');
    const { context, phone } = await phonePage(browser);
    try {
      for (const lang of ['zh-CN', 'en-US'] as const) {
        await openInLanguage(phone, `${base}/transitions?tag=journey`, lang);
        const period = await phone.getByTestId('transitions-period').textContent();
        await phone.getByTestId('transitions-cell-aware>interest').click();
        const drawer = phone.getByTestId('transitions-members-drawer');
        const list = drawer.getByTestId('transitions-members');
        const cards = list.locator('.tb-customer-card');
        await expect.poll(() => cards.count()).toBe(4);
        expect(await list.locator('table').count()).toBe(0);
        expect(await phone.getByTestId('transitions-members-total').textContent()).toBe(lang === 'zh-CN' ? '共 4 位客户' : '4 customers');
        // Whose it is, linking to the portrait, with the id; the values moved between and over when; the customer's tags.
        const id = customers[0] ?? '';
        const first = list.getByTestId(`customer-card-${id}`);
        expect(await first.getByRole('link').first().getAttribute('href')).toBe(`/customers/${encodeURIComponent(id)}`);
        const text = (await first.textContent()) ?? '';
        expect(text).toContain(id);
        expect(text).toContain(lang === 'zh-CN' ? '期初 → 期末认知 → 兴趣' : 'Start → end认知 → 兴趣');
        expect(text).toContain(`${lang === 'zh-CN' ? '时间段' : 'Period'}${period ?? ''}`);
        expect(text).toContain('客户旅程: 兴趣');
        // Nothing to scroll sideways to: not the page, nor anything in the drawer; every card within the screen.
        expect(await fitsWidth(phone)).toBe(true);
        expect(await sidewaysScrollers(drawer)).toEqual([]);
        await expect.poll(() => cards.evaluateAll((each, width) => each.every((card) => card.getBoundingClientRect().left >= 0 && card.getBoundingClientRect().right <= width), PHONE.width)).toBe(true);
        await drawer.locator('.ant-drawer-close').click();
        await drawer.waitFor({ state: 'hidden' });
      }
    } finally {
      await context.close();
    }
  });

  it('keeps the names of values held by a few customers apart in the flow diagram, their bars however thin', async () => {
    await page.goto(`${base}/transitions?tag=card`);
    await expect.poll(stats).toEqual({ from: '103', to: '103', stayed: '102', moved: '1', entered: '0', left: '0' });
    await expect.poll(() => page.getByTestId('transitions-sankey').locator('svg text').allTextContents()).toEqual(['普通', '银卡', '金卡', '钻石', '普通', '银卡', '金卡', '钻石']);
    expect(await overlappingLabels()).toEqual([]);
  });

  it('opens the RFM levels from the overview (the README screenshot)', async () => {
    await page.goto(base);
    await page.getByTestId('rfm-transitions').click();
    await page.waitForURL((url) => url.pathname === '/transitions' && url.searchParams.get('tag') === 'rfm');
    await expect.poll(() => page.getByTestId('transitions-tag').textContent()).toContain('RFM等级');
    await expect.poll(() => stat('customers-to')).not.toBe('0');
    await page.getByTestId('transitions-sankey').locator('svg text').first().waitFor();
    await page.mouse.move(640, 20);
    await page.screenshot({ path: join(SCREENSHOTS, 'transitions.png'), style: '.ant-message { display: none !important; }' });
    expect(await overlappingLabels()).toEqual([]);
    // All nine columns of the matrix (eight levels and none) fit the width of a laptop, without scrolling sideways.
    const matrix = page.getByTestId('transitions-matrix');
    expect(await matrix.locator('thead th').count()).toBe(10);
    const scroller = matrix.locator('.ant-table-content');
    expect(await scroller.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
    // And the RFM levels side by side now, further down the page.
    const card = page.getByTestId('transitions-profile-card');
    await card.locator('tbody tr.ant-table-row').nth(9).waitFor();
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(SCREENSHOTS, 'tag-profile.png') });
  });

  it('says the tags could not be read when the server is out of reach, instead of that there are none yet', async () => {
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-table').waitFor();
    // The server stops: every request from then on fails as a browser's fetch then does.
    await page.route(/\/api\/v1\//, (route) => route.abort('connectionrefused'));
    try {
      await page.getByRole('menuitem', { name: '标签流转' }).click();
      await page.getByTestId('transitions-library-error').getByText('无法连接服务器', { exact: false }).waitFor();
      expect(await page.getByTestId('transitions-no-tags').count()).toBe(0);
    } finally {
      await page.unrouteAll({ behavior: 'wait' });
    }
  });
});
