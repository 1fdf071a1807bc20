// The console in English for an operator whose browser keeps another clock than the shop's, in a
// real browser (Debian's Chromium through playwright-core): times in the workspace's zone, what
// a key may be, and the overview saying what it could not read rather than waiting for it.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import type { Store } from '../../src/store/connect.js';
import { consoleRunnable, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the console in English');

describe.runIf(runnable)('the console in English, in a browser set to New York time', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let store: Store;
  let context: BrowserContext;
  let page: Page;
  let base = '';
  let admin = '';

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-english',
      demo: { customers: 200, eventsPerCustomer: 4, seed: 5 },
      prepare: async (demo) => {
        admin = (await createAccessToken(demo, { name: 'Alice', role: 'admin' }, systemClock())).token;
        await createAccessToken(demo, { name: 'temp-bob', role: 'viewer', expiresInDays: 1 }, systemClock());
        // Ran out at 10:00 in Shanghai, the demo workspace's zone: 21:00 the evening before in New York.
        await demo.db.updateTable('access_tokens').set({ expires_at: Date.parse('2026-11-30T02:00:00Z') }).where('name', '=', 'temp-bob').execute();
      },
    });
    ({ store, base } = session);
    // As a reader whose system asks for less motion, as startConsole's page: a click right after a
    // field's message went (the key's rule, once the key is put right) lands on the button, not
    // where the button was before the message folded away.
    context = await session.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'America/New_York', reducedMotion: 'reduce' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(base);
    await page.evaluate(`localStorage.setItem('tagbase.token', ${JSON.stringify(admin)}); localStorage.setItem('tagbase.workspace', 'demo'); localStorage.setItem('tagbase.lang', 'en-US')`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stopConsole(session ?? {});
  });

  afterEach((test) => screenshotFailure(page, 'english', test.task));

  it("shows a token's expiry in the workspace's time zone, not the browser's", async () => {
    await page.goto(`${base}/tokens`);
    const row = page.getByTestId('token-table').locator('tbody tr.ant-table-row').filter({ hasText: 'temp-bob' });
    await expect.poll(() => row.textContent()).toContain('Expired');
    expect(await row.textContent()).toContain('2026-11-30 10:00');
    expect(await row.textContent()).not.toContain('2026-11-29 21:00');
  });

  it("writes a customer's type and gender as words, capitalised as the labels beside them", async () => {
    const listed = await fetch(`${base}/api/v1/customers?limit=100`, { headers: { authorization: `Bearer ${admin}`, 'x-tagbase-workspace': 'demo' } });
    const customer = ((await listed.json()) as { items: { id: string; type: string | null; gender: string | null; random_bucket: number }[] }).items.find((item) => item.type !== null && item.gender !== null);
    if (!customer) throw new Error('no demo customer with a type and a gender');
    await page.goto(`${base}/customers/${customer.id}`);
    const fields = page.getByTestId('portrait-fields');
    const type = { individual: 'Individual', company: 'Company', government: 'Government' }[customer.type ?? ''];
    const gender = { male: 'Male', female: 'Female', unknown: 'Unknown' }[customer.gender ?? ''];
    await expect.poll(() => fields.textContent()).toContain(`Type${type}`);
    expect(await fields.textContent()).toContain(`Gender${gender}`);
    await fields.getByTestId('portrait-technical').getByRole('button', { name: 'Technical details' }).click();
    await expect.poll(() => fields.getByTestId('portrait-technical').textContent()).toContain(`Random bucket${String(customer.random_bucket)}`);
  });

  it('counts accepted event batches, events and attempts in the singular when there is one', async () => {
    const workspaceId = (await store.db.selectFrom('workspaces').select('id').where('key', '=', 'demo').executeTakeFirstOrThrow()).id;
    const events = JSON.stringify({ duplicates: 0, events: [['EN-JOURNAL', 'EN-1', 'cart_added', Date.now() - 60_000, '{"sku":"SKU-9"}']] });
    const batch = (status: 'pending' | 'failed', attempts: number) =>
      store.db
        .insertInto('event_journal')
        .values({ workspace_id: workspaceId, actor: null, received_at: Date.now() - 30_000, received: 1, event_count: 1, events, status, attempts, error: status === 'failed' ? 'out of disk' : null })
        .returning('id')
        .executeTakeFirstOrThrow();
    await batch('failed', 1);
    const twice = await batch('failed', 2);
    // Held back so that nothing applies it while the page reads it: a pending batch applies at the next batch sent.
    await batch('pending', 0);
    try {
      await page.goto(base);
      const pending = page.getByTestId('journal-pending');
      await expect.poll(() => pending.textContent()).toMatch(/^Applying accepted events: 1 batch, 1 event, the oldest accepted /);
      const failed = page.getByTestId('journal-failed');
      expect(await failed.textContent()).toContain('2 accepted event batches failed to apply repeatedly and were set aside.');
      const rows = await failed.locator('.ant-list-item').allTextContents();
      expect(rows.some((row) => / · 1 event · accepted .+ · 1 attempt(?!s)/.test(row))).toBe(true);
      expect(await page.getByTestId(`journal-failed-${twice.id}`).textContent()).toMatch(/ · 1 event · accepted .+ · 2 attempts/);
    } finally {
      await store.db.deleteFrom('event_journal').where('workspace_id', '=', workspaceId).execute();
    }
  });

  it('heads the column of where a tag change came from “Source”, not “By” above “by hand”', async () => {
    await page.goto(base);
    const recent = page.getByTestId('recent-changes');
    await recent.locator('tbody tr.ant-table-row').first().waitFor();
    const headers = await recent.locator('thead th').allTextContents();
    expect(headers).toContain('Source');
    expect(headers).not.toContain('By');
  });

  it('names each item of the menu by its words alone, not with its icon’s name before them', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('menuitem', { name: 'Customers', exact: true }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Overview', exact: true }).count()).toBe(1);
  });

  it('takes a picked day of the tag transitions as the workspace’s day, as the page then shows it', async () => {
    await page.goto(`${base}/transitions?tag=rfm&from=2026-11-30&to=2026-11-30`);
    await expect.poll(() => page.getByTestId('transitions-period').textContent()).toBe('2026-11-30');
  });

  it('offers the workspace’s today on the calendar, not the browser’s, and nothing after it', async () => {
    const shanghaiMorning = await context.newPage();
    try {
      // 15:00 on 2 December in New York is 04:00 on 3 December in Shanghai, the workspace's zone.
      await shanghaiMorning.clock.setFixedTime(new Date('2026-12-02T20:00:00Z'));
      await shanghaiMorning.goto(`${base}/transitions?tag=rfm&from=2026-11-30&to=2026-11-30`);
      await shanghaiMorning.getByTestId('transitions-range').locator('input').first().click();
      const cell = (day: string) => shanghaiMorning.locator(`.ant-picker-dropdown:visible td.ant-picker-cell-in-view[title="${day}"]`);
      await cell('2026-12-03').waitFor();
      expect(await cell('2026-12-02').getAttribute('class')).not.toContain('ant-picker-cell-disabled');
      expect(await cell('2026-12-03').getAttribute('class')).not.toContain('ant-picker-cell-disabled');
      expect(await cell('2026-12-04').getAttribute('class')).toContain('ant-picker-cell-disabled');
    } finally {
      await shanghaiMorning.close();
    }
  });

  it('sets “No conditions: every customer” as the page’s text, and only the expression as code', async () => {
    await page.goto(`${base}/customers`);
    const text = page.getByTestId('customer-filter-text');
    await expect.poll(() => text.textContent()).toBe('No conditions: every customer');
    const font = () => text.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).fontFamily);
    const pageFont = await page.getByTestId('customer-filter-mode-builder').evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).fontFamily);
    expect(await font()).toBe(pageFont);
    await page.getByTestId('customer-filter-mode-text').click();
    await page.getByTestId('customer-filter').fill('city = "北京"');
    await page.getByTestId('customer-filter-mode-builder').click();
    await expect.poll(() => text.textContent()).toBe('city = "北京"');
    expect(await font()).toContain('monospace');
  });

  it('says what a key may be, in English and in Chinese, and saves a segment under a Chinese key', async () => {
    await page.goto(`${base}/segments`);
    const rule = 'Letters (Chinese characters too), digits, _ or -, starting with a letter or _, up to 64 characters';
    await page.getByText(`${rule}; expressions name the segment as segment("key").`).waitFor();
    await page.getByTestId('segment-key').fill('1st');
    await page.getByText('A key is letters (Chinese characters too), digits, _ or -, starting with a letter or _, up to 64 characters').waitFor();
    await page.getByTestId('segment-key').fill('-x');
    expect(await page.getByTestId('segment-save').isDisabled()).toBe(true);
    // What the label and hint promise, the server takes.
    await page.getByTestId('segment-expression-mode-text').click();
    await page.getByTestId('segment-expression').fill('生命周期 = "流失客户"');
    // The builder shows the model's tag and value in the catalog's English words; the expression keeps the words typed.
    await page.getByTestId('segment-expression-mode-builder').click();
    await expect.poll(() => page.getByTestId('segment-expression-condition-0-subject').locator('.ant-select-selection-item').textContent()).toBe('Lifecycle');
    expect(await page.getByTestId('segment-expression-condition-0-value').locator('.ant-select-selection-item').textContent()).toBe('Lost');
    await page.getByTestId('segment-expression-mode-text').click();
    expect(await page.getByTestId('segment-expression').inputValue()).toBe('生命周期 = "流失客户"');
    await page.getByTestId('segment-name').fill('Lost customers');
    await page.getByTestId('segment-key').fill('流失_2026');
    // The save's own answer first: a lost click, a refusal and a list that did not follow each fail by name.
    const posted = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/v1/segments');
    await page.getByTestId('segment-save').click();
    expect((await posted).status()).toBe(201);
    // A refused save says why beside the form: the test then fails with it rather than with a wait for the row.
    const refused = page.getByTestId('segment-save-error').or(page.getByTestId('segment-key-taken'));
    await page.getByTestId('segment-count-流失_2026').or(refused).first().waitFor();
    if ((await refused.count()) > 0) expect.fail(`the save was refused: ${await refused.first().textContent()}`);
    const saved = await fetch(`${base}/api/v1/segments/${encodeURIComponent('流失_2026')}`, { headers: { authorization: `Bearer ${admin}`, 'x-tagbase-workspace': 'demo' } });
    expect(saved.status).toBe(200);
    // Exported for the English reader, its file names the columns and a model's tag in English; the tags the workspace named read as written.
    const download = page.waitForEvent('download');
    await page.getByTestId('segment-export-流失_2026').click();
    const rows = readFileSync(await (await download).path(), 'utf8').split('\r\n');
    expect(rows[0]).toBe('\uFEFFID,Name,Type,Gender,City,Member level,Phone,Tags,Random bucket,Has phone,Has e-mail,Has WeChat,Has member card');
    expect(rows[1]).toContain('Lifecycle: Lost');
    expect(rows.join('\n')).not.toMatch(/(生命周期|RFM等级|客户画像): /);

    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-create').click();
    const keyLabel = page.getByTestId('tag-editor').locator('label').filter({ hasText: /^Key$/ });
    await keyLabel.locator('.anticon-question-circle').hover();
    await page.locator('.ant-tooltip:visible').getByText(`${rule}; expressions, imports and the API name the tag by it.`).waitFor();

    // The editor is open over the page: the language is chosen as the switch keeps it, for the next page.
    await page.evaluate(`localStorage.setItem('tagbase.lang', 'zh-CN')`);
    try {
      await page.goto(`${base}/segments`);
      await page.getByText('汉字、字母、数字、_ 或 -，以汉字、字母或 _ 开头，最多 64 个字符；表达式里用 segment("标识") 引用这个人群。').waitFor();
      expect(await page.getByText('标识（英文）').count()).toBe(0);
    } finally {
      await page.evaluate(`localStorage.setItem('tagbase.lang', 'en-US')`);
    }
  });

  it('names the models’ values by the catalog’s English names, on the Models page and the overview', async () => {
    await page.goto(`${base}/models?model=value_tier`);
    // A model not enabled lists what it would set: the English name first, the Chinese one its tag stores beside it.
    const values = page.getByTestId('model-values').locator('tbody tr.ant-table-row');
    await expect.poll(() => values.count()).toBe(3);
    expect(await values.nth(2).locator('td').first().textContent()).toBe('High · 高价值');
    // An enabled one draws its values by their English names.
    await page.goto(`${base}/models?model=rfm`);
    const distribution = page.getByTestId('model-distribution');
    await distribution.locator('svg text').first().waitFor();
    const drawn = await distribution.locator('svg text').allTextContents();
    expect(drawn).toContain('Important value');
    expect(drawn.join(' ')).not.toMatch(/客户/);
    // As does the overview's card of the lifecycle stages.
    await page.goto(base);
    const lifecycle = page.getByTestId('lifecycle-chart');
    await lifecycle.locator('svg text').first().waitFor();
    const stages = await lifecycle.locator('svg text').allTextContents();
    expect(stages).toEqual(expect.arrayContaining(['Prospect', 'New', 'Growing', 'Mature', 'Declining', 'Lost']));
    expect(stages.join(' ')).not.toMatch(/客户/);
    // The changes the models make read in English too, where the tag history lists them: a first order makes a new customer.
    const headers = { authorization: `Bearer ${admin}`, 'x-tagbase-workspace': 'demo', 'content-type': 'application/json' };
    const order = { id: 'en-first-order', customer_id: 'EN-FIRST', type: 'order_paid', occurred_at: new Date().toISOString(), properties: { order_id: 'EN-FIRST-1', amount: 120 } };
    expect((await fetch(`${base}/api/v1/events`, { method: 'POST', headers, body: JSON.stringify({ events: [order] }) })).status).toBe(200);
    await page.goto(base);
    const recent = page.getByTestId('recent-changes');
    await expect.poll(() => recent.textContent()).toContain('Lifecycle: New');
    const firstOrder = await recent.locator('tbody tr.ant-table-row').filter({ hasText: 'EN-FIRST' }).allTextContents();
    expect(firstOrder.some((row) => /RFM level: [A-Z][a-z]+ [a-z]+/.test(row))).toBe(true);
    expect(await recent.textContent()).not.toMatch(/生命周期|RFM等级/);
    await page.goto(`${base}/customers/EN-FIRST`);
    const history = page.getByTestId('portrait-history');
    await expect.poll(() => history.textContent()).toContain('Lifecycle: New');
    expect(await history.textContent()).not.toMatch(/生命周期|RFM等级/);
    // So do the portrait's chips and the heading of its RFM explanation.
    const chips = page.getByTestId('portrait-tags');
    await expect.poll(() => chips.textContent()).toContain('Lifecycle: New');
    expect(await chips.textContent()).not.toMatch(/生命周期|RFM等级|新客户/);
    expect(await page.getByTestId('rfm-explanation').locator('.ant-alert-message').textContent()).toMatch(/^RFM explained · RFM level: [A-Z][a-z]+ [a-z-]+$/);
    // The tag library lists the model's tag and its values in the catalog's English words; its parts read the models with one request.
    const modelReads: string[] = [];
    const countModelReads = (request: { url: () => string }) => {
      if (new URL(request.url()).pathname === '/api/v1/models') modelReads.push(request.url());
    };
    page.on('request', countModelReads);
    await page.goto(`${base}/tags`);
    const rfmRow = page.locator('[data-testid="tag-library"] tr[data-row-key="rfm"]');
    await expect.poll(() => rfmRow.textContent()).toContain('RFM level');
    expect(await rfmRow.textContent()).toContain('Important value');
    expect(await rfmRow.textContent()).not.toMatch(/RFM等级|客户 /);
    // Its description in English too: the English line of the one the model gave it.
    expect(await page.getByTestId('tag-description-rfm').textContent()).toMatch(/^RFM level: Eight levels from recency/);
    // The governance report names a model's tag and values in those words too.
    const governance = page.getByTestId('governance-report');
    await expect.poll(() => governance.locator('.ant-list-item').count()).toBeGreaterThan(0);
    const report = (await (await fetch(`${base}/api/v1/governance`, { headers })).json()) as { empty_values: { kind: string; name: string }[] };
    expect(await governance.textContent()).not.toMatch(/RFM等级|生命周期|价值分层|客户”/);
    if (report.empty_values.some((entry) => entry.kind === 'model' && entry.name === 'RFM等级')) expect(await governance.textContent()).toContain('the “RFM level” model gives “');
    page.off('request', countModelReads);
    expect(modelReads).toHaveLength(1);
    // Its editor is titled by that name too, as the button that opens it is.
    await page.getByTestId('tag-edit-rfm').click();
    await expect.poll(() => page.locator('.ant-drawer-title').textContent()).toBe('Edit “RFM level”');
    await page.keyboard.press('Escape');
    await page.locator('.ant-drawer-title').waitFor({ state: 'detached' });
    // As does the tag picker of the transitions, while the address still names the tag by its key.
    await page.goto(`${base}/transitions?tag=lifecycle`);
    await expect.poll(() => page.getByTestId('transitions-tag').locator('.ant-select-selection-item').textContent()).toBe('Lifecycle');
    await page.getByTestId('transitions-tag').click();
    await page.locator('.ant-select-dropdown:visible').getByText('RFM level', { exact: true }).waitFor();
    expect(await page.locator('.ant-select-dropdown:visible').getByText('RFM等级', { exact: true }).count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('tells the browser the page is in English when English was chosen on an earlier visit, so that it draws and reads it as English', async () => {
    await page.goto(`${base}/models?model=rfm`);
    await page.getByTestId('model-distribution').waitFor();
    // Left as zh-CN, the browser set the English in a Chinese font, wider than the one the charts measure, and a screen reader read it as Chinese.
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    // And names the window in English, where index.html names it in Chinese.
    expect(await page.title()).toBe('tagbase customer tags');
    // A number field's arrows say what they do in the console's words, not antd's "Increase Value".
    const window = page.getByRole('spinbutton', { name: /^Window \(days\)/ });
    await window.waitFor();
    const arrows = page.getByTestId('model-params').getByRole('button', { name: /^(?:Increase|Decrease)/ });
    expect(await arrows.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')))).toEqual(['Increase', 'Decrease']);
  });

  it('offers an RFM threshold’s choices with a capital, as every other choice in the console', async () => {
    await page.goto(`${base}/models?model=rfm`);
    const mode = page.getByTestId('param-recency-mode');
    await mode.click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(() => options.allTextContents()).toEqual(['Mean', 'Median', 'Fixed']);
    await page.keyboard.press('Escape');
  });

  it('draws the names of a model’s values whole on the Models page, none cut at the left edge (“ortant development”)', async () => {
    await page.goto(`${base}/models?model=rfm`);
    const distribution = page.getByTestId('model-distribution');
    await distribution.locator('svg text').filter({ hasText: 'General development' }).waitFor();
    const cut = await distribution.evaluate((element) => {
      const left = element.getBoundingClientRect().left;
      return [...element.querySelectorAll('svg text')].filter((text) => text.getBoundingClientRect().left < left - 1).map((text) => text.textContent);
    });
    expect(cut).toEqual([]);
  });

  it('names the metrics the model of interests defines for itself in its conditions, not by their keys', async () => {
    await page.goto(`${base}/models?model=interests`);
    const values = page.getByTestId('model-values').locator('tbody tr.ant-table-row');
    await expect.poll(() => values.count()).toBeGreaterThan(0);
    const condition = values.first().locator('td').nth(1);
    expect(await condition.textContent()).toMatch(/^服装 long views >= 1 or 服装 views >= \d+$/);
    expect(await condition.getByTestId('model-condition-metric').first().getAttribute('title')).toMatch(/^interest_long_views_\w+$/);
  });

  it('names a model by its name in a problem about it, not by its key', async () => {
    await page.goto(`${base}/models?model=value_tier`);
    await page.getByTestId('param-middle').fill('-5');
    await page.getByTestId('model-save').click();
    await expect.poll(() => page.getByTestId('model-error').textContent()).toContain('Model “Value tier”');
    expect(await page.getByTestId('model-error').textContent()).not.toContain('"value_tier"');
  });

  it('reads the audit trail in English: a token made as an access token with its role and days in words, done', async () => {
    await page.goto(`${base}/audit`);
    const made = page.getByTestId('audit-table').locator('tbody tr.ant-table-row').filter({ hasText: 'Access token temp-bob · Viewer, 1 day' });
    await made.first().waitFor();
    expect(await made.first().textContent()).toContain('created an access token');
    expect(await made.first().textContent()).toContain('Done');
    expect(await made.first().getByTestId('audit-target').getAttribute('title')).toBe('temp-bob (viewer, 1d)');
  });

  it('names every card in full on a phone, none cut short to “Tag libr…”', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    try {
      for (const path of ['/', '/customers', '/segments', '/tags', '/transitions', '/care', '/models', '/imports', '/audit', '/tokens', '/webhooks']) {
        await page.goto(`${base}${path}`);
        await page.locator('.ant-card').first().waitFor();
        const cut = await page.locator('.ant-card-head-title').evaluateAll((titles) => titles.filter((title) => title.scrollWidth > title.clientWidth).map((title) => title.textContent));
        expect({ path, cut }).toEqual({ path, cut: [] });
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('says on the overview that the segments’ size history could not be read, instead of waiting for it', async () => {
    await page.goto(base);
    await page.getByTestId('overview-segments').locator('svg polyline').first().waitFor();
    // The history out of reach: the server answers its reads with a 500 while the rest works.
    await sql`alter table segment_sizes rename to segment_sizes_away`.execute(store.db);
    try {
      await page.reload();
      const notice = page.getByTestId('overview-segments-sizes-error');
      await expect.poll(() => notice.textContent()).toMatch(/^The segments’ size history could not be read: .+/);
      const table = page.getByTestId('overview-segments');
      await expect.poll(() => table.getByText('Unavailable').count()).toBeGreaterThan(0);
      // The members are counted all the same, and nothing is left waiting.
      await expect.poll(() => table.locator('tbody tr.ant-table-row').first().locator('td').nth(1).textContent()).toMatch(/^\d[\d,]*$/);
      expect(await table.textContent()).not.toContain('…');
    } finally {
      await sql`alter table segment_sizes_away rename to segment_sizes`.execute(store.db);
    }
  });
});
