// The saved segments as an operator goes from them to their customers, in a real browser
// (Debian's Chromium through playwright-core), in Chinese and in English.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { answerConfirm, choose, consoleRunnable, openInLanguage, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the saved segments');

describe.runIf(runnable)('the saved segments', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-segments', demo: { customers: 60, eventsPerCustomer: 3, seed: 11 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'segments', context.task);
  });

  interface InsightAnswer {
    members: number;
    min_members: number;
    tags: { key: string; values: { key: string; members: number; tgi: number | null }[] }[];
    metrics: { key: string; members: { median: number | null; p25: number | null; p75: number | null } }[];
  }

  const count = async (expression: string) => {
    const reply = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ expression }) });
    return ((await reply.json()) as { count: number }).count;
  };

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`opens a segment's members in the customers list from its count, to look through, tag or export there (${lang})`, async () => {
      await openInLanguage(page, `${base}/segments`, lang);
      // The steps after this one read Chinese, whatever becomes of this one.
      onTestFinished(() => page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`));
      const members = String(await count('segment("active_buyers")'));
      const link = page.getByTestId('segment-members-active_buyers');
      await expect.poll(() => link.textContent()).toBe(members);
      expect(await link.getAttribute('aria-label')).toBe(lang === 'zh-CN' ? `查看「活跃买家」的 ${members} 位成员` : `See the ${members} members of “活跃买家”`);
      // What sets it apart: its metrics beside everyone's, then every tag's values against everyone's, the most distinctive first.
      const insight = (await (await fetch(`${base}/api/v1/segments/active_buyers/insight`, { headers: { 'x-tagbase-workspace': 'demo' } })).json()) as InsightAnswer;
      await page.getByTestId('segment-insight-open-active_buyers').click();
      const drawer = page.getByTestId('segment-insight');
      await expect.poll(() => drawer.getByTestId('segment-insight-summary').textContent()).toContain(lang === 'zh-CN' ? `中的 ${members} 位` : `${members} of `);
      expect(await page.locator('.ant-drawer-title').textContent()).toBe(lang === 'zh-CN' ? '人群洞察：活跃买家' : 'Insight: 活跃买家');
      expect(await drawer.getByTestId('segment-insight-metrics').locator('tbody tr.ant-table-row').count()).toBe(4);
      // The median beside the mean, and the quartiles under it, as the API gives them.
      const spend = insight.metrics.find((metric) => metric.key === 'spend_365d')?.members;
      const money = (value: number | null | undefined) => (value ?? NaN).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      expect(await drawer.getByTestId('segment-insight-median-spend_365d-value').textContent()).toBe(money(spend?.median));
      expect(await drawer.getByTestId('segment-insight-median-spend_365d-quartiles').textContent()).toBe(`${lang === 'zh-CN' ? '四分位' : 'quartiles'} ${money(spend?.p25)}–${money(spend?.p75)}`);
      expect(await drawer.getByTestId('segment-insight-metrics').locator('thead').textContent()).toContain(lang === 'zh-CN' ? '本人群中位数' : 'Segment (median)');
      expect(await drawer.locator('[data-testid^="segment-insight-tag-"]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-testid')))).toEqual(insight.tags.map((tag) => `segment-insight-tag-${tag.key}`));
      // A model's tag in the catalog's words of the reader's language.
      await expect.poll(() => drawer.getByTestId('segment-insight-tag-rfm').locator('.ant-card-head-title').textContent()).toBe(lang === 'zh-CN' ? 'RFM等级' : 'RFM level');
      const [first] = insight.tags;
      for (const value of first?.values ?? []) {
        const over = value.tgi !== null && value.tgi > 100 && value.members >= insight.min_members;
        const row = drawer.getByTestId(`segment-insight-value-${first?.key ?? ''}-${value.key}`);
        expect(await row.getAttribute('data-over')).toBe(String(over));
        expect(await row.getByTestId(`segment-insight-value-${first?.key ?? ''}-${value.key}-tgi`).textContent()).toBe(value.tgi === null ? '—' : `${over ? '↑ ' : ''}${String(value.tgi)}`);
      }
      await page.keyboard.press('Escape');
      await expect.poll(() => drawer.count()).toBe(0);
      await link.click();
      await page.waitForURL(/\/customers\?/);
      expect(new URL(page.url()).searchParams.get('filter')).toBe('segment("active_buyers")');
      // The filter names the segment, in the builder as everywhere else (once the saved segments
      // are read: the count may come first), and the list has its members.
      await expect.poll(() => page.getByTestId('customer-filter-count').getAttribute('data-count')).toBe(members);
      await expect.poll(async () => (await page.getByTestId('customer-filter-condition-0-subject').textContent())?.trim()).toBe('活跃买家');
    });
  }

  it('compares a snapshot with the segment now, and exports those who left or joined since', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const post = (path: string, body: unknown) => fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post('/customers', { customers: [{ id: 'SNAP-1', city: '拉萨' }, { id: 'SNAP-2', city: '拉萨' }] })).status).toBe(200);
    expect((await post('/segments', { key: 'lhasa', name: '拉萨客户', expression: 'city = "拉萨"' })).status).toBe(201);
    const snapshot = ((await (await post('/segments/lhasa/snapshots', {})).json()) as { id: number }).id;
    // Since the snapshot, SNAP-2 moved away and SNAP-3 came.
    expect((await post('/customers', { customers: [{ id: 'SNAP-2', city: '北京' }, { id: 'SNAP-3', city: '拉萨' }] })).status).toBe(200);
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-snapshots-lhasa').click();
    await page.getByTestId(`segment-snapshot-compare-${snapshot}`).click();
    const comparison = page.getByTestId('segment-snapshot-comparison');
    await expect.poll(() => comparison.getByTestId('segment-snapshot-stayed').textContent()).toContain('仍在1');
    expect(await comparison.getByTestId('segment-snapshot-left').textContent()).toContain('已离开1');
    expect(await comparison.getByTestId('segment-snapshot-joined').textContent()).toContain('新进入1');
    expect(await comparison.getByTestId('segment-snapshot-now').textContent()).toContain('现在共2');
    const file = page.waitForEvent('download');
    await page.getByTestId(`segment-snapshot-export-${snapshot}-left`).click();
    const left = await file;
    expect(left.suggestedFilename()).toBe(`拉萨客户-${snapshot}-已离开.csv`);
    const text = readFileSync(await left.path(), 'utf8');
    expect(text.trim().split('\n').slice(1).map((line) => line.split(',')[0])).toEqual(['SNAP-2']);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('export-log').locator('tbody tr.ant-table-row').first().textContent()).toMatch(new RegExp(`快照拉萨客户（lhasa#${snapshot}，已离开）1csv$`));
    // A segment nobody is in has nothing to compare, and says so.
    expect((await post('/segments', { key: 'kashgar', name: '喀什客户', expression: 'city = "喀什"' })).status).toBe(201);
    await page.reload();
    await page.getByTestId('segment-insight-open-kashgar').click();
    await expect.poll(() => page.getByTestId('segment-insight-empty').textContent()).toContain('这个人群目前没有成员，无可对比');
    await page.keyboard.press('Escape');
  });

  it('shows with a snapshot what the segments it read meant when it was taken', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const send = (method: string, path: string, body: unknown) => fetch(`${base}/api/v1${path}`, { method, headers, body: JSON.stringify(body) });
    expect((await send('POST', '/segments', { key: 'xining', name: '西宁客户', expression: 'city = "西宁"' })).status).toBe(201);
    expect((await send('POST', '/segments', { key: 'xining_buyers', name: '西宁买家', expression: 'segment("xining") and orders_total >= 1' })).status).toBe(201);
    expect((await send('POST', '/segments/xining_buyers/snapshots', {})).status).toBe(201);
    expect((await send('PATCH', '/segments/xining', { expression: 'city = "西宁" or city = "格尔木"' })).status).toBe(200);
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-snapshots-xining_buyers').click();
    const read = page.getByTestId('segment-snapshot-list').getByTestId('segment-snapshot-read');
    await expect.poll(() => read.textContent()).toBe('其中人群「西宁客户」（xining）当时为 city = "西宁"');
    await page.keyboard.press('Escape');
  });

  it('deletes a snapshot after asking, keeps its export in the log, and loads earlier snapshots beyond the first hundred', async () => {
    const headers = { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' };
    const post = (path: string, body: unknown) => fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post('/customers', { customers: [{ id: 'SNAP-9', city: '林芝' }] })).status).toBe(200);
    expect((await post('/segments', { key: 'nyingchi', name: '林芝客户', expression: 'city = "林芝"' })).status).toBe(201);
    // A segment frozen every day for a hundred and two days: a hundred come first, the rest on request.
    const taken: number[] = [];
    for (let day = 0; day < 102; day++) taken.push(((await (await post('/segments/nyingchi/snapshots', {})).json()) as { id: number }).id);
    const newest = taken[taken.length - 1] ?? 0;
    const oldest = taken[0] ?? 0;
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-snapshots-nyingchi').click();
    // The table's pager sits beside the table in the drawer.
    const pager = page.getByTestId('segment-snapshots').locator('.ant-pagination-item');
    const lastPage = () => pager.last().getAttribute('title');
    await expect.poll(lastPage).toBe('10');
    await page.getByTestId('segment-snapshots-more').click();
    await expect.poll(lastPage).toBe('11');
    await expect.poll(() => page.getByTestId('segment-snapshots-more').count()).toBe(0);
    await pager.last().click();
    await expect.poll(() => page.getByTestId(`segment-snapshot-compare-${oldest}`).count()).toBe(1);
    await pager.first().click();

    // Exported, compared, then deleted: the comparison goes with it, the export log keeps its line.
    const file = page.waitForEvent('download');
    await page.getByTestId(`segment-snapshot-export-${newest}`).click();
    expect((await file).suggestedFilename()).toBe(`林芝客户-${newest}.csv`);
    await page.getByTestId(`segment-snapshot-compare-${newest}`).click();
    await expect.poll(() => page.getByTestId('segment-snapshot-stayed').textContent()).toContain('仍在1');
    const remove = page.getByTestId(`segment-snapshot-delete-${newest}`);
    expect(await remove.getAttribute('aria-label')).toBe(`删除快照 #${newest}`);
    await remove.click();
    await expect.poll(() => page.locator('.ant-popconfirm-title').last().textContent()).toMatch(new RegExp(`^删除快照 #${newest}（.+）？$`));
    expect(await page.locator('.ant-popconfirm-description').last().textContent()).toBe('它冻结的成员名单一并删除，无法恢复；导出记录中它的导出仍然保留。');
    await page.getByTestId('segment-snapshot-delete-ok').click();
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain(`已删除快照 #${newest}`);
    await expect.poll(() => page.getByTestId(`segment-snapshot-compare-${newest}`).count()).toBe(0);
    expect(await page.getByTestId('segment-snapshot-comparison').count()).toBe(0);
    // The rest stay loaded, the earliest included.
    await expect.poll(lastPage).toBe('11');
    const left = (await (await fetch(`${base}/api/v1/segments/nyingchi/snapshots?limit=1000`, { headers })).json()) as { items: { id: number }[] };
    expect(left.items.map((item) => item.id)).toEqual(taken.slice(0, -1).reverse());
    await page.keyboard.press('Escape');
    await page.reload();
    await expect.poll(() => page.getByTestId('export-log').locator('tbody tr.ant-table-row').first().textContent()).toMatch(new RegExp(`快照林芝客户（nyingchi#${newest}）1csv$`));
    // In English, the same question in its words.
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'en-US')`);
    onTestFinished(() => page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`));
    await page.reload();
    await page.getByTestId('segment-snapshots-nyingchi').click();
    await expect.poll(() => page.getByTestId('segment-snapshots-more').textContent()).toBe('Load earlier snapshots');
    await page.getByTestId(`segment-snapshot-delete-${taken[taken.length - 2] ?? 0}`).click();
    await expect.poll(() => page.locator('.ant-popconfirm-title').last().textContent()).toMatch(new RegExp(`^Delete snapshot #${taken[taken.length - 2] ?? 0} \\(.+\\)\\?$`));
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('sorts the saved segments by name, by members and by when they were saved, in the order saved until asked', async () => {
    // Where the list has room for when each was saved beside the rest (not beside the builder on a laptop).
    await page.setViewportSize({ width: 1680, height: 900 });
    try {
      const reply = await fetch(`${base}/api/v1/segments`, { headers: { 'x-tagbase-workspace': 'demo' } });
      const saved = ((await reply.json()) as { items: { key: string; name: string; updated_at: string }[] }).items;
      await page.goto(`${base}/segments`);
      const list = page.getByTestId('segment-list');
      const keys = () => list.locator('tbody tr.ant-table-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-key') ?? ''));
      await expect.poll(keys).toEqual(saved.map((segment) => segment.key));
      const members = new Map<string, number>();
      for (const segment of saved) members.set(segment.key, await count(`segment("${segment.key}")`));
      await expect.poll(() => list.getByTestId(`segment-count-${saved[0]?.key ?? ''}`).textContent()).toBe(String(members.get(saved[0]?.key ?? '')));
      const heading = (name: string) => list.locator('thead th').filter({ hasText: new RegExp(`^${name}$`) });

      await heading('人数').click();
      expect(await keys()).toEqual(saved.map((segment) => segment.key).sort((a, b) => (members.get(a) ?? 0) - (members.get(b) ?? 0)));
      await heading('人数').click();
      expect(await keys()).toEqual(saved.map((segment) => segment.key).sort((a, b) => (members.get(b) ?? 0) - (members.get(a) ?? 0)));

      await heading('名称').click();
      const byName = await page.evaluate((names) => [...names].sort((a, b) => a.localeCompare(b, 'zh-CN')), saved.map((segment) => segment.name));
      expect(await keys()).toEqual(byName.map((name) => saved.find((segment) => segment.name === name)?.key));

      await heading('更新时间').click();
      await heading('更新时间').click();
      expect(await keys()).toEqual([...saved].sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at)).map((segment) => segment.key));
      // A third click puts the list back in the order saved.
      await heading('更新时间').click();
      expect(await keys()).toEqual(saved.map((segment) => segment.key));
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('offers, in a segment being changed, neither the segment itself nor a segment that reads it, which it may not read', async () => {
    const made = await fetch(`${base}/api/v1/segments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ key: 'active_valued', name: '活跃的重要价值客户', expression: 'segment("活跃买家") and segment("important_value")' }) });
    expect(made.status).toBe(201);
    await page.goto(`${base}/segments`);
    await page.getByTestId('segment-edit-active_buyers').click();
    const editor = page.getByTestId('segment-editor');
    await editor.getByTestId('segment-expression-add').click();
    await editor.getByTestId('segment-expression-condition-1-subject').click();
    await page.keyboard.type('客户');
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await options.filter({ hasText: /^重要价值客户$/ }).waitFor();
    const offered = await options.allTextContents();
    expect(offered).not.toContain('活跃的重要价值客户');
    expect(offered).not.toContain('活跃买家');
    await page.keyboard.press('Escape');
    await editor.getByTestId('segment-edit-cancel').click();
    // The segment that reads it is offered where it may be read: a new segment, or one it does not read.
    // Until the tags it names are known, a segment opened for a change offers no condition to add,
    // which its own conditions would replace when they come.
    let releaseTags = () => {};
    const tagsHeld = new Promise<void>((resolve) => (releaseTags = resolve));
    await page.route('**/api/v1/tags', async (route) => {
      await tagsHeld;
      await route.continue().catch(() => {});
    });
    await page.getByTestId('segment-edit-important_value').click();
    await editor.getByTestId('segment-expression-loading').waitFor();
    expect(await editor.getByTestId('segment-expression-add').count()).toBe(0);
    releaseTags();
    await page.unroute('**/api/v1/tags');
    await editor.getByTestId('segment-expression-condition-0-subject').filter({ hasText: 'RFM' }).waitFor();
    await editor.getByTestId('segment-expression-add').click();
    await editor.getByTestId('segment-expression-condition-1-subject').click();
    await page.keyboard.type('活跃');
    await options.filter({ hasText: /^活跃买家$/ }).waitFor();
    expect(await options.allTextContents()).not.toContain('活跃的重要价值客户');
    await page.keyboard.press('Escape');
    await editor.getByTestId('segment-edit-cancel').click();
    await page.getByTestId('segment-expression-condition-0-subject').click();
    await page.keyboard.type('活跃');
    await options.filter({ hasText: /^活跃的重要价值客户$/ }).waitFor();
  });
  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`lays a condition out cleanly in the segment builder on a laptop: the subject and × on one line, the operator and value under the subject (${lang})`, async () => {
      await openInLanguage(page, `${base}/segments`, lang);
      onTestFinished(() => page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`));
      const condition = (part: string) => page.getByTestId(`segment-expression-condition-0-${part}`);
      await choose(page, 'segment-expression-condition-0-subject', 'city', lang === 'zh-CN' ? '城市' : 'City');
      const box = async (part: string) => {
        const found = await condition(part).boundingBox();
        if (!found) throw new Error(`no ${part} in the condition`);
        return found;
      };
      const sameLine = (a: { y: number; height: number }, b: { y: number; height: number }) => Math.abs(a.y + a.height / 2 - (b.y + b.height / 2)) < 4;
      const [not, subject, remove, operator, value] = [await box('not'), await box('subject'), await box('remove'), await box('operator'), await box('value')];
      const card = (await page.locator('.ant-card').filter({ has: condition('subject') }).locator('.ant-card-body').boundingBox()) ?? { x: 0, width: 0 };
      // 非, the subject and its × on the first line, the × at the card's right edge, not on a line of its own.
      expect(sameLine(not, subject) && sameLine(subject, remove)).toBe(true);
      // The operator and the value together on the line below, from the subject's left edge.
      expect(sameLine(operator, value)).toBe(true);
      expect(operator.y).toBeGreaterThan(subject.y);
      expect(Math.abs(operator.x - subject.x)).toBeLessThanOrEqual(1);
      expect(value.x + value.width).toBeLessThanOrEqual(remove.x + remove.width + 1);
      expect(remove.x + remove.width).toBeLessThanOrEqual(card.x + card.width);
    });
  }
  it('says that a condition begun but not finished is left out, rather than only “no conditions: every customer”', async () => {
    await page.goto(`${base}/segments`);
    await choose(page, 'segment-expression-condition-0-subject', 'city', '城市');
    const unfinished = page.getByTestId('segment-expression-unfinished');
    await expect.poll(() => unfinished.textContent()).toBe('有 1 个条件还没填完，暂不计入：请填上它的值');
    expect(await page.getByTestId('segment-expression-text').textContent()).toBe('未设置条件：全部客户');
    await page.getByTestId('segment-expression-condition-0-value').fill('上海');
    await expect.poll(() => page.getByTestId('segment-expression-text').textContent()).toBe('city = "上海"');
    expect(await unfinished.count()).toBe(0);
    // The expression being built has its insight too, before it is saved.
    const shanghai = await count('city = "上海"');
    await page.getByTestId('segment-builder-insight').click();
    await expect.poll(() => page.getByTestId('segment-insight-summary').textContent()).toContain(`中的 ${String(shanghai)} 位`);
    expect(await page.locator('.ant-drawer-title').textContent()).toBe('人群洞察：当前条件');
    await page.keyboard.press('Escape');
  });

  it('says why 保存人群 is greyed out while no condition is set, before the name and the key', async () => {
    await page.goto(`${base}/segments`);
    expect(await page.getByTestId('segment-expression-text').textContent()).toBe('未设置条件：全部客户');
    await expect.poll(() => page.getByTestId('segment-save-missing').textContent()).toBe('还差条件');
    await page.getByTestId('segment-name').fill('上海客户');
    await page.getByTestId('segment-key').fill('shanghai');
    expect(await page.getByTestId('segment-save-missing').textContent()).toBe('还差条件');
    expect(await page.getByTestId('segment-save').isDisabled()).toBe(true);
    await choose(page, 'segment-expression-condition-0-subject', 'city', '城市');
    await page.getByTestId('segment-expression-condition-0-value').fill('上海');
    await expect.poll(() => page.getByTestId('segment-save-missing').count()).toBe(0);
    await expect.poll(() => page.getByTestId('segment-save').isDisabled()).toBe(false);
  });
});

