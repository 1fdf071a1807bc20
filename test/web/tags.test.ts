// The tag library's editing and governance in a real browser (Debian's Chromium through
// playwright-core): a model's tag nobody holds sends the operator to the model, two records of one
// phone written two ways are merged from the finding, two shared tags whose names read as one open
// in the editor from theirs, a saved value is removed or merged into
// another with its holders, unsaved edits are not lost to the ×, a tag nobody holds is deleted
// from its editor's danger area (one customers hold or a webhook reads is not; one whose changes a
// due webhook has yet to post is, the changes posted first), its colour is
// picked from the keyboard, and a
// save refused part way says what was saved and saves only the rest next time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerConfirm, callApi, consoleRunnable, type ConsoleSession, screenshotFailure, startConsole, stopConsole } from '../support/console.js';

const runnable = consoleRunnable('the tag library’s editing');

interface TagJson {
  name: string;
  customers: number;
  description?: string | null;
  values: { key: string; name: string; customers: number; description?: string | null }[];
}

describe.runIf(runnable)('editing the tag library', { timeout: 120_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';
  const headers = { 'x-tagbase-workspace': 'demo', 'content-type': 'application/json' };
  const call = (method: string, path: string, body?: unknown) => callApi(base, method, path, body);
  const tag = async (key: string) => (await call('GET', `/tags/${key}`)) as TagJson;

  beforeAll(async () => {
    session = await startConsole({ name: 'web-tags', demo: { customers: 40, eventsPerCustomer: 2, seed: 11 } });
    ({ page, base } = session);
    await call('POST', '/customers', { customers: ['T1', 'T2', 'T3', 'T4', 'T5'].map((id) => ({ id })) });
    await call('POST', '/tags', { key: 'stage', name: '阶段', values: [{ key: 'a', name: '甲' }, { key: 'b', name: '乙' }, { key: 'c', name: '丙' }] });
    await call('POST', '/tags/stage/assign', { value: 'a', customers: ['T1', 'T2', 'T3'] });
    await call('POST', '/tags/stage/assign', { value: 'b', customers: ['T4', 'T5'] });
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  afterEach((context) => screenshotFailure(page, 'tags', context.task));

  const openEditor = async () => {
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-edit-stage').click();
    await page.getByTestId('tag-editor').waitFor();
  };

  it('says of a model’s tag nobody holds that its parameters give it to nobody, and links to the model', async () => {
    await call('PUT', '/models/vip', { params: { spend_365d: 99_999_999 } });
    await page.goto(`${base}/tags`);
    const report = page.getByTestId('governance-report');
    await expect.poll(() => report.textContent()).toContain('模型「VIP」按现在的参数没有给任何客户 — 在模型页调整参数，或停用这个模型');
    expect(await report.textContent()).not.toContain('「VIP」没有客户持有');
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => report.textContent()).toContain('the “VIP” model gives it to nobody with its parameters now — change them on the Models page, or disable the model');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
    // Staff who each made the same personal tag, when the shared library has it: told to use it.
    await call('POST', '/tags', { key: 'golf', name: '高尔夫球友', values: [{ key: 'yes', name: '是' }] });
    for (const owner of ['wang', 'li', 'zhang']) {
      const made = await fetch(`${base}/api/v1/tags`, { method: 'POST', headers: { ...headers, 'x-tagbase-actor': owner }, body: JSON.stringify({ key: `golf_${owner}`, name: '高尔夫 球友', scope: 'personal', values: [{ key: 'yes', name: '是' }] }) });
      expect(made.status).toBe(201);
    }
    await page.getByRole('button', { name: '重新检查' }).click();
    // It comes last, on the list's last page.
    await report.locator('.ant-pagination-item').last().click();
    await expect.poll(() => report.textContent()).toContain('3 位员工各自建了「高尔夫 球友」，企业标签「golf」已经有了，可以改用它');
    // One phone held by two customers, with 00 and with + (as the upgrade to the + form left them): inserted directly, since the API would store both as the + form.
    await call('POST', '/customers', { customers: [{ id: 'P1', identities: [{ kind: 'phone', value: '+85212345678' }] }, { id: 'P2', name: '林' }] });
    const db = session?.store.db;
    if (!db) throw new Error('no store');
    const workspace = await db.selectFrom('workspaces').select('id').where('key', '=', 'demo').executeTakeFirstOrThrow();
    const p2 = await db.selectFrom('customers').select('id').where('workspace_id', '=', workspace.id).where('external_id', '=', 'P2').executeTakeFirstOrThrow();
    await db.insertInto('identities').values({ workspace_id: workspace.id, kind: 'phone', value: '0085212345678', customer_id: p2.id }).execute();
    await page.getByRole('button', { name: '重新检查' }).click();
    await report.locator('.ant-pagination-item').last().click();
    await expect.poll(() => report.textContent()).toContain('客户「P2」以 00 开头保存的 +85212345678 与客户「P1」以 + 开头保存的是同一个号码；如果是同一个人，可以把「P2」合并到「P1」');
    // Merged from the finding: the question names the record that stays and says it cannot be undone.
    await report.getByTestId('governance-merge-P2').click();
    const question = page.locator('.ant-popconfirm');
    await expect.poll(() => question.textContent()).toContain('把客户「P2」合并到「P1」？');
    expect(await question.textContent()).toContain('保留「P1」：「P2」的身份标识、事件、标签和历史都并入它，字段以「P1」为准，空着的由「P2」补上；此后「P2」指向「P1」。合并后无法撤销。');
    await page.getByTestId('governance-merge-confirm').click();
    await expect.poll(() => report.textContent()).not.toContain('客户「P2」');
    expect(await call('GET', '/customers/P2')).toMatchObject({ id: 'P1', name: '林' });
    // The list may be one page now.
    const pages = report.locator('.ant-pagination-item');
    if ((await pages.count()) > 0) await pages.first().click();
    await page.getByTestId('governance-model-vip').click();
    await page.waitForURL(/\/models\?model=vip$/);
    // What the model's tag and its value mean is the operators' to write in the tag editor; its name and values stay the model's.
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-edit-vip').click();
    await page.getByTestId('tag-model-owned').waitFor();
    expect(await page.getByTestId('tag-name').isDisabled()).toBe(true);
    expect(await page.getByTestId('value-name-0').isDisabled()).toBe(true);
    expect(await page.getByTestId('value-up-0').count()).toBe(0);
    expect(await page.getByRole('button', { name: '添加值' }).count()).toBe(0);
    await page.getByTestId('tag-description').fill('一年消费达到门槛的客户');
    await page.getByTestId('value-description-0').fill('可以邀请参加 VIP 活动');
    await page.getByTestId('tag-save').click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('tag-description-vip').textContent()).toBe('一年消费达到门槛的客户');
    const vip = await tag('vip');
    expect([vip.name, vip.description, vip.values[0]?.name, vip.values[0]?.description]).toEqual(['VIP', '一年消费达到门槛的客户', 'VIP客户', '可以邀请参加 VIP 活动']);
    await call('DELETE', '/models/vip');
  });

  it('names shared tags whose names read as one, and opens each in the editor', async () => {
    await call('POST', '/tags', { key: 'high_value', name: '高价值', values: [{ key: 'yes', name: '是' }] });
    await call('POST', '/tags', { key: 'high_value_2', name: '高 价值', values: [{ key: 'yes', name: '是' }] });
    await page.goto(`${base}/tags`);
    const report = page.getByTestId('governance-report');
    await report.locator('.ant-list-item').first().waitFor();
    // Found on whichever page of the list it falls.
    const showing = async (text: string) => {
      const pages = report.locator('.ant-pagination-item');
      for (let index = 0; index < Math.max(1, await pages.count()); index++) {
        if (index > 0) await pages.nth(index).click();
        if ((await report.textContent())?.includes(text)) return true;
      }
      return false;
    };
    expect(await showing('「高价值」和「高 价值」读起来是同一个名称（不计全角半角、大小写、空格和标点），可以给其中一个改名，或归档不需要的那个')).toBe(true);
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => report.textContent()).toContain('“高价值” and “高 价值” read as one name (width, case, spaces and punctuation aside); rename one, or archive the one not needed');
      expect(await report.getByTestId('governance-edit-high_value_2').textContent()).toBe('Edit “高 价值”');
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
    await report.getByTestId('governance-edit-high_value_2').click();
    await page.getByTestId('tag-editor').waitFor();
    expect(await page.getByTestId('tag-name').inputValue()).toBe('高 价值');
    // Renamed apart, they are a finding no more.
    await page.getByTestId('tag-name').fill('高价值（门店）');
    await page.getByTestId('tag-save').click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    await expect.poll(() => showing('「高价值」')).toBe(false);
    expect(((await call('GET', '/governance')) as { duplicate_tags: unknown[] }).duplicate_tags).toEqual([]);
  });

  it('asks before the × throws away what was typed', async () => {
    await openEditor();
    await page.getByTestId('tag-name').fill('阶段（新）');
    await page.locator('.ant-drawer-close').click();
    await answerConfirm(page, '继续编辑');
    expect(await page.getByTestId('tag-name').inputValue()).toBe('阶段（新）');
    await page.locator('.ant-drawer-close').click();
    await answerConfirm(page, '放弃修改');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    expect((await tag('stage')).name).toBe('阶段');
    // Nothing changed, nothing asked.
    await page.getByTestId('tag-edit-stage').click();
    // A tag customers hold cannot be deleted: its danger area says how many, its button greyed out.
    await expect.poll(() => page.getByTestId('tag-delete-zone').textContent()).toContain('5 位客户持有它：请先批量移除，再删除。');
    expect(await page.getByTestId('tag-delete').isDisabled()).toBe(true);
    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    // One nobody holds or reads goes, after a confirmation, with the editor.
    await call('POST', '/tags', { key: 'oops', name: '误建', values: [{ key: 'y', name: '是' }] });
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-edit-oops').click();
    await expect.poll(() => page.getByTestId('tag-delete').isDisabled()).toBe(false);
    await page.getByTestId('tag-delete').click();
    await page.locator('.ant-modal-confirm').getByText('标签「误建」、它的 1 个值和客户的标签历史将被永久删除，无法恢复。').waitFor();
    await answerConfirm(page, '删除标签');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    expect((await fetch(`${base}/api/v1/tags/oops`, { headers })).status).toBe(404);
    await page.getByTestId('tag-edit-oops').waitFor({ state: 'detached' });
    // One nobody holds but a webhook reads cannot go either: the danger area names the webhook
    // and its button is greyed out, rather than the server refusing the click.
    await call('POST', '/tags', { key: 'hooked', name: '推送', values: [{ key: 'y', name: '是' }] });
    const hook = (await call('POST', '/webhooks', { url: 'https://crm.example.com/hooks/tagbase', tags: ['hooked'] })) as { id: number };
    try {
      await page.goto(`${base}/tags`);
      await page.getByTestId('tag-edit-hooked').click();
      await expect.poll(() => page.getByTestId('tag-delete-zone').textContent()).toContain(`这些正在读取它，请先修改：Webhook ${String(hook.id)}`);
      expect(await page.getByTestId('tag-delete').isDisabled()).toBe(true);
      // The tag's colour is picked from the keyboard: Tab from the group reaches it by its name,
      // Enter and Space open its panel, Escape closes it and leaves the focus on it, the editor open.
      const picker = page.getByRole('button', { name: '标签颜色', exact: true });
      const focused = () => picker.evaluate((element) => element === element.ownerDocument.activeElement);
      await page.getByRole('combobox', { name: '分组' }).focus();
      await page.keyboard.press('Tab');
      await expect.poll(focused).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('true');
      await page.locator('.ant-color-picker-inner').waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('false');
      expect(await focused()).toBe(true);
      // Open, Tab goes on into its panel, and Escape there closes it, back on the picker.
      await page.keyboard.press(' ');
      await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Tab');
      await expect.poll(() => picker.evaluate((element) => (element.ownerDocument.activeElement?.closest('.ant-popover') ?? null) !== null)).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('false');
      expect(await focused()).toBe(true);
      expect(await page.getByTestId('tag-editor').isVisible()).toBe(true);
      // The pointer opens it as before.
      await picker.click();
      await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Escape');
      await expect.poll(() => picker.getAttribute('aria-expanded')).toBe('false');
      await page.locator('.ant-drawer-close').click();
      await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    } finally {
      await call('DELETE', `/webhooks/${String(hook.id)}`);
    }
    // Changes of the tag a webhook posting every shared tag has yet to post hold the deletion up
    // while that webhook is paused; once it is due, the button is enabled, the confirmation says
    // they are posted first, and the deletion posts them, then goes.
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      // Decoded whole: a chunk may end within a character.
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const every = (await call('POST', '/webhooks', { url: `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hooks` })) as { id: number };
    try {
      await call('POST', '/tags', { key: 'pending', name: '待推送', values: [{ key: 'y', name: '是' }] });
      await call('POST', '/tags/pending/assign', { value: 'y', customers: ['T1'] });
      await call('POST', '/tags/pending/unassign', { customers: ['T1'] });
      await call('POST', `/webhooks/${String(every.id)}/pause`, {});
      await page.goto(`${base}/tags`);
      await page.getByTestId('tag-edit-pending').click();
      await expect.poll(() => page.getByTestId('tag-delete-zone').textContent()).toContain(`Webhook ${String(every.id)} 尚未推送它的全部变更：推送完成后再删除`);
      expect(await page.getByTestId('tag-delete').isDisabled()).toBe(true);
      await page.locator('.ant-drawer-close').click();
      await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
      await call('POST', `/webhooks/${String(every.id)}/resume`, {});
      await page.goto(`${base}/tags`);
      await page.getByTestId('tag-edit-pending').click();
      await expect.poll(() => page.getByTestId('tag-delete').isDisabled()).toBe(false);
      expect(await page.getByTestId('tag-delete-reason').count()).toBe(0);
      await page.getByTestId('tag-delete').click();
      expect(await page.getByTestId('tag-delete-posted-first').textContent()).toBe(`Webhook ${String(every.id)} 尚未推送它的全部变更：删除前会先推送它们。`);
      await answerConfirm(page, '删除标签');
      await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
      expect((await fetch(`${base}/api/v1/tags/pending`, { headers })).status).toBe(404);
      const posted = received.flatMap((text) => (JSON.parse(text) as { changes?: { tag: string | null; action: string; customer_id: string }[] }).changes ?? []).filter((change) => change.tag === 'pending');
      expect(posted.map((change) => [change.action, change.customer_id])).toEqual([
        ['add', 'T1'],
        ['remove', 'T1'],
      ]);
    } finally {
      await call('DELETE', `/webhooks/${String(every.id)}`);
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('counts a rule tag’s value once it has a condition, rather than showing one still empty as being counted', async () => {
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-create').click();
    // A new tag's name takes what is typed at once, without tabbing past the drawer's ×.
    await expect.poll(() => page.evaluate<string | null | undefined>("document.activeElement?.getAttribute('data-testid')")).toBe('tag-name');
    await page.keyboard.type('消费');
    expect(await page.getByTestId('tag-name').inputValue()).toBe('消费');
    await page.getByTestId('tag-key').fill('spend_rule');
    await page.getByTestId('tag-kind').getByText('规则').click();
    await page.getByTestId('value-key-0').fill('big');
    await page.getByTestId('value-name-0').fill('大');
    await expect.poll(() => page.getByTestId('tag-save-missing').textContent()).toBe('还差「大」的条件表达式');
    expect(await page.getByTestId('value-count-0').count()).toBe(0);
    await page.getByTestId('value-condition-0').fill('spend_365d >= 0');
    await expect.poll(() => page.getByTestId('value-count-0').getAttribute('data-count')).toMatch(/^\d+$/);
    // An ordered tag says which way its values run, read from the rows as they stand.
    await page.getByTestId('value-key-0').fill('small');
    await page.getByTestId('value-name-0').fill('小');
    await page.getByRole('button', { name: '添加值' }).click();
    await page.getByTestId('value-key-1').fill('big');
    await page.getByTestId('value-name-1').fill('大');
    expect(await page.getByTestId('ordered-chain').count()).toBe(0);
    await page.getByRole('switch', { name: '有序' }).click();
    expect(await page.getByTestId('ordered-chain').textContent()).toBe('从低到高：小 < 大');
    await page.locator('.ant-drawer-close').click();
    await answerConfirm(page, '放弃修改');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
  });

  it('removes a saved value, its holders moved to another value, and shows the new counts', async () => {
    await openEditor();
    expect(await page.getByTestId('value-held-0').getAttribute('data-count')).toBe('3');
    await page.getByTestId('value-remove-0').click();
    const dialog = page.getByTestId('value-remove-dialog');
    expect(await dialog.textContent()).toContain('3 位客户持有「甲」');
    await dialog.getByText('把这些客户移到另一个值（合并两个值）').click();
    await page.getByTestId('value-remove-target').waitFor();
    await page.getByTestId('value-remove-confirm').click();
    // Nothing is removed before saving, and it can still be taken back.
    await expect.poll(() => page.getByTestId('value-removal-a').textContent()).toContain('保存时删除「甲」，3 位客户移到「乙」');
    expect((await tag('stage')).values.map((value) => value.key)).toEqual(['a', 'b', 'c']);
    await page.getByTestId('value-removal-undo-a').click();
    await page.getByTestId('value-removal-a').waitFor({ state: 'detached' });
    // Back in its own place: undoing the removal reorders nothing.
    expect(await page.getByTestId('value-name-0').inputValue()).toBe('甲');
    await page.getByTestId('value-remove-0').click();
    await page.getByTestId('value-remove-dialog').getByText('把这些客户移到另一个值（合并两个值）').click();
    await page.getByTestId('value-remove-confirm').click();
    await page.getByTestId('value-removal-a').waitFor();
    // A value nobody holds goes without a question; the last value a tag has left cannot go.
    await page.getByTestId('value-remove-1').click();
    await expect.poll(() => page.getByTestId('value-removal-c').textContent()).toContain('保存时删除「丙」');
    expect(await page.getByTestId('value-remove-0').isDisabled()).toBe(true);
    await page.getByTestId('value-removal-undo-c').click();
    expect(await page.getByTestId('value-remove-0').isDisabled()).toBe(false);
    await page.getByTestId('tag-save').click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    const saved = await tag('stage');
    expect(saved.values.map((value) => [value.key, value.customers])).toEqual([
      ['b', 5],
      ['c', 0],
    ]);
    await expect.poll(() => page.getByTestId('tag-library').locator('tr[data-row-key="stage"]').textContent()).toContain('乙 5');
    // Archiving a tag customers hold says how many before it is done.
    await page.getByTestId('tag-archive-stage').click();
    await page.locator('.ant-popconfirm').getByText('归档「阶段」？5 位客户持有它：他们的记录保留，但不能再打此标签。').waitFor();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /^取\s*消$/ }).click();
    await page.locator('.ant-popconfirm').waitFor({ state: 'hidden' });
  });

  it('says what a save refused part way kept, and saves only the rest the next time', async () => {
    // A saved segment reads 乙 by its name: renaming the value is refused, after the tag's own
    // name and a new first value were saved.
    await call('POST', '/segments', { key: 'second', name: '乙客户', expression: 'stage = "乙"' });
    await openEditor();
    await page.getByTestId('tag-name').fill('阶段2');
    await page.getByRole('button', { name: '添加值' }).click();
    await page.getByTestId('value-key-2').fill('d');
    await page.getByTestId('value-name-2').fill('丁');
    // From the keyboard: a tooltip left by a click on the button below would cover the one above.
    await page.getByTestId('value-up-2').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('value-name-1').inputValue()).toBe('丁');
    await page.getByTestId('value-up-1').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('value-name-0').inputValue()).toBe('丁');
    await page.getByTestId('value-name-1').fill('乙二');
    await page.getByTestId('tag-save').click();
    await expect.poll(() => page.getByTestId('tag-error').textContent()).toContain('前面的修改已保存，其余没有保存');
    expect(await page.getByTestId('tag-error').textContent()).toContain('人群「乙客户」（second）');
    const kept = await tag('stage');
    expect([kept.name, kept.values.map((value) => value.key)]).toEqual(['阶段2', ['d', 'b', 'c']]);
    // The library already shows what was kept.
    await expect.poll(() => page.getByTestId('tag-library').textContent()).toContain('阶段2');
    // Saving again sends only what is left: 丁 is not added a second time.
    await page.getByTestId('value-name-1').fill('乙');
    await page.getByTestId('value-name-2').fill('丙二');
    await page.getByTestId('tag-save').click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    const saved = await tag('stage');
    expect(saved.values.map((value) => [value.key, value.name])).toEqual([
      ['d', '丁'],
      ['b', '乙'],
      ['c', '丙二'],
    ]);
    await call('DELETE', '/segments/second');
  });
  it('changes a tag’s key in the editor after warning what names it by the old key, and says which segment refuses it', async () => {
    await call('POST', '/tags', { key: 'mood', name: '心情', values: [{ key: 'glad', name: '开心' }, { key: 'sad', name: '难过' }] });
    await call('POST', '/tags/mood/assign', { value: 'glad', customers: ['T1'] });
    // A saved segment reads the tag by its key: the new key is refused, and nothing else is saved.
    await call('POST', '/segments', { key: 'glad_ones', name: '开心的客户', expression: 'mood = "glad"' });
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-edit-mood').click();
    await page.getByTestId('tag-editor').waitFor();
    const key = page.getByTestId('tag-key');
    expect(await key.isEnabled()).toBe(true);
    expect(await page.getByTestId('tag-key-warning').count()).toBe(0);
    // The same rule as for a new tag's key.
    await key.fill('bad key');
    await expect.poll(() => page.getByTestId('tag-save-missing').textContent()).toContain('标识由汉字、字母、数字、_ 或 - 组成');
    expect(await page.getByTestId('tag-key-warning').count()).toBe(0);
    await key.fill('feeling');
    const warning = page.getByTestId('tag-key-warning');
    await expect.poll(() => warning.textContent()).toContain('标识将从「mood」改为「feeling」');
    expect(await warning.textContent()).toContain('已保存的人群、关怀计划的条件和规则标签若按标识「mood」读取这个标签，保存会被拒绝');
    await page.getByTestId('tag-name').fill('情绪');
    await page.getByTestId('tag-save').click();
    await expect.poll(() => page.getByTestId('tag-error').textContent()).toContain('人群「开心的客户」（glad_ones）');
    expect(await page.getByTestId('tag-error').textContent()).not.toContain('前面的修改已保存');
    expect((await tag('mood')).name).toBe('心情');
    // Read by its name, the segment lets the key change (and keeps its name); the tag keeps its holders.
    await call('PATCH', '/segments/glad_ones', { expression: '心情 = "开心"' });
    await page.getByTestId('tag-name').fill('心情');
    // What the tag and a value mean, saved with the rest.
    await page.getByTestId('tag-description').fill('客户最近一次联系时的心情');
    await page.getByTestId('value-description-0').fill('愿意听推荐');
    await page.getByTestId('tag-save').click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    const renamed = await tag('feeling');
    expect([renamed.name, renamed.customers, renamed.description, renamed.values.map((value) => value.description ?? null)]).toEqual(['心情', 1, '客户最近一次联系时的心情', ['愿意听推荐', null]]);
    await expect.poll(() => page.getByTestId('tag-library').locator('[data-testid="tag-edit-feeling"]').count()).toBe(1);
    // The library shows the tag's under its name and the value's on its chip's hover.
    expect(await page.getByTestId('tag-description-feeling').textContent()).toBe('客户最近一次联系时的心情');
    // Long ones (the demo's RFM等级) are cut to a line rather than widening the name column: the table does not scroll sideways on a laptop.
    const scroller = page.getByTestId('tag-library').locator('.ant-table-content').first();
    expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    expect(await page.getByTestId('tag-value-description-feeling-glad').getAttribute('data-description')).toBe('愿意听推荐');
    // Opened again, the editor has them; a value's emptied is taken away.
    await page.getByTestId('tag-edit-feeling').click();
    expect(await page.getByTestId('tag-description').inputValue()).toBe('客户最近一次联系时的心情');
    expect(await page.getByTestId('value-description-0').inputValue()).toBe('愿意听推荐');
    await page.getByTestId('value-description-0').fill('');
    await page.getByTestId('tag-save').click();
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    expect((await tag('feeling')).values[0]?.description ?? null).toBeNull();
    await call('DELETE', '/segments/glad_ones');
  });

  it('makes a hand tag a rule tag and back after saying what becomes of its holders, and says why a tag something shared reads stays shared', async () => {
    await call('POST', '/tags', { key: 'potential', name: '高潜客户', values: [{ key: 'high', name: '高' }, { key: 'low', name: '低' }] });
    await call('POST', '/tags/potential/assign', { value: 'high', customers: ['T1'] });
    const sourceOf = async (customer: string) => ((await call('GET', `/customers/${customer}`)) as { tags: { tag: string; source: string }[] }).tags.find((each) => each.tag === 'potential')?.source;
    await page.goto(`${base}/tags`);
    await page.getByTestId('tag-edit-potential').click();
    await page.getByTestId('tag-editor').waitFor();
    await page.getByTestId('tag-kind').getByText('规则').click();
    await page.getByTestId('value-condition-0').fill('spend_365d >= 99999999');
    await page.getByTestId('value-condition-1').fill('spend_365d < 99999999');
    // The preview counts T1 under the value given by hand, which the rule leaves alone.
    await expect.poll(() => page.getByTestId('value-count-0').getAttribute('data-count')).toBe('1');
    await page.getByTestId('tag-save').click();
    await expect.poll(() => page.getByTestId('tag-change-confirm').textContent()).toBe('现在持有「高潜客户」的 1 位客户保留各自的值：这些值是手动打的，规则不会改动这些值，直到有人手动移除。规则随即对其他所有客户执行，并随行为自动更新。');
    await answerConfirm(page, '确认修改');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    const rule = (await tag('potential')) as TagJson & { kind: string };
    expect([rule.kind, rule.values[0]?.customers]).toEqual(['rule', 1]);
    expect(rule.values[1]?.customers).toBeGreaterThan(0);
    // T1 keeps the value given by hand; T2, without orders, is given 低 by the rule.
    expect([await sourceOf('T1'), await sourceOf('T2')]).toEqual(['api', 'rule']);
    // Back to a hand tag: what the rule gave stays.
    await page.getByTestId('tag-edit-potential').click();
    await page.getByTestId('tag-editor').waitFor();
    await page.getByTestId('tag-kind').getByText('手工').click();
    await page.getByTestId('tag-save').click();
    await expect.poll(() => page.getByTestId('tag-change-confirm').textContent()).toContain(`「高潜客户」的规则将停止。持有它的 ${rule.customers} 位客户保留现在的值，但这些值不再随行为变化`);
    await answerConfirm(page, '确认修改');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    const manual = (await tag('potential')) as TagJson & { kind: string };
    expect([manual.kind, manual.customers]).toEqual(['manual', rule.customers]);
    // A shared tag a segment reads is not made personal: the refusal names the segment.
    await call('POST', '/segments', { key: 'hot', name: '高潜人群', expression: 'potential = "高"' });
    await page.getByTestId('tag-edit-potential').click();
    await page.getByTestId('tag-editor').waitFor();
    await page.getByTestId('tag-scope').getByText('个人').click();
    await page.getByTestId('tag-save').click();
    await expect.poll(() => page.getByTestId('tag-change-confirm').textContent()).toContain('改为个人标签后，只有你看得到「高潜客户」');
    await answerConfirm(page, '确认修改');
    await expect.poll(() => page.getByTestId('tag-error').textContent()).toContain('标签「高潜客户」（potential）不能改为个人标签：人群「高潜人群」（hot）正在读取它。');
    expect(((await tag('potential')) as TagJson & { scope: string }).scope).toBe('enterprise');
    await page.locator('.ant-drawer-close').click();
    await answerConfirm(page, '放弃修改');
    await page.getByTestId('tag-editor').waitFor({ state: 'detached' });
    await call('DELETE', '/segments/hot');
  });
});
