// The web console once the server asks for access tokens, in a real browser (Debian's Chromium
// through playwright-core): signing in, the header naming who is in, a role's pages showing
// only what it may do, and an administrator handing out and revoking tokens.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken, revokeAccessToken } from '../../src/engine/access-tokens.js';
import { deliverWebhooks } from '../../src/engine/webhooks.js';
import type { Store } from '../../src/store/connect.js';
import { answerConfirm, consoleRunnable, dialogFocused, focusedControl, screenshotFailure, startConsole, stopConsole, unnamedControls, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable("the console's sign-in walk");
/** How long this file's server trusts what it read of the access tokens. */
const TOKENS_READ_EVERY_MS = 300;

describe.runIf(runnable)('web console with access tokens', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let store: Store;
  let page: Page;
  let base = '';
  let operator = '';
  let viewer = '';
  let admin = '';

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-access',
      demo: { customers: 60, eventsPerCustomer: 3, seed: 11 },
      // Tokens made or revoked behind the server's back count once it reads them again: soon, here.
      tokensReadEveryMs: TOKENS_READ_EVERY_MS,
      // Before the server starts, so that its first look at the tokens already sees them.
      prepare: async (demo) => {
        operator = (await createAccessToken(demo, { name: '王芳', role: 'operator' }, systemClock())).token;
        viewer = (await createAccessToken(demo, { name: '李雷', role: 'viewer' }, systemClock())).token;
        admin = (await createAccessToken(demo, { name: '李娜', role: 'admin' }, systemClock())).token;
      },
    });
    ({ store, page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'access', context.task));

  const api = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'x-tagbase-workspace': 'demo', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const storedToken = () => page.evaluate<string | null>("localStorage.getItem('tagbase.token')");

  const signIn = async (token: string) => {
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signed-in-user').waitFor();
  };

  it('asks for an access token before showing any page', async () => {
    await page.goto(base);
    await page.getByTestId('sign-in-page').waitFor();
    expect(await page.getByTestId('sign-in-page').textContent()).toContain('tagbase token create');
    expect(await page.getByTestId('nav-menu').count()).toBe(0);
  });

  it('says why a wrong token is refused, and keeps nothing of it', async () => {
    await page.getByTestId('token-input').fill('tb_not-a-token');
    await page.getByTestId('sign-in').click();
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect((await error.textContent())?.trim()).not.toBe('');
    expect(await error.getAttribute('class')).toContain('ant-alert-error');
    expect(await storedToken()).toBeNull();
    expect(await page.getByTestId('nav-menu').count()).toBe(0);
  });

  it('tells the holder of a token that ran out when it did, and whom to ask, in either language', async () => {
    const lapsed = await createAccessToken(store, { name: '临时-小张', role: 'viewer', expiresInDays: 1 }, systemClock());
    await store.db.updateTable('access_tokens').set({ expires_at: Date.parse('2026-11-30T02:00:00Z') }).where('name', '=', '临时-小张').execute();
    await page.waitForTimeout(TOKENS_READ_EVERY_MS + 100);
    await page.getByTestId('token-input').fill(lapsed.token);
    await page.getByTestId('sign-in').click();
    const error = page.getByTestId('sign-in-error');
    // Signing in names no workspace yet, and this store has no default one: in UTC, said so.
    await expect.poll(() => error.textContent()).toContain('访问令牌已于 2026-11-30 02:00（UTC）过期；请向管理员申请新的令牌。');
    await page.getByTestId('language-switch').getByText('EN').click();
    await page.getByTestId('sign-in').click();
    await expect.poll(() => error.textContent()).toContain('The access token expired at 2026-11-30T02:00:00.000Z; ask an administrator for a new one.');
    await page.getByTestId('language-switch').getByText('中文').click();
    expect(await storedToken()).toBeNull();
    await revokeAccessToken(store, '临时-小张', systemClock());
    await page.getByTestId('token-input').fill('');
  });

  it('signs an operator in by name and role, and shows a portrait with the phone masked and no erase card', async () => {
    await signIn(operator);
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('王芳 · 运营');
    expect(await page.getByTestId('actor-input').count()).toBe(0);
    expect(await storedToken()).toBe(operator);
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('60');
    // The server masks identifiers for an operator, whatever the console would show.
    const preview = (await (await api(operator, 'POST', '/segments/preview?limit=60', { expression: 'id exists' })).json()) as { items: { id: string; phone: string | null }[] };
    const withPhone = preview.items.find((item) => item.phone !== null);
    if (!withPhone) throw new Error('no demo customer has a phone number');
    expect(withPhone.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    await page.goto(`${base}/customers/${encodeURIComponent(withPhone.id)}`);
    await page.getByTestId('portrait-fields').waitFor();
    expect(await page.getByTestId('identity-phone').first().textContent()).toMatch(/^\d{3}\*{4}\d{4}$/);
    // The whole number never reached the page, so there is nothing to reveal.
    expect(await page.getByTestId('identity-reveal').count()).toBe(0);
    // An operator takes the number away by what the card shows (a changed phone): by a named
    // button reached from the keyboard, asked first, naming it as shown.
    const phones = page.getByTestId('identity-phone');
    const phoneCount = await phones.count();
    const shownPhone = (await phones.first().textContent()) ?? '';
    await page.getByRole('button', { name: `移除手机号 ${shownPhone}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`移除手机号 ${shownPhone}？`, { exact: true }).waitFor();
    // The question takes the focus once it has opened; Enter before that would reach the page.
    await expect.poll(() => focusedControl(page)).toBe('remove-identity-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => phones.count()).toBe(phoneCount - 1);
    const held = (await (await api(operator, 'GET', `/customers/${encodeURIComponent(withPhone.id)}`)).json()) as { identities: { kind: string; value: string }[] };
    expect(held.identities).not.toContainEqual({ kind: 'phone', value: shownPhone });
    // An operator tags customers and merges two records of one person, but does not erase them.
    await page.getByTestId('add-tag-tag').waitFor();
    expect(await page.getByTestId('merge-from').count()).toBe(1);
    expect(await page.getByTestId('erase-open').count()).toBe(0);
    // Nor reads the audit trail, even by its address.
    expect(await page.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
    await page.goto(`${base}/audit`);
    await page.getByTestId('audit-admin-only').waitFor();
    expect(await page.getByTestId('audit-table').count()).toBe(0);
    // Nor manages access tokens.
    expect(await page.getByRole('menuitem', { name: '访问令牌' }).count()).toBe(0);
    await page.goto(`${base}/tokens`);
    await page.getByTestId('tokens-admin-only').waitFor();
    expect(await page.getByTestId('token-table').count()).toBe(0);
    // Nor points the workspace's tag changes at another system.
    expect(await page.getByRole('menuitem', { name: 'Webhook 推送' }).count()).toBe(0);
    await page.goto(`${base}/webhooks`);
    await page.getByTestId('webhooks-admin-only').waitFor();
    expect(await page.getByTestId('webhook-table').count()).toBe(0);
    // A phone number the operator sees masked is looked up whole, never narrowed down in order:
    // the customer filter says so where the comparison is, as it places an expression's mistakes.
    const metric = { key: 'mobile_number', name: '收货手机号', event_type: 'delivery', aggregation: 'last', property: 'receiver_mobile', value_type: 'number' };
    expect((await api(admin, 'POST', '/metrics', metric)).status).toBe(201);
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-filter-mode-text').click();
    await page.getByTestId('customer-filter').fill('city = "上海" and mobile_number >= 13850000000');
    await expect.poll(() => page.getByTestId('customer-filter-status').textContent()).toBe(
      '第 1 行第 17 列：指标「收货手机号」（mobile_number）含个人数据，你的角色只能看到遮盖后的值；只能与完整的值比较（=、!= 或 in），不能用 <、<=、>、>=、before、after 或 between，否则会透露被遮盖的部分',
    );
    await page.getByTestId('customer-filter').fill('mobile_number = 13912345678');
    await page.getByTestId('customer-filter-count').waitFor();
  });

  it('signs out back to the sign-in screen and forgets the token', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-page').waitFor();
    expect(await storedToken()).toBeNull();
    await page.reload();
    await page.getByTestId('sign-in-page').waitFor();
  });

  it('shows a viewer segments and customers without exports, saving, tagging or the export log', async () => {
    const saved = await api(operator, 'POST', '/segments', { key: 'everyone', name: '全部客户', expression: 'id exists' });
    expect(saved.status).toBe(201);
    await page.getByTestId('language-switch').getByText('EN').click();
    await signIn(viewer);
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('李雷 · Viewer');
    await page.getByTestId('language-switch').getByText('中文').click();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('李雷 · 只读');
    expect(await page.getByRole('menuitem', { name: '导入' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: '人群' }).click();
    await expect.poll(() => page.getByTestId('segment-count-everyone').textContent()).toBe('60');
    const row = page.getByTestId('segment-list').locator('tr', { has: page.getByTestId('segment-count-everyone') });
    // The trend and the insight are reads (the trend's sizes come on their own, after the count); exporting and freezing a snapshot are not.
    await row.getByTestId('segment-trend-everyone').getByRole('button').waitFor();
    expect(await row.getByTestId('segment-insight-open-everyone').count()).toBe(1);
    expect(await row.getByRole('button').count()).toBe(2);
    expect(await page.getByTestId('segment-save').count()).toBe(0);
    expect(await page.getByTestId('export-log').count()).toBe(0);
    await page.getByRole('menuitem', { name: /(^| )客户$/ }).click();
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('customers-export').count()).toBe(0);
    expect(await page.getByTestId('bulk-tag-button').count()).toBe(0);
    // Selecting is for tagging: no boxes to tick, nothing to select all of.
    expect(await page.getByTestId('customer-table').locator('.ant-checkbox').count()).toBe(0);
    expect(await page.getByTestId('select-all-matching').count()).toBe(0);
    expect(await page.getByTestId('selection-status').count()).toBe(0);
    // A portrait to read: nothing to tag, and no record to merge into it.
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().getByRole('link').first().click();
    await page.getByTestId('portrait-fields').waitFor();
    expect(await page.getByTestId('add-tag-tag').count()).toBe(0);
    expect(await page.getByTestId('merge-from').count()).toBe(0);
    expect(await page.locator('[data-testid^="remove-identity-"]').count()).toBe(0);
    // Care: the to-do list and the plans to read, nothing to run, close, make or change.
    await page.getByRole('menuitem', { name: /(^| )客户关怀$/ }).click();
    await page.getByTestId('care-reminders').waitFor();
    expect(await page.getByTestId('care-run').count()).toBe(0);
    await page.getByTestId('care-tab-plans').click();
    await page.getByTestId('care-plans').waitFor();
    expect(await page.getByTestId('care-plan-create').count()).toBe(0);
    expect(await page.getByTestId('care-plans').getByRole('button').count()).toBe(0);
    // Governance: one phone written two ways (00 and +, as the upgrade left them) is said, but merging the two is not a viewer's.
    const workspace = await store.db.selectFrom('workspaces').select('id').where('key', '=', 'demo').executeTakeFirstOrThrow();
    const [first, second] = await store.db.selectFrom('customers').select('id').where('workspace_id', '=', workspace.id).orderBy('id').limit(2).execute();
    if (!first || !second) throw new Error('the demo has customers');
    const phones = ['0085290000017', '+85290000017'];
    await store.db.insertInto('identities').values([{ workspace_id: workspace.id, kind: 'phone', value: phones[0] ?? '', customer_id: first.id }, { workspace_id: workspace.id, kind: 'phone', value: phones[1] ?? '', customer_id: second.id }]).execute();
    try {
      await page.getByRole('menuitem', { name: /(^| )标签库$/ }).click();
      const report = page.getByTestId('governance-report');
      await report.locator('.ant-list-item').first().waitFor();
      const pages = report.locator('.ant-pagination-item');
      if ((await pages.count()) > 0) await pages.last().click();
      await expect.poll(() => report.textContent()).toContain('同号两客户');
      expect(await report.locator('[data-testid^="governance-merge-"]').count()).toBe(0);
    } finally {
      await store.db.deleteFrom('identities').where('workspace_id', '=', workspace.id).where('value', 'in', phones).execute();
    }
  });

  it('shows a viewer a model\'s parameters to read, with no input that would change them', async () => {
    await page.getByRole('menuitem', { name: /(^| )模型$/ }).click();
    // An enabled model and one that is not: neither has anything a viewer could save.
    for (const model of ['rfm', 'value_tier']) {
      await page.getByTestId(`model-item-${model}`).click();
      const params = page.getByTestId(`model-detail-${model}`).getByTestId('model-params');
      await params.waitFor();
      expect(await page.getByTestId('model-save').count()).toBe(0);
      const inputs = params.locator('input, button[role="switch"]');
      expect(await inputs.count()).toBeGreaterThan(0);
      for (const input of await inputs.all()) expect(await input.isDisabled()).toBe(true);
    }
    // The window stays as saved: there is nothing to type into.
    const rfm = (await (await api(viewer, 'GET', '/models/rfm')).json()) as { params: { window_days: number } };
    await page.getByTestId('model-item-rfm').click();
    expect(await page.getByTestId('model-detail-rfm').getByRole('spinbutton', { name: /window_days/ }).inputValue()).toBe(String(rfm.params.window_days));
  });

  it('returns to the sign-in screen, saying why, once the token in use is revoked', async () => {
    await revokeAccessToken(store, '李雷', systemClock());
    // The server trusts what it read of the tokens for this long.
    await page.waitForTimeout(TOKENS_READ_EVERY_MS + 200);
    await page.getByRole('menuitem', { name: '概览' }).click();
    await page.getByTestId('sign-in-page').waitFor();
    expect(await page.getByTestId('sign-in-error').getAttribute('class')).toContain('ant-alert-warning');
    expect(await storedToken()).toBeNull();
  });

  it('shows an administrator the audit trail page by page: who changed what, refused attempts, and a filter by who', async () => {
    // More refused attempts than one page holds, so that the older entries are a page away.
    for (let attempt = 0; attempt < 50; attempt += 1) expect((await api(operator, 'DELETE', `/customers/NOBODY-${attempt}`)).status).toBe(403);
    const created = await api(operator, 'POST', '/tags', { key: 'audit_probe', name: '审计探针', values: [{ key: 'a', name: 'A' }] });
    expect(created.status).toBe(201);
    expect((await api(operator, 'PATCH', `/segments/${encodeURIComponent('活跃买家')}`, { description: '近 30 天下单的客户' })).status).toBe(200);
    await signIn(admin);
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('李娜 · 管理员');
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    const table = page.getByTestId('audit-table');
    const rows = table.locator('tbody tr.ant-table-row');
    // Each target as what it names, the tag made rather than the collection it was posted to, by
    // the name the workspace gives it, its path on hover.
    const probe = rows.filter({ hasText: '标签 审计探针' }).filter({ hasText: '创建标签' });
    await probe.first().waitFor();
    expect(await probe.first().getByTestId('audit-target').getAttribute('title')).toBe('/tags/audit_probe');
    expect(await probe.first().textContent()).toContain('王芳');
    expect(await probe.first().textContent()).toContain('成功');
    const refused = rows.filter({ hasText: '客户 NOBODY-49' });
    expect(await refused.textContent()).toContain('被拒绝');
    expect(await refused.getByRole('link', { name: 'NOBODY-49' }).getAttribute('href')).toBe('/customers/NOBODY-49');
    expect(await refused.getByTestId('audit-target').getAttribute('title')).toBe('/customers/NOBODY-49');
    // A segment addressed by its Chinese name: its path on hover as the caller meant it, not percent-encoded.
    const segment = rows.filter({ hasText: '修改人群' }).filter({ hasText: '活跃买家' });
    expect(await segment.count()).toBe(1);
    expect(await segment.getByTestId('audit-target').getAttribute('title')).toBe('/segments/活跃买家');
    // The tokens this test made on the command line's behalf are older, under no one's name: named
    // as tokens with their role beside in the console's words (not the command line's `operator`), and done, as every entry of something made.
    const tokenCreated = rows.filter({ hasText: '访问令牌 王芳 · 运营' });
    expect(await tokenCreated.count()).toBe(0);
    await page.getByTestId('audit-more').click();
    await tokenCreated.waitFor();
    // The command line's stand-in name for no one (cli) is not written beside its CLI tag.
    expect(await tokenCreated.locator('td:nth-child(2)').textContent()).toBe('CLI');
    expect(await tokenCreated.textContent()).toContain('成功');
    expect(await tokenCreated.getByTestId('audit-target').getAttribute('title')).toBe('王芳 (operator)');
    expect(await tokenCreated.textContent()).not.toContain('operator');
    // The demo loaded into this workspace names it by its name, as tags and segments are, its key on hover.
    const demoLoaded = rows.filter({ hasText: '工作空间 演示商城 Demo store' });
    expect(await demoLoaded.count()).toBe(1);
    expect(await demoLoaded.getByTestId('audit-target').getAttribute('title')).toBe('demo');
    expect(await rows.count()).toBeGreaterThan(50);
    expect(await page.getByTestId('audit-more').count()).toBe(0);
    await page.getByTestId('audit-actor').fill('王芳');
    await page.getByTestId('audit-actor').press('Enter');
    await expect.poll(() => tokenCreated.count()).toBe(0);
    expect((await rows.locator('td:nth-child(2)').allTextContents()).every((who) => who === '王芳')).toBe(true);
    expect(await probe.count()).toBe(1);
    // The filter is in the address: a reload shows the same person's doings, the box still saying whose.
    await page.reload();
    await probe.first().waitFor();
    expect(await page.getByTestId('audit-actor').inputValue()).toBe('王芳');
    expect((await rows.locator('td:nth-child(2)').allTextContents()).every((who) => who === '王芳')).toBe(true);
  });

  it('names the audit trail and the access tokens in full on a phone, in either language, their filter and buttons beside', async () => {
    for (const lang of ['zh-CN', 'en-US'] as const) {
      const phone = await session?.browser.newContext({ viewport: { width: 375, height: 812 }, locale: lang, isMobile: true, deviceScaleFactor: 2, reducedMotion: 'reduce' });
      if (!phone) throw new Error('no browser');
      try {
        await phone.addInitScript(`localStorage.setItem('tagbase.lang', '${lang}'); localStorage.setItem('tagbase.token', '${admin}')`);
        const tab = await phone.newPage();
        for (const path of ['/audit', '/tokens']) {
          await tab.goto(`${base}${path}`);
          await tab.getByTestId(path === '/audit' ? 'audit-table' : 'token-table').locator('tbody tr.ant-table-row').first().waitFor();
          const cut = await tab.locator('.ant-card-head-title').evaluateAll((titles) => titles.filter((title) => title.scrollWidth > title.clientWidth).map((title) => title.textContent));
          expect({ lang, path, cut }).toEqual({ lang, path, cut: [] });
          expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
        }
      } finally {
        await phone.close();
      }
    }
  });

  it('lets an administrator make a token, shown once, and revoke it, warning first when it is their own', async () => {
    await page.getByRole('menuitem', { name: '访问令牌' }).click();
    const rows = page.getByTestId('token-table').locator('tbody tr.ant-table-row');
    await rows.filter({ hasText: '李娜' }).waitFor();
    expect(await page.getByTestId('token-roles').textContent()).toContain('手机号');
    expect(await rows.filter({ hasText: '李雷' }).textContent()).toContain('已吊销');
    expect(await rows.filter({ hasText: '王芳' }).textContent()).toContain('有效');

    // Nothing typed yet: Esc closes the dialog at once, and the focus is back on the button that opened it.
    await page.getByTestId('token-create').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('token-name').waitFor();
    await dialogFocused(page);
    await page.keyboard.press('Escape');
    await page.getByTestId('token-name').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('token-create').evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-name').fill('分析-小陈');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('combobox', { name: '角色' }).waitFor();
    expect(await page.getByTestId('token-role').textContent()).toBe('运营');
    await pickRole(page, '只读');
    await page.getByTestId('token-lifetime').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^30 天$/ }).click();
    await page.getByTestId('token-submit').click();
    const shown = page.getByTestId('token-created-value');
    await shown.waitFor();
    const made = (await shown.textContent()) ?? '';
    expect(made).toMatch(/^tb_/);
    expect(await page.getByTestId('token-created').textContent()).toContain('只显示这一次');
    // Made by the server the console talks to, so it counts at once.
    expect(await (await api(made, 'GET', '/session')).json()).toMatchObject({ authenticated: true, name: '分析-小陈', role: 'viewer' });
    await page.getByTestId('token-created-close').click();
    await shown.waitFor({ state: 'hidden' });
    const row = rows.filter({ hasText: '分析-小陈' });
    await row.waitFor();
    expect(await row.textContent()).toContain('只读');
    expect(await row.textContent()).toContain('有效');
    expect(await row.textContent()).toMatch(/至 \d{4}-\d\d-\d\d/);
    expect(await row.textContent()).toContain('从未使用');
    expect(await row.textContent()).toContain('全部工作空间');
    const listed = (await (await api(admin, 'GET', '/tokens')).json()) as { items: { name: string; expires_at: string | null }[] };
    const expiresAt = Date.parse(listed.items.find((token) => token.name === '分析-小陈')?.expires_at ?? '');
    expect(Math.round((expiresAt - Date.now()) / 86_400_000)).toBe(30);
    // The token itself is never listed again.
    expect(await page.getByTestId('token-table').textContent()).not.toContain(made);

    // A live token's name is taken: the server says so, in the console's language.
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-name').fill('分析-小陈');
    await page.getByTestId('token-submit').click();
    await page.getByTestId('token-create-error').waitFor();
    expect(await page.getByTestId('token-created').count()).toBe(0);
    // A stray click beside the dialog keeps what was typed, and Esc asks before it throws it away.
    await page.mouse.click(10, 400);
    await page.keyboard.press('Escape');
    await answerConfirm(page, '继续填写');
    expect(await page.getByTestId('token-name').inputValue()).toBe('分析-小陈');
    // So does Cancel.
    await page.getByRole('dialog').getByRole('button', { name: /取\s*消/ }).click();
    await answerConfirm(page, '放弃');
    await page.getByTestId('token-name').waitFor({ state: 'hidden' });

    // The token the console is signed in with is marked, and revoking it warns of the sign-out.
    expect(await rows.filter({ hasText: '李娜' }).textContent()).toContain('当前使用');
    // Revoking needs no sideways scroll, on a tablet too: the button is inside the table's visible width.
    for (const width of [768, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      const visible = await page.getByTestId('token-table').locator('.ant-table-content').boundingBox();
      const button = await page.getByTestId('token-revoke-李娜').boundingBox();
      if (!visible || !button) throw new Error('the token table or its revoke button is not shown');
      expect(button.x + button.width, `at ${width} px`).toBeLessThanOrEqual(visible.x + visible.width);
    }
    await page.getByTestId('token-revoke-李娜').click();
    const confirm = page.locator('.ant-popconfirm:visible');
    expect(await confirm.textContent()).toContain('你将被退出登录');
    await confirm.getByRole('button', { name: /取\s*消/ }).click();
    await confirm.waitFor({ state: 'hidden' });

    await page.getByTestId('token-revoke-分析-小陈').click();
    expect(await confirm.textContent()).not.toContain('退出登录');
    await confirm.getByTestId('token-revoke-ok').click();
    await expect.poll(() => row.textContent()).toContain('已吊销');
    expect(await page.getByTestId('token-revoke-分析-小陈').count()).toBe(0);
    expect((await api(made, 'GET', '/session')).status).toBe(401);
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('李娜 · 管理员');
  });

  /** Lets a held request go on: released as its route is taken away, the unrouting may have let it through first. */
  const continueHeld = (route: Route) =>
    route.continue().catch((error: unknown) => {
      if (!String(error).includes('already handled')) throw error;
    });

  /**
   * Holds the page's requests to `url` made in `workspace` until `release`, letting the others
   * through; `asked` counts those held.
   */
  const holdReads = async (url: RegExp, workspace: string) => {
    let answer = () => undefined as void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    let asked = 0;
    const handler = async (route: Route) => {
      if (route.request().headers()['x-tagbase-workspace'] === workspace) {
        asked += 1;
        await held;
      }
      await continueHeld(route);
    };
    await page.route(url, handler);
    return {
      asked: () => asked,
      release: async () => {
        answer();
        await page.unroute(url, handler);
      },
    };
  };

  // Whether the page would ask before it is closed or reloaded (what a beforeunload listener that cancels the event does).
  const leavingAsks = () => page.evaluate<boolean>("(() => { const leaving = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(leaving); return leaving.defaultPrevented; })()");

  // The workspace the switcher shows (not the words it keeps for a screen reader while it has the focus).
  const shownWorkspace = () => page.getByTestId('workspace-switcher').locator('.ant-select-selection-item').textContent();

  it('lets an administrator make a workspace from the switcher, which then acts in it', async () => {
    // From the keyboard too: 新建工作空间 is an option of the list, reached by the arrows and chosen by
    // Enter; Esc closes the dialog while nothing is typed, the focus back on the switcher.
    const switcher = page.getByTestId('workspace-switcher').locator('input');
    await switcher.focus();
    await page.keyboard.press('ArrowDown');
    const active = page.locator('.ant-select-dropdown:visible .ant-select-item-option-active');
    await active.waitFor();
    for (let step = 0; step < 10 && (await active.getAttribute('data-testid')) !== 'workspace-create'; step++) await page.keyboard.press('ArrowDown');
    expect(await active.getAttribute('data-testid')).toBe('workspace-create');
    await page.keyboard.press('Enter');
    await page.getByTestId('workspace-name').waitFor();
    await dialogFocused(page);
    await page.keyboard.press('Escape');
    await page.getByTestId('workspace-name').waitFor({ state: 'detached' });
    await expect.poll(() => switcher.evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId('workspace-create').click();
    const dialog = page.locator('.ant-modal:visible');
    await page.getByTestId('workspace-name').fill('杭州店');
    await page.getByTestId('workspace-key').fill('杭州');
    await page.getByTestId('workspace-submit').click();
    await expect.poll(() => dialog.textContent()).toContain('键只能包含英文字母、数字');
    await page.getByTestId('workspace-key').fill('demo');
    await page.getByTestId('workspace-submit').click();
    await page.getByTestId('workspace-create-error').waitFor();
    expect(await page.getByTestId('workspace-create-error').textContent()).toContain('demo');
    await page.getByTestId('workspace-key').fill('shop-hz');
    // China time unless another zone is picked; picked here by typing a place.
    expect(await page.getByTestId('workspace-zone').textContent()).toBe('UTC+08:00 中国、新加坡');
    await page.getByTestId('workspace-zone').click();
    await page.keyboard.type('日本');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'UTC+09:00 日本、韩国' }).click();
    await page.getByTestId('workspace-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => shownWorkspace()).toBe('杭州店 (shop-hz)');
    const made = (await (await api(admin, 'GET', '/workspaces')).json()) as { items: { key: string; name: string; utc_offset_minutes: number }[] };
    expect(made.items.find((workspace) => workspace.key === 'shop-hz')).toMatchObject({ name: '杭州店', utc_offset_minutes: 540 });
    // Renamed and moved back to China time from the same menu, warned first that the days are counted again.
    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId('workspace-edit').click();
    const editor = page.locator('.ant-modal:visible');
    expect(await page.getByTestId('workspace-edit-name').inputValue()).toBe('杭州店');
    expect(await page.getByTestId('workspace-edit-zone').textContent()).toBe('UTC+09:00 日本、韩国');
    expect(await page.getByTestId('workspace-zone-warning').count()).toBe(0);
    await page.getByTestId('workspace-edit-name').fill('杭州西湖店');
    await page.getByTestId('workspace-edit-zone').click();
    await page.keyboard.type('中国');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'UTC+08:00 中国、新加坡' }).click();
    await expect.poll(() => page.getByTestId('workspace-zone-warning').textContent()).toContain('按新时区重新计算');
    await page.getByTestId('workspace-edit-submit').click();
    await editor.waitFor({ state: 'hidden' });
    await expect.poll(() => shownWorkspace()).toBe('杭州西湖店 (shop-hz)');
    const edited = (await (await api(admin, 'GET', '/workspaces')).json()) as { items: { key: string; name: string; utc_offset_minutes: number }[] };
    expect(edited.items.find((workspace) => workspace.key === 'shop-hz')).toMatchObject({ name: '杭州西湖店', utc_offset_minutes: 480 });
    await page.getByRole('menuitem', { name: /(^| )客户$/ }).click();
    // A new workspace: no customers yet, said as such.
    await expect.poll(() => page.getByTestId('customer-table').locator('.ant-table-placeholder').textContent()).toContain('还没有客户');
    // Switched to another workspace, a page shows that workspace's answer or that it is still
    // loading, never the one it showed before: the demo's customers held on their way, the table
    // does not say that there are none, as the new workspace's answer did.
    const customers = await holdReads(/\/api\/v1\/segments\/preview/, 'demo');
    try {
      await page.getByTestId('workspace-switcher').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '(demo)' }).click();
      await expect.poll(() => shownWorkspace()).toBe('演示商城 Demo store (demo)');
      await expect.poll(() => customers.asked()).toBeGreaterThan(0);
      expect(await page.getByTestId('customer-table').textContent()).not.toContain('还没有客户');
    } finally {
      await customers.release();
    }
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
    // What the address chose among the demo's things stays behind on a switch: a portrait of one of
    // its customers becomes the other workspace's customers list, not a customer it lacks; a tag of
    // the transitions is dropped, while the period, which holds in any workspace, stays.
    const switchTo = async (key: string, shown: string) => {
      await page.getByTestId('workspace-switcher').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: `(${key})` }).click();
      await expect.poll(() => shownWorkspace()).toBe(shown);
    };
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().getByRole('link').first().click();
    await page.getByTestId('portrait-fields').waitFor();
    await switchTo('shop-hz', '杭州西湖店 (shop-hz)');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/customers');
    await expect.poll(() => page.getByTestId('customer-table').locator('.ant-table-placeholder').textContent()).toContain('还没有客户');
    await switchTo('demo', '演示商城 Demo store (demo)');
    await page.goto(`${base}/transitions?tag=rfm&days=7`);
    await page.getByTestId('transitions-matrix').waitFor();
    await switchTo('shop-hz', '杭州西湖店 (shop-hz)');
    await expect.poll(() => new URL(page.url()).search).toBe('?days=7');
    expect(new URL(page.url()).pathname).toBe('/transitions');
    await switchTo('demo', '演示商城 Demo store (demo)');
    // And back from the demo's overview: none of its customers, counts or tag changes stand under
    // the new workspace's name while its own are on their way, nor is it said to have no tag changes.
    await page.getByRole('menuitem', { name: '概览' }).click();
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('60');
    const demoChanges = page.getByTestId('recent-changes').locator('tbody tr.ant-table-row');
    await demoChanges.first().waitFor();
    const overview = await holdReads(/\/api\/v1\/(overview|history)(\?|$)/, 'shop-hz');
    try {
      await page.getByTestId('workspace-switcher').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '(shop-hz)' }).click();
      await expect.poll(() => shownWorkspace()).toBe('杭州西湖店 (shop-hz)');
      await expect.poll(() => overview.asked()).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId('customer-count').count()).toBe(0);
      expect(await demoChanges.count()).toBe(0);
      expect(await page.getByTestId('recent-changes').textContent()).not.toContain('还没有标签变更');
    } finally {
      await overview.release();
    }
    await expect.poll(() => page.getByTestId('recent-changes').locator('.ant-table-placeholder').textContent()).toContain('还没有标签变更');
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toBe('0');
    await page.getByRole('menuitem', { name: /(^| )客户$/ }).click();
    await expect.poll(() => page.getByTestId('customer-table').locator('.ant-table-placeholder').textContent()).toContain('还没有客户');
    // An import goes on in its workspace while another is shown, and stays in sight: above every
    // page, with how far it has got, a way back to it and a way to stop it; its own import page
    // shows it again. Its pieces are held on their way to make sure it is still running meanwhile.
    await page.getByRole('menuitem', { name: '导入' }).click();
    const newcomers = Array.from({ length: 2500 }, (_, index) => `H${String(index + 1).padStart(4, '0')},杭州新客${index + 1}`);
    await page.locator('input[type=file]').setInputFiles({ name: 'hz-customers.csv', mimeType: 'text/csv', buffer: Buffer.from(['编号,姓名', ...newcomers].join('\n')) });
    await page.getByTestId('import-run').waitFor();
    let releasePieces = () => undefined as void;
    const piecesHeld = new Promise<void>((resolve) => (releasePieces = resolve));
    const holdPieces = async (route: Route) => {
      if (route.request().headers()['x-tagbase-workspace'] === 'shop-hz') await piecesHeld;
      await continueHeld(route);
    };
    await page.route('**/api/v1/imports/customers', holdPieces);
    try {
      await page.getByTestId('import-run').click();
      await page.locator('[data-testid=import-progress][data-state=running]').waitFor();
      // Nothing points at the import from its own page.
      expect(await page.getByTestId('import-elsewhere').count()).toBe(0);
      // The console sends the file itself: closing or reloading the tab now asks first.
      expect(await leavingAsks()).toBe(true);
      // The notice names the workspace at once, by the list read before the switch: not by its bare
      // key while the list is read again.
      const names = await holdReads(/\/api\/v1\/workspaces(\?|$)/, 'demo');
      const elsewhere = page.locator('[data-testid=import-elsewhere][data-workspace=shop-hz]');
      try {
        await switchTo('demo', '演示商城 Demo store (demo)');
        await expect.poll(() => names.asked()).toBeGreaterThanOrEqual(1);
        expect(await elsewhere.getAttribute('data-state')).toBe('running');
        expect(await elsewhere.textContent()).toContain('正在向「杭州西湖店 (shop-hz)」导入 hz-customers.csv：0%');
      } finally {
        await names.release();
      }
      // The demo's import page has no import of its own to show.
      expect(await page.getByTestId('import-progress').count()).toBe(0);
      expect(await unnamedControls(page, '[data-testid=imports-elsewhere]')).toEqual([]);
      // Back to it: its page shows the import still running, with its file and the button that stops it.
      await elsewhere.getByRole('button', { name: '查看向「杭州西湖店 (shop-hz)」的导入' }).click();
      await expect.poll(() => shownWorkspace()).toBe('杭州西湖店 (shop-hz)');
      await page.locator('[data-testid=import-progress][data-state=running]').waitFor();
      expect(await page.getByTestId('import-earlier').textContent()).toContain('文件：hz-customers.csv');
      await page.getByTestId('import-cancel').waitFor();
      expect(await page.getByTestId('import-elsewhere').count()).toBe(0);
      // Stopped from another workspace: the piece under way lands, and no other is sent.
      await switchTo('demo', '演示商城 Demo store (demo)');
      await elsewhere.getByRole('button', { name: '停止向「杭州西湖店 (shop-hz)」的导入' }).click();
      releasePieces();
      await expect.poll(() => elsewhere.getAttribute('data-state')).toBe('cancelled');
      expect(await leavingAsks()).toBe(false);
      expect(await elsewhere.textContent()).toContain('向「杭州西湖店 (shop-hz)」导入 hz-customers.csv 已停止');
      await elsewhere.getByRole('button', { name: '查看向「杭州西湖店 (shop-hz)」的导入' }).click();
      await expect.poll(() => shownWorkspace()).toBe('杭州西湖店 (shop-hz)');
      await page.locator('[data-testid=import-progress][data-state=cancelled]').waitFor();
      expect(await page.getByTestId('import-progress').getAttribute('data-done')).toBe('1000');
      // Seen where it ran, it is pointed at no more.
      await switchTo('demo', '演示商城 Demo store (demo)');
      await page.getByTestId('import-kind').waitFor();
      expect(await page.getByTestId('import-elsewhere').count()).toBe(0);
      await switchTo('shop-hz', '杭州西湖店 (shop-hz)');
    } finally {
      releasePieces();
      await page.unroute('**/api/v1/imports/customers', holdPieces);
    }
    const imported = (await (await fetch(`${base}/api/v1/customers?limit=1`, { headers: { authorization: `Bearer ${admin}`, 'x-tagbase-workspace': 'shop-hz' } })).json()) as { total: number };
    expect(imported.total).toBe(1000);
    await page.getByRole('menuitem', { name: /(^| )客户$/ }).click();
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
    // Deleted from the same dialog, its key typed again; the console then acts in the default
    // workspace, or, in a store without one as this, in the one the switcher picks first.
    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId('workspace-edit').click();
    expect(await page.getByTestId('workspace-delete-zone').textContent()).toContain('删除工作空间');
    await page.getByTestId('workspace-delete-key').fill('shop-h');
    expect(await page.getByTestId('workspace-delete').isDisabled()).toBe(true);
    await page.getByTestId('workspace-delete-key').fill('shop-hz');
    await page.getByTestId('workspace-delete').click();
    await editor.waitFor({ state: 'hidden' });
    await expect.poll(() => shownWorkspace()).toBe('演示商城 Demo store (demo)');
    const left = (await (await api(admin, 'GET', '/workspaces')).json()) as { items: { key: string }[] };
    expect(left.items.map((workspace) => workspace.key)).not.toContain('shop-hz');
    await page.getByTestId('workspace-switcher').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '(demo)' }).click();
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
  });

  it('lets an administrator point one tag’s changes, care reminders or one segment’s entries and exits at a URL, showing the secret once, test and change it and delete the webhook', async () => {
    const library = (await (await api(admin, 'GET', '/tags')).json()) as { items: { key: string; name: string; scope: string }[] };
    const tag = library.items.find((candidate) => candidate.scope !== 'personal');
    if (!tag) throw new Error('the demo workspace has no shared tag');
    // A receiver that takes every post: the test post below, and whatever the server delivers.
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      request.on('data', () => undefined);
      request.on('end', () => {
        received.push(String(request.headers['x-tagbase-topic']));
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    await page.getByRole('menuitem', { name: 'Webhook 推送' }).click();
    const table = page.getByTestId('webhook-table');
    await table.waitFor();
    expect(await page.getByTestId('webhooks-about').textContent()).toContain('X-Tagbase-Signature');
    await page.getByTestId('webhook-create').click();
    await page.getByTestId('webhook-url').fill(url);
    // Esc asks before it throws away what was typed, and a stray click beside the dialog does nothing.
    await page.keyboard.press('Escape');
    await answerConfirm(page, '继续填写');
    await page.mouse.click(10, 400);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('webhook-url').inputValue()).toBe(url);
    // Every field named for a screen reader: the tags' select by its label too.
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('combobox', { name: '标签' }).waitFor();
    await page.getByTestId('webhook-tags').click();
    await page.keyboard.type(tag.name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${escapeRegExp(tag.name)}$`) }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('webhook-tags').locator('.ant-select-selection-item').allTextContents()).toEqual([tag.name]);
    await page.getByTestId('webhook-submit').click();

    const secret = page.getByTestId('webhook-secret-value');
    await secret.waitFor();
    const made = (await secret.textContent()) ?? '';
    expect(made).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('webhook-secret').textContent()).toContain('只显示这一次');
    const listed = (await (await api(admin, 'GET', '/webhooks')).json()) as { items: { id: number; url: string; tags: string[]; topics: string[]; actor: string }[] };
    expect(listed.items).toHaveLength(1);
    const webhook = listed.items[0];
    if (!webhook) throw new Error('the webhook made was not listed');
    expect(webhook).toMatchObject({ url, tags: [tag.key], topics: ['tag_changes'], actor: '李娜' });
    await page.getByTestId('webhook-secret-close').click();
    await secret.waitFor({ state: 'hidden' });

    const row = table.locator('tbody tr.ant-table-row', { hasText: url });
    await row.waitFor();
    expect(await row.textContent()).toContain(tag.name);
    expect(await row.textContent()).toContain('李娜');
    expect(await row.textContent()).toContain('正常');
    // The secret is never listed again.
    expect(await table.textContent()).not.toContain(made);
    // A test post reaches the receiver, and the console says so.
    await page.getByTestId(`webhook-test-${webhook.id}`).click();
    await page.locator('.ant-message-success', { hasText: '测试推送已送达（HTTP 200' }).waitFor();
    expect(received).toContain('test');
    // The test is in the webhook's deliveries, with how the receiver answered.
    await page.getByTestId(`webhook-deliveries-${webhook.id}`).click();
    const deliveries = page.getByTestId('webhook-deliveries-table');
    const logged = deliveries.locator('tbody tr.ant-table-row', { hasText: '测试推送' });
    await logged.waitFor();
    expect(await logged.textContent()).toContain('已送达 · HTTP 200');
    await page.getByTestId('webhook-deliveries').locator('.ant-drawer-close').click();
    await deliveries.waitFor({ state: 'detached' });
    // A new secret, after asking, shown once; the next post is signed with it.
    await page.getByTestId(`webhook-rotate-${webhook.id}`).click();
    await page.locator('.ant-popconfirm:visible').getByTestId('webhook-rotate-ok').click();
    await secret.waitFor();
    const rotated = (await secret.textContent()) ?? '';
    expect(rotated).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated).not.toBe(made);
    await page.locator('.ant-modal-title', { hasText: '已更换签名密钥' }).waitFor();
    await page.getByTestId('webhook-secret-close').click();
    await secret.waitFor({ state: 'hidden' });

    await page.getByTestId(`webhook-delete-${webhook.id}`).click();
    await page.locator('.ant-popconfirm:visible').getByTestId('webhook-delete-ok').click();
    await row.waitFor({ state: 'detached' });
    expect(await table.textContent()).toContain('还没有 Webhook');
    expect(await (await api(admin, 'GET', '/webhooks')).json()).toEqual({ items: [] });

    // Care reminders and customers merged or erased only: the tags to post no longer apply and are not asked for.
    await page.getByTestId('webhook-create').click();
    await page.getByTestId('webhook-url').fill(url);
    const topics = page.getByTestId('webhook-topics');
    await topics.getByText('标签变化').click();
    await page.getByTestId('webhook-tags').waitFor({ state: 'detached' });
    await topics.getByText('关怀提醒').click();
    await topics.getByText('客户合并与删除').click();
    await page.getByTestId('webhook-submit').click();
    await page.getByTestId('webhook-secret-close').click();
    const careRow = table.locator('tbody tr.ant-table-row', { hasText: url });
    await careRow.waitFor();
    expect(await careRow.textContent()).toContain('关怀提醒');
    expect(await careRow.textContent()).toContain('客户合并与删除');
    const careHooks = (await (await api(admin, 'GET', '/webhooks')).json()) as { items: { id: number; topics: string[]; tags: string[] }[] };
    expect(careHooks.items.map((each) => [each.topics, each.tags])).toEqual([[['care_reminders', 'customer_changes'], []]]);
    // Changed in place, keeping its secret: tag changes as well, of every shared tag.
    await page.getByTestId(`webhook-edit-${String(careHooks.items[0]?.id)}`).click();
    const dialog = page.locator('.ant-modal:visible');
    expect(await dialog.getByTestId('webhook-secret-input').count()).toBe(0);
    await dialog.getByTestId('webhook-topics').getByText('标签变化').click();
    await dialog.getByTestId('webhook-submit').click();
    await page.locator('.ant-message-success', { hasText: '已保存 Webhook' }).waitFor();
    await expect.poll(() => careRow.textContent()).toContain('标签变化');
    const edited = (await (await api(admin, 'GET', '/webhooks')).json()) as { items: { topics: string[]; url: string }[] };
    expect(edited.items.map((each) => [each.topics, each.url])).toEqual([[['tag_changes', 'care_reminders', 'customer_changes'], url]]);
    // A webhook without customer changes (as every one made before they could be posted) says so
    // under what it posts, and one click gives them to it, from now on; its edit dialog takes them
    // off and on again, saying that a topic ticked there starts from when it is saved.
    const older = (await (await api(admin, 'POST', '/webhooks', { url: `${url}/older` })).json()) as { id: number };
    await page.getByTestId('webhooks-reload').click();
    const olderMark = page.getByTestId(`webhook-no-customer-changes-${String(older.id)}`);
    await olderMark.waitFor();
    expect(await olderMark.textContent()).toContain('不推送客户合并与删除');
    expect(await page.getByTestId(`webhook-no-customer-changes-${String(careHooks.items[0]?.id)}`).count()).toBe(0);
    await page.getByTestId(`webhook-customer-changes-on-${String(older.id)}`).click();
    await page.locator('.ant-message-success', { hasText: '已开启客户合并与删除：从现在起推送，此前的合并与删除不会推送' }).waitFor();
    await olderMark.waitFor({ state: 'detached' });
    const olderTopics = async () => ((await (await api(admin, 'GET', '/webhooks')).json()) as { items: { id: number; topics: string[] }[] }).items.find((each) => each.id === older.id)?.topics;
    expect(await olderTopics()).toEqual(['tag_changes', 'customer_changes']);
    await page.getByTestId(`webhook-edit-${String(older.id)}`).click();
    const olderDialog = page.locator('.ant-modal:visible');
    await olderDialog.getByTestId('webhook-topics').getByText('客户合并与删除').click();
    expect(await olderDialog.getByTestId('webhook-topics-from-now').count()).toBe(0);
    await olderDialog.getByTestId('webhook-submit').click();
    await olderMark.waitFor();
    expect(await olderTopics()).toEqual(['tag_changes']);
    await page.getByTestId(`webhook-edit-${String(older.id)}`).click();
    await olderDialog.getByTestId('webhook-topics').getByText('客户合并与删除').click();
    expect(await olderDialog.getByTestId('webhook-topics-from-now').textContent()).toBe('客户合并与删除从保存时起推送：此前发生的不会推送。');
    await olderDialog.getByTestId('webhook-submit').click();
    await olderMark.waitFor({ state: 'detached' });
    expect(await olderTopics()).toEqual(['tag_changes', 'customer_changes']);
    await api(admin, 'DELETE', `/webhooks/${String(older.id)}`);
    await api(admin, 'DELETE', `/webhooks/${String(careHooks.items[0]?.id)}`);
    await page.getByTestId('webhooks-reload').click();
    // Both rows go (the older one's address holds this one's): counted, not waited for one by one.
    await expect.poll(() => careRow.count()).toBe(0);

    // Entries and exits of one saved segment, chosen by its name.
    const segments = (await (await api(admin, 'GET', '/segments')).json()) as { items: { key: string; name: string }[] };
    const segment = segments.items[0];
    if (!segment) throw new Error('the demo workspace has no saved segment');
    await page.getByTestId('webhook-create').click();
    await page.getByTestId('webhook-url').fill(url);
    await topics.getByText('标签变化').click();
    await topics.getByText('人群进出').click();
    await page.getByTestId('webhook-segments').click();
    await page.keyboard.type(segment.name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${escapeRegExp(segment.name)}$`) }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('webhook-submit').click();
    await page.getByTestId('webhook-secret-close').click();
    const segmentRow = table.locator('tbody tr.ant-table-row', { hasText: url });
    await segmentRow.waitFor();
    // Every column, the actions included, in view on a laptop screen.
    expect(await table.locator('.ant-table-content, .ant-table-body').first().evaluate((scroller) => scroller.scrollWidth <= scroller.clientWidth)).toBe(true);
    expect(await segmentRow.getByTestId('webhook-watched-segments').textContent()).toBe(`人群进出：${segment.name}`);
    // Each language with its own colon.
    await page.getByTestId('language-switch').getByText('EN').click();
    await expect.poll(() => segmentRow.getByTestId('webhook-watched-segments').textContent()).toBe(`Segment entries and exits: ${segment.name}`);
    await page.getByTestId('language-switch').getByText('中文').click();
    await expect.poll(() => segmentRow.getByTestId('webhook-watched-segments').textContent()).toBe(`人群进出：${segment.name}`);
    const segmentHooks = (await (await api(admin, 'GET', '/webhooks')).json()) as { items: { id: number; topics: string[]; segments: string[] }[] };
    expect(segmentHooks.items.map((each) => [each.topics, each.segments])).toEqual([[['segment_changes'], [segment.key]]]);
    await api(admin, 'DELETE', `/webhooks/${String(segmentHooks.items[0]?.id)}`);
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('says why a webhook fails beside its failures, in words, without a hover', async () => {
    // A port nothing listens on any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const made = (await (await api(admin, 'POST', '/webhooks', { url })).json()) as { id: number };
    const customers = (await (await api(admin, 'GET', '/customers?limit=1')).json()) as { items: { id: string }[] };
    const library = (await (await api(admin, 'GET', '/tags')).json()) as { items: { key: string; scope: string; kind: string; values: { key: string }[] }[] };
    const tag = library.items.find((candidate) => candidate.scope !== 'personal' && candidate.kind === 'manual');
    if (!tag || !customers.items[0]) throw new Error('the demo workspace has no manual shared tag or no customer');
    expect((await api(admin, 'POST', `/customers/${customers.items[0].id}/tags`, { tag: tag.key, value: tag.values[0]?.key })).status).toBe(200);
    expect((await deliverWebhooks(store)).failed).toBeGreaterThanOrEqual(1);
    await page.goto(`${base}/webhooks`);
    const reason = page.getByTestId(`webhook-error-${made.id}`);
    await expect.poll(() => reason.textContent()).toBe('连接被拒绝：接收方没有在这个地址和端口上监听 (ECONNREFUSED)');
    expect(await reason.isVisible()).toBe(true);
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => reason.textContent()).toBe('Connection refused: nothing listens at this address and port (ECONNREFUSED)');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
    // Tried again at once on request, rather than when its pause runs out; the page looks again by itself.
    const status = page.getByTestId(`webhook-status-${made.id}`);
    await expect.poll(() => status.textContent()).toContain('失败 1 次');
    await page.getByTestId(`webhook-retry-${made.id}`).click();
    await page.locator('.ant-message-info', { hasText: '将在一秒内重试' }).waitFor();
    expect((await deliverWebhooks(store)).failed).toBe(1);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('失败 2 次');
    // Paused: nothing is posted, and the page says who paused it; resumed, it fails again as before.
    await page.getByTestId(`webhook-pause-${made.id}`).click();
    await expect.poll(() => status.textContent()).toContain('已暂停');
    expect(await status.textContent()).toContain('李娜');
    expect(await page.getByTestId(`webhook-retry-${made.id}`).count()).toBe(0);
    await page.getByTestId(`webhook-resume-${made.id}`).click();
    await expect.poll(() => status.textContent()).toContain('失败 2 次');
    await api(admin, 'DELETE', `/webhooks/${made.id}`);
  });

  it("keeps a store's staff in their store: the switcher offers only the workspaces their token names", async () => {
    const limited = (await createAccessToken(store, { name: '门店-小刘', role: 'operator', workspaces: ['demo'] }, systemClock())).token;
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-page').waitFor();
    // Made behind the server's back, as the command line would: it counts once the server reads its tokens again.
    await page.waitForTimeout(TOKENS_READ_EVERY_MS + 100);
    // Until their own list is read, the switcher offers nothing: not the workspaces the
    // administrator signed in before them saw.
    let releaseList = () => undefined as void;
    const listHeld = new Promise<void>((resolve) => (releaseList = resolve));
    let listAsked = 0;
    const holdList = async (route: Route) => {
      if (route.request().headers()['authorization'] === `Bearer ${limited}`) {
        listAsked += 1;
        await listHeld;
      }
      await continueHeld(route);
    };
    await page.route(/\/api\/v1\/workspaces(\?|$)/, holdList);
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    try {
      await signIn(limited);
      await expect.poll(() => listAsked).toBeGreaterThanOrEqual(1);
      await page.getByTestId('workspace-switcher').click();
      await page.locator('.ant-select-dropdown:visible').waitFor();
      expect(await options.count()).toBe(0);
      await page.keyboard.press('Escape');
    } finally {
      releaseList();
      await page.unroute(/\/api\/v1\/workspaces(\?|$)/, holdList);
    }
    await page.getByTestId('workspace-switcher').click();
    await expect.poll(() => options.count()).toBe(1);
    expect(await options.first().textContent()).toContain('(demo)');
    expect(await page.getByTestId('workspace-create').count()).toBe(0);
    // Nor rename it: that is an administrator's.
    expect(await page.getByTestId('workspace-edit').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem', { name: /(^| )客户$/ }).click();
    await page.getByTestId('customer-table').locator('tbody tr.ant-table-row').first().waitFor();
  });

  it("shows a store manager, an administrator in their store only, no access tokens to manage, saying why, rather than an error over an empty list", async () => {
    const manager = (await createAccessToken(store, { name: '门店-店长', role: 'admin', workspaces: ['demo'] }, systemClock())).token;
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-page').waitFor();
    await page.waitForTimeout(TOKENS_READ_EVERY_MS + 100);
    await signIn(manager);
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('门店-店长 · 管理员');
    // Their store's name and time zone are theirs to change; new workspaces are not theirs to make.
    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId('workspace-edit').waitFor();
    expect(await page.getByTestId('workspace-create').count()).toBe(0);
    // Nor is deleting it theirs: the dialog has no foot for it.
    await page.getByTestId('workspace-edit').click();
    await page.getByTestId('workspace-edit-name').waitFor();
    expect(await page.getByTestId('workspace-delete-zone').count()).toBe(0);
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await page.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
    // Their store's audit trail and webhooks are theirs; the server's tokens are not.
    await page.getByRole('menuitem', { name: '审计日志' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '访问令牌' }).count()).toBe(0);
    await page.goto(`${base}/tokens`);
    const note = page.getByTestId('tokens-admin-only');
    await note.waitFor();
    expect(await note.textContent()).toContain('仅限部分工作空间');
    expect(await page.getByTestId('token-table').count()).toBe(0);
    expect(await page.getByTestId('token-create').count()).toBe(0);
    await page.getByTestId('language-switch').getByText('EN').click();
    await expect.poll(() => note.textContent()).toContain('limited to some workspaces');
    await page.getByTestId('language-switch').getByText('中文').click();
  });
});

describe.runIf(runnable)('web console making the first access token', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole({ name: 'web-first-token', demo: { customers: 5, eventsPerCustomer: 1, seed: 11 } });
    ({ page, base } = session);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'first-token', context.task));

  const tokensStatus = async () => (await fetch(`${base}/api/v1/tokens`, { headers: { 'x-tagbase-workspace': 'demo' } })).status;
  const storedToken = () => page.evaluate<string | null>("localStorage.getItem('tagbase.token')");

  it("makes the first token an administrator's and signs in with it; revoking it opens the API again", async () => {
    expect(await tokensStatus()).toBe(200);
    await page.goto(`${base}/tokens`);
    await page.getByTestId('token-table').waitFor();
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-first-note').waitFor();
    expect(await page.getByTestId('token-role').textContent()).toBe('管理员');
    await page.getByTestId('token-name').fill('店长-张伟');
    await page.getByTestId('token-submit').click();
    const shown = page.getByTestId('token-created-value');
    await shown.waitFor();
    const made = (await shown.textContent()) ?? '';
    expect(made).toMatch(/^tb_/);
    // The API is closed from now on, and the console is already in with the new token.
    expect(await tokensStatus()).toBe(401);
    await expect.poll(storedToken).toBe(made);
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('店长-张伟 · 管理员');
    await page.getByTestId('token-created-close').click();
    const row = page.getByTestId('token-table').locator('tbody tr.ant-table-row', { hasText: '店长-张伟' });
    await expect.poll(() => row.textContent()).toContain('当前使用');
    expect(await page.getByTestId('sign-in-page').count()).toBe(0);

    await page.getByTestId('token-revoke-店长-张伟').click();
    const confirm = page.locator('.ant-popconfirm:visible');
    expect(await confirm.textContent()).toContain('你将被退出登录');
    await confirm.getByTestId('token-revoke-ok').click();
    // With no live token left there is nothing to sign in to: the console stays, acting as no one.
    await page.getByTestId('actor-input').waitFor();
    expect(await page.getByTestId('sign-in-page').count()).toBe(0);
    expect(await storedToken()).toBeNull();
    expect(await tokensStatus()).toBe(200);
    await expect.poll(() => row.textContent()).toContain('已吊销');
  });
});

/** Chooses a role in the token form and waits until the select shows it. */
async function pickRole(page: Page, label: string): Promise<void> {
  await page.getByTestId('token-role').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${label}$`) }).click();
  // While the list is open the select also holds its options for screen readers: read the chosen one.
  await expect.poll(() => page.getByTestId('token-role').locator('.ant-select-selection-item').textContent()).toBe(label);
}

/** A name as a pattern that matches only itself. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
