// The care to-do list on a salesperson's phone (390 × 844), in a real browser: each reminder a card
// the screen's width, its message in full and 完成 / 推迟 / 忽略 under it, where a table put them a
// sideways scroll away; and a new workspace's empty list saying where care plans are made, an
// empty list on a phone and on a wide screen without a pager counting 共 0 条 under it.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/time.js';
import { createAccessToken } from '../../src/engine/access-tokens.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { PHONE, callApi, consoleRunnable, fitsWidth, focusedControl, phonePage, screenshotFailure, seriousAxeViolations, signInAs, startConsole, stopConsole, unnamedControls, type ConsoleSession } from '../support/console.js';

const runnable = consoleRunnable('the care to-do list on a phone');

describe.runIf(runnable)('the care to-do list on a phone', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let context: BrowserContext | undefined;
  let phone: Page;
  let base = '';
  let admin = '';
  let viewer = '';
  const ids: number[] = [];
  const call = (method: string, path: string, body?: unknown) => callApi(base, method, path, body, { 'x-tagbase-workspace': 'default', authorization: `Bearer ${admin}` });
  const reminder = async (id: number) => ((await call('GET', '/care/reminders?status=due&limit=100')) as { items: { id: number }[] }).items.some((each) => each.id === id);
  /** The to-do list's pager by the total it shows, or 'none' without one. */
  const pager = async (page: Page) => ((await page.getByTestId('care-reminders-total').count()) === 0 ? 'none' : await page.getByTestId('care-reminders-total').textContent());

  /** Opens the console on `page` as the holder of `token`, in the default workspace and `lang`. */
  const signIn = (page: Page, token: string, lang: 'zh-CN' | 'en-US') => signInAs(page, base, token, lang);

  beforeAll(async () => {
    session = await startConsole({
      name: 'web-care-phone',
      demo: null,
      prepare: async (store) => {
        await ensureDefaultWorkspace(store, systemClock);
        admin = (await createAccessToken(store, { name: 'Alice', role: 'admin' }, systemClock())).token;
        viewer = (await createAccessToken(store, { name: '李雷', role: 'viewer' }, systemClock())).token;
      },
    });
    base = session.base;
    ({ context, phone } = await phonePage(session.browser));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stopConsole(session ?? {});
  });

  afterEach(async (test) => {
    await screenshotFailure(phone, 'care-phone', test.task);
    await screenshotFailure(session?.page, 'care-phone-desktop', test.task);
  });

  it('says in a new workspace that there is no care plan yet, and leads whoever may make one to the plans', async () => {
    await signIn(phone, admin, 'zh-CN');
    await phone.goto(`${base}/care`);
    const empty = phone.getByTestId('care-reminders-no-plans');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('还没有关怀计划');
    expect(await phone.getByTestId('care-reminders-none').count()).toBe(0);
    // Nothing to page through: no pager saying 共 0 条 under the sentence that says so, nor its empty room.
    expect(await pager(phone)).toBe('none');
    expect(await phone.getByTestId('care-reminders').locator('.ant-list-pagination').count()).toBe(0);
    expect(await fitsWidth(phone)).toBe(true);
    const link = phone.getByTestId('care-reminders-to-plans');
    expect(await link.textContent()).toBe('去关怀计划新建');
    await link.click();
    await phone.getByTestId('care-plan-create').waitFor();
    expect(new URL(phone.url()).searchParams.get('tab')).toBe('plans');
  });

  it('tells a viewer, who makes no plans, only that there is none, in English too', async () => {
    await signIn(phone, viewer, 'en-US');
    await phone.goto(`${base}/care`);
    const empty = phone.getByTestId('care-reminders-no-plans');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No care plans yet');
    expect(await phone.getByTestId('care-reminders-to-plans').count()).toBe(0);
  });

  it('shows each reminder as a card the screen’s width: the customer, plan, due time, message and buttons all in sight', async () => {
    await call('POST', '/care/plans', { key: 'thanks', name: '感谢购买', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，感谢您在本店购买，这是一条足够长、在手机上需要折成几行才能读完的关怀消息，请完整显示给导购。' }] });
    const customers = ['R1', 'R2', 'R3', 'R4', 'R5'];
    await call('POST', '/customers', { customers: customers.map((id) => ({ id, name: id === 'R1' ? '郑州远景医疗器械有限公司' : `客户${id}` })) });
    const at = new Date(Date.now() - 60_000).toISOString();
    await call('POST', '/events', { events: customers.map((id) => ({ id: `paid-${id}`, customer_id: id, type: 'order_paid', occurred_at: at, properties: { order_id: `O-${id}`, amount: 10 } })) });
    await call('POST', '/care/run', {});
    const due = (await call('GET', '/care/reminders?status=due')) as { items: { id: number; customer: { id: string; name: string } }[] };
    ids.push(...due.items.map((each) => each.id));
    expect(ids).toHaveLength(5);

    await signIn(phone, admin, 'zh-CN');
    await phone.goto(`${base}/care`);
    const first = phone.getByTestId(`care-reminder-${String(ids[0])}`);
    await first.waitFor();
    // Cards, not a table scrolled sideways.
    expect(await phone.getByTestId('care-reminders').locator('table').count()).toBe(0);
    expect(await phone.locator('[data-testid^="care-reminder-"]').count()).toBe(5);
    expect(await fitsWidth(phone)).toBe(true);
    // A single page still says how many there are.
    expect(await pager(phone)).toBe('共 5 条');
    const customer = due.items[0]?.customer.id ?? '';
    expect(await first.getByRole('link').first().getAttribute('href')).toBe(`/customers/${customer}`);
    expect(await first.textContent()).toContain('感谢购买');
    expect(await first.textContent()).toContain('到期');
    // The message in full, wrapped within the screen.
    const message = phone.getByTestId(`care-message-${String(ids[0])}`);
    expect(await message.textContent()).toContain('请完整显示给导购。');
    const onScreen = async (testId: string) => {
      const box = await phone.getByTestId(testId).boundingBox();
      return box !== null && box.x >= 0 && box.x + box.width <= PHONE.width && box.height >= 39.5;
    };
    const messageBox = await message.boundingBox();
    expect(messageBox && messageBox.x >= 0 && messageBox.x + messageBox.width <= PHONE.width).toBe(true);
    for (const action of ['done', 'snooze', 'dismiss']) expect(await onScreen(`care-${action}-${String(ids[0])}`), action).toBe(true);
    // Each button says what it does to whom.
    expect(await phone.getByTestId(`care-done-${String(ids[0])}`).getAttribute('aria-label')).toBe(`完成对${due.items[0]?.customer.name ?? ''}的提醒`);
    // For a screen reader as for the eye: every control named, no serious rule broken.
    expect(await unnamedControls(phone, '[data-testid="care-reminders"]')).toEqual([]);
    expect(await seriousAxeViolations(phone, 'care-reminders')).toEqual([]);
  });

  it('closes, puts off and dismisses a reminder from its card, the focus going on to the next card', async () => {
    const [first, second, third, fourth, fifth] = ids.map(String);
    // 完成, tapped.
    await phone.getByTestId(`care-done-${first}`).tap();
    await expect.poll(() => phone.getByTestId(`care-reminder-${first}`).count()).toBe(0);
    expect(await reminder(Number(first))).toBe(false);
    expect(((await call('GET', '/care/reminders?status=done')) as { items: { id: number }[] }).items.map((each) => String(each.id))).toContain(first);
    // 推迟 by a day, tapped: the reminder is scheduled again.
    await phone.getByTestId(`care-snooze-${second}`).tap();
    await phone.getByTestId(`care-snooze-${second}-1d`).tap();
    await expect.poll(() => phone.getByTestId(`care-reminder-${second}`).count()).toBe(0);
    expect(((await call('GET', '/care/reminders?status=scheduled')) as { items: { id: number }[] }).items.map((each) => String(each.id))).toContain(second);
    // 忽略 from the keyboard: the focus goes on to the same button of the card now in its place.
    await phone.getByTestId(`care-dismiss-${third}`).focus();
    await phone.keyboard.press('Enter');
    await expect.poll(() => phone.getByTestId(`care-reminder-${third}`).count()).toBe(0);
    expect(((await call('GET', '/care/reminders?status=dismissed')) as { items: { id: number }[] }).items.map((each) => String(each.id))).toContain(third);
    await expect.poll(() => focusedControl(phone)).toBe(`care-dismiss-${fourth}`);
    await phone.getByTestId(`care-done-${fourth}`).focus();
    await phone.keyboard.press('Enter');
    await expect.poll(() => focusedControl(phone)).toBe(`care-done-${fifth}`);
    await phone.keyboard.press('Enter');
    // The last one gone: the focus goes to the list's reload button.
    await expect.poll(() => focusedControl(phone)).toBe('care-reload');
    // Plans, but nothing due: the list says just that.
    await phone.getByTestId('care-reminders-none').waitFor();
    expect(await phone.getByTestId('care-reminders-none').textContent()).toBe('没有待处理的提醒');
    expect(await phone.getByTestId('care-reminders-no-plans').count()).toBe(0);
    expect(await fitsWidth(phone)).toBe(true);
    expect(await pager(phone)).toBe('none');
  });

  it('keeps the table on a wide screen', async () => {
    const desktop = session?.page;
    if (!desktop) throw new Error('no desktop page');
    await desktop.setViewportSize({ width: 1440, height: 900 });
    await signIn(desktop, admin, 'zh-CN');
    await desktop.goto(`${base}/care?status=done`);
    const table = desktop.getByTestId('care-reminders');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await desktop.locator('[data-testid^="care-reminder-"]').count()).toBe(0);
    expect(await table.locator('thead th').allTextContents()).toEqual(['到期时间', '客户', '关怀计划', '消息', '完成人', '操作']);
    const reopen = table.locator('tbody tr.ant-table-row').first().locator('[data-testid^="care-reopen-"]');
    expect(await reopen.count()).toBe(1);
    expect(await fitsWidth(desktop)).toBe(true);
    const done = (await call('GET', '/care/reminders?status=done&limit=1')) as { total: number };
    expect(await pager(desktop)).toBe(`共 ${String(done.total)} 条`);
    // Nothing skipped: the table says so, with no pager of 共 0 条 under it.
    await desktop.getByTestId('care-status-skipped').click();
    await desktop.getByTestId('care-reminders-none').waitFor();
    expect(await desktop.getByTestId('care-reminders-none').textContent()).toBe('没有跳过的提醒');
    expect(await pager(desktop)).toBe('none');
  });
});