describe.runIf(runnable)('a segment being changed', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-segments-changed', demo: { customers: 60, eventsPerCustomer: 3, seed: 11 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach(async (context) => {
    await screenshotFailure(page, 'segments-changed', context.task);
  });

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`keeps its unsaved changes when another segment is deleted, and asks before another is opened or the change cancelled (${lang})`, async () => {
      const made = await fetch(`${base}/api/v1/segments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ key: `spare_${lang.slice(0, 2)}`, name: '备用人群', expression: 'city = "上海"' }) });
      expect(made.status).toBe(201);
      await openInLanguage(page, `${base}/segments`, lang);
      onTestFinished(() => page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`));
      const zh = lang === 'zh-CN';
      await page.getByTestId('segment-edit-active_buyers').click();
      const editor = page.getByTestId('segment-editor');
      await editor.getByTestId('segment-name').fill('活跃买家（近90天）');
      // Deleting another segment leaves the change where it was.
      await page.getByTestId(`segment-delete-spare_${lang.slice(0, 2)}`).click();
      await page.getByTestId('segment-delete-ok').click();
      await expect.poll(() => page.getByTestId(`segment-delete-spare_${lang.slice(0, 2)}`).count()).toBe(0);
      expect(await editor.getByTestId('segment-name').inputValue()).toBe('活跃买家（近90天）');
      // Opening another asks; keeping on with this one keeps the change.
      await page.getByTestId('segment-edit-important_value').click();
      const dialog = page.locator('.ant-modal-confirm');
      await expect.poll(() => dialog.locator('.ant-modal-confirm-title').textContent()).toBe(zh ? '放弃对「活跃买家」未保存的修改？' : 'Discard the unsaved changes to “活跃买家”?');
      await answerConfirm(page, zh ? '继续修改' : 'Keep editing');
      expect(await editor.getByTestId('segment-name').inputValue()).toBe('活跃买家（近90天）');
      // So does 取消, which sits beside 保存修改.
      await editor.getByTestId('segment-edit-cancel').click();
      await answerConfirm(page, zh ? '继续修改' : 'Keep editing');
      expect(await editor.getByTestId('segment-name').inputValue()).toBe('活跃买家（近90天）');
      await page.getByTestId('segment-edit-important_value').click();
      await answerConfirm(page, zh ? '放弃修改' : 'Discard');
      await expect.poll(() => editor.getByTestId('segment-name').inputValue()).toBe('重要价值客户');
      // Unchanged, it gives way without a question.
      await editor.getByTestId('segment-edit-cancel').click();
      await expect.poll(() => editor.count()).toBe(0);
      expect(await dialog.count()).toBe(0);
    });
  }

  it('counts anew, once a segment is changed, what reads or compares it: the new segment being built on it and the overlap', async () => {
    const count = async (expression: string) => {
      const reply = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ expression }) });
      return String(((await reply.json()) as { count: number }).count);
    };
    await page.goto(`${base}/segments?compare=active_buyers,important_value`);
    // A new segment being built on the one about to change (its form is only hidden while the other is changed).
    const fresh = page.locator('.ant-col').first().locator('.ant-card').first();
    await fresh.getByTestId('segment-expression-mode-text').click();
    await fresh.getByTestId('segment-expression').fill('segment("active_buyers")');
    await expect.poll(() => fresh.getByTestId('segment-expression-count').getAttribute('data-count')).toBe(await count('segment("active_buyers")'));
    await expect.poll(() => page.getByTestId('compare-size-active_buyers').textContent()).toBe(await count('segment("active_buyers")'));
    await page.getByTestId('segment-edit-active_buyers').click();
    const editor = page.getByTestId('segment-editor');
    await editor.getByTestId('segment-expression-mode-text').click();
    await editor.getByTestId('segment-expression').fill('random_bucket < 50');
    const now = await count('random_bucket < 50');
    expect(now).not.toBe(await count('segment("active_buyers")'));
    await expect.poll(() => editor.getByTestId('segment-expression-count').getAttribute('data-count')).toBe(now);
    await editor.getByTestId('segment-save').click();
    await expect.poll(() => editor.count()).toBe(0);
    await expect.poll(() => page.getByTestId('segment-members-active_buyers').textContent()).toBe(now);
    await expect.poll(() => page.getByTestId('compare-size-active_buyers').textContent()).toBe(now);
    await expect.poll(() => fresh.getByTestId('segment-expression-count').getAttribute('data-count')).toBe(now);
  });

  it('keeps a new segment half built while the operator looks at another page, until it is saved', async () => {
    await page.goto(`${base}/segments`);
    const fresh = page.locator('.ant-col').first().locator('.ant-card').first();
    await choose(page, 'segment-expression-condition-0-subject', 'city', '城市');
    await fresh.getByTestId('segment-expression-condition-0-value').fill('上海');
    await expect.poll(() => fresh.getByTestId('segment-expression-text').textContent()).toBe('city = "上海"');
    await fresh.getByTestId('segment-name').fill('上海客户');
    // Away to the customers and back, within the console.
    await page.getByRole('menuitem', { name: '客户', exact: true }).click();
    await page.waitForURL(/\/customers/);
    await page.getByRole('menuitem', { name: '人群', exact: true }).click();
    await page.waitForURL(/\/segments/);
    await expect.poll(() => fresh.getByTestId('segment-expression-text').textContent()).toBe('city = "上海"');
    await expect.poll(async () => (await fresh.getByTestId('segment-expression-condition-0-subject').textContent())?.trim()).toBe('城市');
    expect(await fresh.getByTestId('segment-name').inputValue()).toBe('上海客户');
    await fresh.getByTestId('segment-key').fill('shanghai_draft');
    await expect.poll(() => fresh.getByTestId('segment-save').isDisabled()).toBe(false);
    await fresh.getByTestId('segment-save').click();
    await page.getByTestId('segment-members-shanghai_draft').waitFor();
    // Saved, it is not begun again.
    await page.getByRole('menuitem', { name: '客户', exact: true }).click();
    await page.waitForURL(/\/customers/);
    await page.getByRole('menuitem', { name: '人群', exact: true }).click();
    await page.waitForURL(/\/segments/);
    await expect.poll(() => fresh.getByTestId('segment-expression-text').textContent()).toBe('未设置条件：全部客户');
    expect(await fresh.getByTestId('segment-name').inputValue()).toBe('');
  });

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`keeps a saved segment's unsaved changes while the operator looks at another page, says they were restored, until they are cancelled (${lang})`, async () => {
      await openInLanguage(page, `${base}/segments`, lang);
      onTestFinished(() => page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`));
      const zh = lang === 'zh-CN';
      const away = async () => {
        await page.getByRole('menuitem', { name: zh ? '客户' : 'Customers', exact: true }).click();
        await page.waitForURL(/\/customers/);
        await page.getByRole('menuitem', { name: zh ? '人群' : 'Segments', exact: true }).click();
        await page.waitForURL(/\/segments/);
      };
      await page.getByTestId('segment-edit-important_value').click();
      const editor = page.getByTestId('segment-editor');
      await editor.getByTestId('segment-name').fill('重要价值客户（修改中）');
      expect(await editor.getByTestId('segment-edit-restored').count()).toBe(0);
      await away();
      await expect.poll(() => editor.getByTestId('segment-name').inputValue()).toBe('重要价值客户（修改中）');
      expect(await editor.getByTestId('segment-edit-restored').textContent()).toBe(zh ? '已恢复离开前未保存的修改。' : 'The changes not saved before you left were restored.');
      expect(await editor.getByTestId('segment-key').inputValue()).toBe('important_value');
      // Still changes not saved: 取消 asks, and once they are discarded they are not restored again.
      await editor.getByTestId('segment-edit-cancel').click();
      await answerConfirm(page, zh ? '放弃修改' : 'Discard');
      await expect.poll(() => editor.count()).toBe(0);
      await away();
      await page.getByTestId('segment-edit-important_value').waitFor();
      expect(await editor.count()).toBe(0);
      // Nor once they are saved.
      await page.getByTestId('segment-edit-important_value').click();
      await editor.getByTestId('segment-name').fill(`重要价值客户（${lang}）`);
      await expect.poll(() => editor.getByTestId('segment-save').isDisabled()).toBe(false);
      await editor.getByTestId('segment-save').click();
      await expect.poll(() => editor.count()).toBe(0);
      await away();
      await page.getByTestId('segment-edit-important_value').waitFor();
      expect(await editor.count()).toBe(0);
    });
  }

  it('asks before the tab is reloaded or closed only while segment work, new or changed, is unsaved', async () => {
    // A tab of its own, which the test reloads.
    if (!session) throw new Error('no console');
    const tab = await session.browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', reducedMotion: 'reduce' });
    onTestFinished(() => tab.close());
    const asked: string[] = [];
    tab.on('dialog', (dialog) => {
      asked.push(dialog.type());
      // Staying on the page, as an operator who meant to keep the work would.
      void dialog.dismiss();
    });
    // As the operator's reload would (this Chromium runs no beforeunload for page.close).
    const reload = () => tab.evaluate('void setTimeout(() => location.reload(), 0)');
    await tab.goto(`${base}/segments`);
    const fresh = tab.locator('.ant-col').first().locator('.ant-card').first();
    await fresh.getByTestId('segment-name').click();
    await fresh.getByTestId('segment-name').fill('半成品');
    await reload();
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(await fresh.getByTestId('segment-name').inputValue()).toBe('半成品');
    // Emptied again, nothing is unsaved; a saved segment changed is.
    await fresh.getByTestId('segment-name').fill('');
    await tab.getByTestId('segment-edit-active_buyers').click();
    const editor = tab.getByTestId('segment-editor');
    await editor.getByTestId('segment-name').fill('活跃买家（未保存）');
    await reload();
    await expect.poll(() => asked).toEqual(['beforeunload', 'beforeunload']);
    expect(await editor.getByTestId('segment-name').inputValue()).toBe('活跃买家（未保存）');
    await editor.getByTestId('segment-edit-cancel').click();
    await answerConfirm(tab, '放弃修改');
    await expect.poll(() => editor.count()).toBe(0);
    // Nothing unsaved: the tab reloads unasked.
    await Promise.all([tab.waitForEvent('load'), reload()]);
    await tab.getByTestId('segment-edit-active_buyers').waitFor();
    expect(asked).toEqual(['beforeunload', 'beforeunload']);
  });

  it('dims the count of the expression before an edit until the edited one is counted, rather than showing it as the new count', async () => {
    await page.goto(`${base}/segments`);
    const fresh = page.locator('.ant-col').first().locator('.ant-card').first();
    await fresh.getByTestId('segment-expression-mode-text').click();
    await fresh.getByTestId('segment-expression').fill('city = "上海"');
    const shown = fresh.getByTestId('segment-expression-count');
    await expect.poll(() => shown.getAttribute('data-stale')).toBe('false');
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/segments/count', async (route) => {
      if (route.request().postData()?.includes('北京')) await held;
      await route.continue().catch(() => {});
    });
    onTestFinished(() => page.unroute('**/api/v1/segments/count'));
    await fresh.getByTestId('segment-expression').fill('city = "北京"');
    await expect.poll(() => shown.getAttribute('data-stale')).toBe('true');
    expect(await shown.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).opacity)).toBe('0.45');
    release();
    await expect.poll(() => shown.getAttribute('data-stale')).toBe('false');
    const reply = await fetch(`${base}/api/v1/segments/count`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tagbase-workspace': 'demo' }, body: JSON.stringify({ expression: 'city = "北京"' }) });
    expect(await shown.getAttribute('data-count')).toBe(String(((await reply.json()) as { count: number }).count));
    expect(await shown.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).opacity)).toBe('1');
  });
});
