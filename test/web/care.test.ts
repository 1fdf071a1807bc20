// Customer care (客户关怀) in a real browser (Debian's Chromium through playwright-core) against
// an in-process server over a small demo store and its care plans: a plan made in the console's
// form from a template, orders that bring reminders due on 立即运行, the to-do list closing them,
// plans described, switched off, edited and deleted, and the reminders a portrait shows.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerConfirm, consoleRunnable, pick, screenshotFailure, startConsole, stopConsole, type ConsoleSession } from '../support/console.js';

const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const runnable = consoleRunnable('the customer care page');

/** Customers who paid for an order two hours ago: the after-sales thanks, 30 minutes on, is due. */
const BUYERS = [
  { id: 'CARE-001', name: '张伟', order: 'O20260001', amount: 399 },
  { id: 'CARE-002', name: '李娜', order: 'O20260002', amount: 1299 },
  { id: 'CARE-003', name: '王芳', order: 'O20260003', amount: 268 },
  { id: 'CARE-004', name: '刘洋', order: 'O20260004', amount: 89 },
  { id: 'CARE-005', name: '陈静', order: 'O20260005', amount: 2150 },
];

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface ReminderAnswer {
  total: number;
  items: { id: number; plan: { key: string }; status: string; step: number; message: string | null; resolved_by: string | null }[];
}

// Generous waits, as in console.test.ts: a slow step on a busy machine must not read as a broken one.
describe.runIf(runnable)('customer care page', { timeout: 180_000 }, () => {
  let session: ConsoleSession | undefined;
  let page: Page;
  let base = '';

  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'x-tagbase-workspace': 'demo', 'accept-language': 'zh-CN', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>) };
  };
  const reminders = async (query: string) => (await api('GET', `/care/reminders?${query}`)).body as unknown as ReminderAnswer;
  const plan = async (key: string) => (await api('GET', `/care/plans/${key}`)).body;

  beforeAll(async () => {
    session = await startConsole({ name: 'web-care', demo: { customers: 60, eventsPerCustomer: 3, seed: 23 } });
    ({ page, base } = session);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The demo comes with the after-sales plan: it goes, so that the console's form makes it again from its template.
    expect((await api('DELETE', '/care/plans/after_sales_3315')).status).toBe(204);
  }, 120_000);

  afterAll(() => stopConsole(session ?? {}));

  // A step that fails with the editor open would otherwise fail every step after it, hiding which one broke.
  afterEach(async (context) => {
    await screenshotFailure(page, 'care', context.task);
    if (page && (await page.locator('.ant-drawer-open').count()) > 0) {
      await page.locator('.ant-drawer-open .ant-drawer-close').first().click();
      // Asked first when something was typed in it.
      if ((await page.locator('.ant-modal-confirm').count()) > 0) await answerConfirm(page, '放弃');
    }
  });

  const planRow = (key: string) => page.getByTestId('care-plans').locator(`tr[data-row-key="${key}"]`);
  const reminderRow = (id: number | undefined) => page.getByTestId('care-reminders').locator(`tr[data-row-key="${id}"]`);
  const reminderRows = () => page.getByTestId('care-reminders').locator('tbody tr.ant-table-row');
  // Toasts left by earlier steps would cover the page, and the pointer a tooltip.
  const shoot = async (name: string) => {
    await page.mouse.move(640, 5);
    await page.locator('.ant-tooltip:visible').first().waitFor({ state: 'hidden' });
    await page.waitForTimeout(300); // the row the pointer left fades back
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), style: '.ant-message { display: none !important; }' });
  };

  it('makes the after-sales 3315 plan in the console’s form from its template', async () => {
    await page.goto(base);
    await page.getByRole('menuitem', { name: /关怀$/ }).click();
    expect(await page.getByTestId('care-page').locator('.ant-card-head-title').textContent()).toBe('客户关怀');
    await page.getByTestId('care-tab-plans').click();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('plans');
    await planRow('coupon_expiring').waitFor();
    expect(await planRow('after_sales_3315').count()).toBe(0);
    await page.getByTestId('care-plan-create').click();
    await page.getByTestId('care-template-after_sales_3315').click();
    expect(await page.getByTestId('care-plan-name').inputValue()).toBe('售后3315');
    expect(await page.getByTestId('care-plan-key').inputValue()).toBe('after_sales_3315');
    expect(await page.getByTestId('care-plan-event-type').locator('input').inputValue()).toBe('order_paid');
    expect(await page.getByTestId('care-plan-same-property').locator('input').inputValue()).toBe('order_id');
    expect(await page.getByTestId('care-step-1-amount').inputValue()).toBe('3');
    expect(await page.getByTestId('care-step-2-message').inputValue()).toContain('搭配');
    await page.getByTestId('care-plan-save').click();
    await page.getByTestId('care-plan-editor').waitFor({ state: 'hidden' });

    const row = planRow('after_sales_3315');
    await expect.poll(() => row.getByTestId('care-plan-trigger').textContent()).toBe('行为：支付订单');
    expect(await row.getByTestId('care-plan-steps').textContent()).toBe('30 分钟后、3 天后、7 天后');
    expect(await row.getByTestId('care-plan-cancel-rule').textContent()).toBe('订单退款（相同 order_id）时取消');
    const saved = await plan('after_sales_3315');
    expect(saved).toMatchObject({
      name: '售后3315',
      trigger: { kind: 'event', event_type: 'order_paid' },
      condition: null,
      cancel_on: { event_type: 'order_refunded', same_property: 'order_id' },
      steps: [{ after: '30m' }, { after: '3d' }, { after: '7d' }],
      enabled: true,
    });
    expect(String((saved.steps as { message: string }[])[0]?.message)).toContain('{event:order_id}');
  });

  it('offers the shop’s own event types and their properties, and says when a typed type has not arrived lately', async () => {
    const live = { id: 'care-live-1', customer_id: 'CARE-001', type: 'live_room_entered', occurred_at: new Date(Date.now() - HOUR).toISOString(), properties: { room: '直播间 A', watched_until: new Date().toISOString() } };
    expect((await api('POST', '/events', { events: [live] })).status).toBe(200);
    await page.getByTestId('care-plan-create').click();
    const eventType = page.getByTestId('care-plan-event-type');
    await eventType.locator('input').fill('live_room_entred');
    await expect.poll(() => page.getByTestId('care-plan-event-type-unseen').textContent()).toMatch(/^最近的 [\d,]+ 条行为中没有这种类型：请检查拼写/);
    await eventType.locator('input').fill('live_room');
    await page.getByTestId('care-plan-event-type-option-live_room_entered').click();
    expect(await eventType.locator('input').inputValue()).toBe('live_room_entered');
    await expect.poll(() => page.getByTestId('care-plan-event-type-unseen').count()).toBe(0);
    // The properties its events carry are offered for the time to count from.
    await page.getByTestId('care-plan-time-property').locator('input').click();
    await page.locator('.ant-select-dropdown:visible').getByText('watched_until', { exact: true }).waitFor();
    // A built-in type is never flagged, sent lately or not.
    await eventType.locator('input').fill('coupon_used');
    await page.waitForTimeout(300);
    expect(await page.getByTestId('care-plan-event-type-unseen').count()).toBe(0);
    // What was typed goes only once the × has asked.
    await page.locator('.ant-drawer-open .ant-drawer-close').first().click();
    await answerConfirm(page, '放弃');
    await page.getByTestId('care-plan-editor').waitFor({ state: 'hidden' });
  });

  it('says in the plans which plan waits for an event type that has not arrived lately', async () => {
    const visit = { key: 'store_visit', name: '到店回访', trigger: { kind: 'event', event_type: 'store_visited' }, steps: [{ after: '1d', message: '{name}，感谢到店' }] };
    expect((await api('POST', '/care/plans', visit)).status).toBe(201);
    try {
      await page.goto(`${base}/care?tab=plans`);
      await expect.poll(() => planRow('store_visit').getByTestId('care-plan-trigger-unseen').textContent()).toMatch(/^最近的 [\d,]+ 条行为中没有这种类型：收到之前计划不会安排提醒$/);
      // A plan whose event arrives says nothing of the kind.
      expect(await planRow('coupon_expiring').getByTestId('care-plan-trigger-unseen').count()).toBe(0);
      await page.getByTestId('language-switch').getByText('EN').click();
      await expect.poll(() => planRow('store_visit').getByTestId('care-plan-trigger-unseen').textContent()).toMatch(/^None of the latest [\d,]+ events has this type: the plan schedules nothing until one arrives$/);
      await page.getByTestId('language-switch').getByText('中文').click();
      // Once one arrives, the plan no longer says it waits.
      const visited = { id: 'care-visit-1', customer_id: 'CARE-002', type: 'store_visited', occurred_at: new Date().toISOString(), properties: {} };
      expect((await api('POST', '/events', { events: [visited] })).status).toBe(200);
      const types = page.waitForResponse((response) => response.url().endsWith('/api/v1/events/types'));
      await page.reload();
      await (await types).finished();
      await planRow('store_visit').waitFor();
      expect(await planRow('store_visit').getByTestId('care-plan-trigger-unseen').count()).toBe(0);
    } finally {
      expect((await api('DELETE', '/care/plans/store_visit')).status).toBe(204);
    }
  });

  it('shows the server’s refusals in the form, in its words, and saves once they are put right', async () => {
    await page.getByTestId('care-plan-create').click();
    await page.getByTestId('care-template-birthday_greeting').click();
    expect(await page.getByTestId('care-plan-days-before').inputValue()).toBe('3');
    // A birthday greeting is ahead of the day by its days, not by a step before it: the form says so at once.
    await pick(page, 'care-step-0-side', '之前');
    await page.getByTestId('care-plan-save').click();
    await expect.poll(() => page.getByTestId('care-step-0').locator('.ant-form-item-explain-error').textContent()).toContain('生日前提醒请用「提前天数」');
    expect(await page.getByTestId('care-plan-error').count()).toBe(0);
    await pick(page, 'care-step-0-side', '之后');
    await expect.poll(() => page.getByTestId('care-step-0').locator('.ant-form-item-explain-error').count()).toBe(0);
    // The demo has a birthday plan of the template's key already: the form offers a free one,
    // and a key typed over it that is taken is refused by the server, in its words.
    expect(await page.getByTestId('care-plan-key').inputValue()).toBe('birthday_greeting_2');
    await page.getByTestId('care-plan-key').fill('birthday_greeting');
    await page.getByTestId('care-plan-save').click();
    await expect.poll(() => page.getByTestId('care-plan-error').textContent()).toContain('关怀计划「birthday_greeting」已存在。');
    await page.getByTestId('care-plan-key').fill('birthday_eve');
    await page.getByTestId('care-plan-name').fill('生日前夜祝福');
    await page.getByTestId('care-plan-days-before').fill('1');
    await page.getByTestId('care-step-0-message').fill('您好 {姓名}，生日快乐！');
    await page.getByTestId('care-plan-save').click();
    await expect.poll(() => page.getByTestId('care-plan-error').textContent()).toContain('第 1 步：「{姓名}」不是占位符');
    await page.getByTestId('care-step-0-message').fill('{name}您好，明天就是您的生日了，提前祝您生日快乐！');
    await page.getByTestId('care-plan-save').click();
    await page.getByTestId('care-plan-editor').waitFor({ state: 'hidden' });
    const row = planRow('birthday_eve');
    await expect.poll(() => row.getByTestId('care-plan-trigger').textContent()).toBe('生日前 1 天');
    expect(await row.getByTestId('care-plan-steps').textContent()).toBe('9 小时后');
    expect(await plan('birthday_eve')).toMatchObject({ name: '生日前夜祝福', trigger: { kind: 'birthday', days_before: 1 }, steps: [{ after: '9h' }] });
  });

  it('shows every problem of a refused plan at once, each beside its field, rather than the first alone', async () => {
    await page.getByTestId('care-plan-create').click();
    await page.getByTestId('care-template-birthday_greeting').click();
    await page.getByTestId('care-plan-key').fill('birthday_twice');
    await page.getByTestId('care-plan-name').fill('生日双重祝福');
    await page.getByTestId('care-step-0-message').fill('您好 {姓名}，生日快乐');
    await page.getByTestId('care-step-0-add-condition').click();
    await page.getByTestId('care-step-0-condition-mode-text').click();
    await page.getByTestId('care-step-0-condition').fill('agee > 1');
    const refused = page.waitForResponse((response) => response.url().endsWith('/care/plans') && response.request().method() === 'POST');
    await page.getByTestId('care-plan-save').click();
    expect((await refused).status()).toBe(400);
    // Both problems above the form, and each under its own field.
    await expect.poll(() => page.getByTestId('care-plan-problems').locator('li').count()).toBe(2);
    expect(await page.getByTestId('care-plan-error').textContent()).toContain('共 2 处问题');
    const marks = page.getByTestId('care-step-0').locator('.ant-form-item-explain-error');
    await expect.poll(async () => (await marks.allTextContents()).join(' | ')).toMatch(/agee.*\|.*第 1 步：「\{姓名\}」不是占位符|第 1 步：「\{姓名\}」不是占位符.*\|.*agee/);
    // Put right, both at once: saved.
    await page.getByTestId('care-step-0-message').fill('{name}，生日快乐');
    await page.getByTestId('care-step-0-condition').fill('orders_total >= 1');
    await page.getByTestId('care-plan-save').click();
    await page.getByTestId('care-plan-editor').waitFor({ state: 'hidden' });
    expect(await plan('birthday_twice')).toMatchObject({ name: '生日双重祝福', steps: [{ message: '{name}，生日快乐', condition: 'orders_total >= 1' }] });
    expect((await api('DELETE', '/care/plans/birthday_twice')).status).toBe(204);
  });

  it('brings the thanks for orders due on 立即运行 and lists them with their messages written', async () => {
    expect((await api('POST', '/customers', { customers: BUYERS.map(({ id, name }) => ({ id, name })) })).status).toBe(200);
    const paidAt = new Date(Date.now() - 2 * HOUR).toISOString();
    const events = [
      ...BUYERS.map((buyer) => ({ id: `care-${buyer.order}`, customer_id: buyer.id, type: 'order_paid', occurred_at: paidAt, properties: { order_id: buyer.order, amount: buyer.amount } })),
      // For the demo's coupon plan: expiring in two and a half days, so three days before was half a day ago.
      { id: 'care-coupon-1', customer_id: 'CARE-003', type: 'coupon_received', occurred_at: paidAt, properties: { coupon_id: 'CP-618', name: '会员专享 满199减20', value: 20, expires_at: new Date(Date.now() + 2.5 * DAY).toISOString() } },
    ];
    expect((await api('POST', '/events', { events })).status).toBe(200);

    await page.getByTestId('actor-input').fill('导购-小李');
    await page.getByTestId('actor-input').press('Enter');
    await page.getByTestId('care-tab-reminders').click();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('reminders');
    await page.getByTestId('care-run').click();
    await page.getByText(/^新安排 \d+ 条，到期 \d+ 条，跳过 \d+ 条/).waitFor();
    expect((await plan('after_sales_3315')).reminders).toEqual({ scheduled: 10, due: 5, done: 0, dismissed: 0, skipped: 0 });
    const due = await reminders('status=due&limit=1');
    await expect.poll(() => page.getByTestId('care-reminders-total').textContent()).toBe(`共 ${due.total} 条`);
    await expect.poll(() => page.getByTestId('care-tab-reminders').locator('sup').getAttribute('title')).toBe(String(due.total));

    const wang = (await reminders('customer=CARE-003&plan=coupon_expiring')).items[0];
    expect(wang?.message).toBe('王芳，您的「会员专享 满199减20」（20.00 元）三天后到期，别忘了使用。');
    await shoot('care');

    // The after-sales plan alone: the five orders' thanks, each for its own order.
    await page.goto(`${base}/care?plan=after_sales_3315`);
    await expect.poll(() => reminderRows().count()).toBe(5);
    const zhang = (await reminders('customer=CARE-001')).items[0];
    expect(zhang).toMatchObject({ status: 'due', step: 1, plan: { key: 'after_sales_3315' } });
    const row = reminderRow(zhang?.id);
    expect(await row.getByTestId(`care-message-${zhang?.id}`).textContent()).toBe('张伟您好，感谢您的购买！订单 O20260001 已收到，我们会尽快为您发货，有任何问题随时联系我。');
    expect(await row.textContent()).toContain('售后3315第 1 步');
    expect(await row.getByRole('link', { name: '张伟' }).getAttribute('href')).toBe('/customers/CARE-001');

    // The overview counts them too, and leads to the list.
    await page.getByRole('menuitem', { name: /(^| )概览$/ }).click();
    await expect.poll(() => page.getByTestId('overview-care-due').textContent()).toContain(`待办关怀${due.total}`);
    await page.getByTestId('overview-care-due').click();
    await page.getByTestId('care-reminders').waitFor();
    await page.goto(`${base}/care?plan=after_sales_3315`);
    await expect.poll(() => reminderRows().count()).toBe(5);
  });

  it('marks a reminder done, which moves it to 已完成 with who did it, dismisses another and puts a third off', async () => {
    const [zhang, liu, chen] = [(await reminders('customer=CARE-001')).items[0], (await reminders('customer=CARE-004')).items[0], (await reminders('customer=CARE-005')).items[0]];
    await page.getByTestId(`care-done-${zhang?.id}`).click();
    await expect.poll(() => reminderRows().count()).toBe(4);
    // The row is gone by then: the message says whose reminder it was, so that 撤销 is taken knowing it.
    await expect.poll(() => page.getByTestId(`care-closed-${zhang?.id}`).textContent()).toContain('已完成对张伟的提醒');
    await page.getByTestId(`care-dismiss-${liu?.id}`).click();
    await expect.poll(() => reminderRows().count()).toBe(3);
    await expect.poll(() => page.getByTestId(`care-closed-${liu?.id}`).textContent()).toContain('已忽略对刘洋的提醒');
    // Dismissed by mistake: 撤销 in the message that reports it brings it back, due as before.
    await page.getByTestId(`care-undo-${liu?.id}`).click();
    await page.getByText('已重新打开，恢复为待处理').waitFor();
    await expect.poll(() => reminderRow(liu?.id).count()).toBe(1);
    expect((await reminders('customer=CARE-004')).items[0]).toMatchObject({ id: liu?.id, status: 'due', resolved_by: null });
    await page.getByTestId(`care-dismiss-${liu?.id}`).click();
    await expect.poll(() => reminderRows().count()).toBe(3);
    // 推迟 → 明天此时: off the to-do list until this time tomorrow, when its message is written again.
    await page.getByTestId(`care-snooze-${chen?.id}`).click();
    const snoozed = page.waitForResponse((response) => response.url().endsWith(`/care/reminders/${chen?.id}`) && response.request().method() === 'PATCH');
    await page.getByTestId(`care-snooze-${chen?.id}-1d`).click();
    const answer = (await (await snoozed).json()) as { status: string; due_at: string; message: string | null };
    expect(answer).toMatchObject({ status: 'scheduled', message: null });
    expect(Date.parse(answer.due_at) - Date.now()).toBeGreaterThan(DAY - HOUR);
    // The message offers 撤销 beside what it says, as the one reporting 完成 does.
    await expect.poll(() => page.getByTestId(`care-snoozed-${chen?.id}`).textContent()).toMatch(/^已将对陈静的提醒推迟到 \d{4}-\d\d-\d\d \d\d:\d\d，到时重新生成消息撤 ?销$/);
    await expect.poll(() => reminderRows().count()).toBe(2);
    expect((await reminders('customer=CARE-001&status=done')).items).toEqual([expect.objectContaining({ id: zhang?.id, status: 'done', resolved_by: '导购-小李' })]);

    await page.getByTestId('care-status-done').click();
    expect(new URL(page.url()).searchParams.get('status')).toBe('done');
    await expect.poll(() => reminderRows().count()).toBe(1);
    expect(await reminderRow(zhang?.id).textContent()).toContain('导购-小李');
    expect(await reminderRow(zhang?.id).textContent()).toContain('感谢您的购买');
    expect(await page.getByTestId(`care-done-${zhang?.id}`).count()).toBe(0);
    // A closed reminder can still be opened again from the list of done ones.
    await page.getByTestId(`care-reopen-${zhang?.id}`).click();
    await expect.poll(() => reminderRows().count()).toBe(0);
    expect((await reminders('customer=CARE-001')).items[0]).toMatchObject({ id: zhang?.id, status: 'due' });
    expect((await api('PATCH', `/care/reminders/${zhang?.id}`, { status: 'done' })).status).toBe(200);

    await page.getByTestId('care-status-dismissed').click();
    await expect.poll(() => reminderRow(liu?.id).count()).toBe(1);
    expect(await reminderRow(liu?.id).textContent()).toContain('导购-小李');
    // Those scheduled have no message yet: it is written when they fall due.
    await page.getByTestId('care-status-scheduled').click();
    await expect.poll(() => page.getByTestId('care-reminders-total').textContent()).toBe('共 11 条');
    // The one put off comes first, due tomorrow, before the orders' second steps in three days.
    expect(await reminderRows().first().getAttribute('data-row-key')).toBe(String(chen?.id));
    expect(await reminderRows().first().textContent()).toContain('到期时生成');
    expect(await reminderRows().nth(1).textContent()).toContain('第 2 步');
  });

  it('takes back a reminder put off by mistake: 撤销 in the message that reports it, or 取消推迟 in the scheduled list', async () => {
    const li = (await reminders('customer=CARE-002')).items[0];
    const chen = (await reminders('customer=CARE-005&status=scheduled&plan=after_sales_3315')).items.find((reminder) => reminder.step === 1);
    expect(li).toMatchObject({ status: 'due' });
    expect(chen).toMatchObject({ status: 'scheduled', snoozed_by: '导购-小李' });
    await page.goto(`${base}/care?plan=after_sales_3315`);
    await expect.poll(() => reminderRow(li?.id).count()).toBe(1);
    await page.getByTestId(`care-snooze-${li?.id}`).click();
    await page.getByTestId(`care-snooze-${li?.id}-3h`).click();
    await expect.poll(() => page.getByTestId(`care-snoozed-${li?.id}`).textContent()).toMatch(/^已将对李娜的提醒推迟到 /);
    await expect.poll(() => reminderRow(li?.id).count()).toBe(0);
    // 撤销: back in its place with the message it had, due at its own time.
    const undone = page.waitForResponse((response) => response.url().endsWith(`/care/reminders/${li?.id}`) && response.request().method() === 'PATCH');
    await page.getByTestId(`care-undo-snooze-${li?.id}`).click();
    expect(JSON.parse((await undone).request().postData() ?? '{}')).toEqual({ unsnooze: true });
    await page.getByText('已取消推迟，对李娜的提醒恢复为待处理').waitFor();
    await expect.poll(() => reminderRow(li?.id).count()).toBe(1);
    expect((await reminders('customer=CARE-002')).items[0]).toEqual({ ...li, snoozed_by: null, snoozed_at: null });
    // The one put off a step ago is brought back from the scheduled list; those scheduled by their plan have nothing to take back.
    await page.getByTestId('care-status-scheduled').click();
    await expect.poll(() => reminderRow(chen?.id).count()).toBe(1);
    expect(await page.locator('[data-testid^="care-unsnooze-"]').count()).toBe(1);
    expect(await page.getByTestId(`care-unsnooze-${chen?.id}`).textContent()).toBe('取消推迟');
    await page.getByTestId(`care-unsnooze-${chen?.id}`).click();
    await page.getByText('已取消推迟，对陈静的提醒恢复为待处理').waitFor();
    await expect.poll(() => reminderRow(chen?.id).count()).toBe(0);
    expect((await reminders('customer=CARE-005&plan=after_sales_3315')).items[0]).toMatchObject({ id: chen?.id, status: 'due', message: expect.stringContaining('O20260005'), snoozed_at: null });
    // Taken back already: the server's refusal is said in its words.
    expect((await api('PATCH', `/care/reminders/${chen?.id}`, { unsnooze: true })).body).toMatchObject({ status: 409, code: 'CARE_REMINDER_NOT_SNOOZED' });
    // Put off again, as the steps after this one had it.
    expect((await api('PATCH', `/care/reminders/${chen?.id}`, { snooze: '1d' })).status).toBe(200);
  });

  it('narrows the list to one plan, kept in the address', async () => {
    await page.goto(`${base}/care`);
    await page.getByTestId('care-reminders-total').waitFor();
    await page.getByTestId('care-plan-filter').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^优惠券到期提醒$/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('plan')).toBe('coupon_expiring');
    const coupons = await reminders('plan=coupon_expiring');
    await expect.poll(() => page.getByTestId('care-reminders-total').textContent()).toBe(`共 ${coupons.total} 条`);
    const wang = (await reminders('customer=CARE-003&plan=coupon_expiring')).items[0];
    await expect.poll(() => reminderRow(wang?.id).count()).toBe(1);
    await page.goto(page.url());
    await expect.poll(() => page.getByTestId('care-plan-filter').textContent()).toContain('优惠券到期提醒');
    await page.getByTestId('care-plan-filter').hover();
    await page.getByTestId('care-plan-filter').locator('.ant-select-clear').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('plan')).toBeNull();
    await expect.poll(async () => page.getByTestId('care-reminders-total').textContent()).toBe(`共 ${(await reminders('limit=1')).total} 条`);
  });

  it('shows a customer’s reminders on the portrait, closes one there, and shows no card for a customer without any', async () => {
    // The after-sales steps, and perhaps the new 重要价值客户's call that her order earned her.
    const [open, coming] = [await reminders('customer=CARE-002'), await reminders('customer=CARE-002&status=scheduled')];
    expect(open.total).toBe(1);
    expect(coming.items.filter((reminder) => reminder.plan.key === 'after_sales_3315').length).toBe(2);
    const due = open.items[0];
    await page.goto(`${base}/customers/CARE-002`);
    const card = page.getByTestId('portrait-care');
    await expect.poll(() => card.locator('.ant-list-item').count()).toBe(1 + coming.total);
    expect(await card.getByTestId(`portrait-care-${due?.id}`).textContent()).toContain('李娜您好，感谢您的购买！订单 O20260002 已收到');
    expect(await card.getByTestId(`portrait-care-${coming.items[0]?.id}`).textContent()).toMatch(/已安排.*第 \d 步\d{4}-\d\d-\d\d \d\d:\d\d 到期/);
    // All of hers, not everyone's: the to-do list narrowed to her, in each status, until the narrowing is closed.
    expect(await card.getByTestId('portrait-care-all').textContent()).toBe(`全部 ${1 + coming.total} 条提醒`);
    await card.getByTestId('portrait-care-all').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('customer')).toBe('CARE-002');
    await expect.poll(() => page.getByTestId('care-reminders-total').textContent()).toBe('共 1 条');
    expect(await reminderRow(due?.id).count()).toBe(1);
    expect(await page.getByTestId('care-customer-filter').textContent()).toBe('客户：CARE-002');
    await page.getByTestId('care-status-scheduled').click();
    await expect.poll(() => page.getByTestId('care-reminders-total').textContent()).toBe(`共 ${coming.total} 条`);
    await page.getByTestId('care-customer-filter').locator('.ant-tag-close-icon').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('customer')).toBeNull();
    await expect.poll(async () => page.getByTestId('care-reminders-total').textContent()).toBe(`共 ${(await reminders('status=scheduled&limit=1')).total} 条`);
    await page.goto(`${base}/customers/CARE-002`);
    await expect.poll(() => card.locator('.ant-list-item').count()).toBe(1 + coming.total);
    await card.getByTestId(`care-done-${due?.id}`).click();
    await expect.poll(() => card.locator('.ant-list-item').count()).toBe(coming.total);
    expect((await reminders('customer=CARE-002&status=done')).items.map((reminder) => reminder.id)).toEqual([due?.id]);

    let quiet: string | undefined;
    for (const { id } of (await api('GET', '/customers?limit=50')).body.items as { id: string }[]) {
      const [open, coming] = await Promise.all([reminders(`customer=${id}&status=due`), reminders(`customer=${id}&status=scheduled`)]);
      if (open.total + coming.total === 0) {
        quiet = id;
        break;
      }
    }
    if (!quiet) throw new Error('every demo customer has a reminder open');
    const asked = (status: string) => page.waitForResponse((response) => {
      const query = new URL(response.url()).searchParams;
      return response.url().includes('/care/reminders') && query.get('customer') === quiet && query.get('status') === status;
    });
    const answered = Promise.all([asked('due'), asked('scheduled')]);
    await page.goto(`${base}/customers/${encodeURIComponent(quiet)}`);
    await Promise.all((await answered).map((response) => response.finished()));
    await page.getByTestId('portrait-history').waitFor();
    expect(await page.getByTestId('portrait-care').count()).toBe(0);
  });

  it('describes each plan in words, and switches one off with its switch', async () => {
    const lost = { key: 'vip_care_lost', name: '移出重点关怀', trigger: { kind: 'tag_removed', tag: '重点关怀' }, condition: 'orders_total >= 1', steps: [{ after: '0', message: '{name}已移出重点关怀名单，请确认原因。' }] };
    expect((await api('POST', '/care/plans', lost)).status).toBe(201);
    await page.goto(`${base}/care?tab=plans`);
    const removed = planRow('vip_care_lost');
    await expect.poll(() => removed.getByTestId('care-plan-trigger').textContent()).toBe('失去标签：重点关怀');
    expect(await removed.getByTestId('care-plan-steps').textContent()).toBe('触发时');
    expect(await removed.locator('code').textContent()).toBe('orders_total >= 1');
    expect(await planRow('became_important_value').getByTestId('care-plan-trigger').textContent()).toBe('获得标签：RFM等级: 重要价值客户');
    expect(await planRow('coupon_expiring').getByTestId('care-plan-trigger').textContent()).toBe('行为：领取优惠券');
    expect(await planRow('coupon_expiring').textContent()).toContain('按属性 expires_at 的时间计算');
    expect(await planRow('birthday_greeting').getByTestId('care-plan-trigger').textContent()).toBe('生日前 10 天');
    expect(await planRow('birthday_greeting').getByTestId('care-plan-steps').textContent()).toBe('9 小时后（2 条，按条件）');
    expect(await page.getByTestId('care-plan-counts-after_sales_3315').textContent()).toBe('待处理 1 / 已安排 11 / 已完成 2');

    await removed.getByTestId('care-plan-enabled-vip_care_lost').click();
    await page.getByText('已停用「移出重点关怀」：尚未到期的提醒到期时将跳过').waitFor();
    await expect.poll(async () => (await plan('vip_care_lost')).enabled).toBe(false);
    // The switch follows the plan as read again after the change, which may come after the message.
    await expect.poll(() => removed.locator('.ant-switch-checked').count()).toBe(0);
    await shoot('care-plans');
  });

  it('edits a plan with its key and trigger fixed', async () => {
    await page.getByTestId('care-plan-edit-after_sales_3315').click();
    await expect.poll(() => page.getByTestId('care-plan-name').inputValue()).toBe('售后3315');
    expect(await page.getByTestId('care-plan-key').isDisabled()).toBe(true);
    expect(await page.getByTestId('care-plan-kind').locator('input[type=radio]').first().isDisabled()).toBe(true);
    expect(await page.getByTestId('care-template-after_sales_3315').count()).toBe(0);
    // Nothing changed yet: Esc closes the editor at once, the focus back on the button that opened it.
    await page.keyboard.press('Escape');
    await page.getByTestId('care-plan-editor').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('care-plan-edit-after_sales_3315').evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
    await page.getByTestId('care-plan-edit-after_sales_3315').click();
    await expect.poll(() => page.getByTestId('care-plan-name').inputValue()).toBe('售后3315');
    await page.getByTestId('care-plan-description').fill('门店与线上订单通用');
    // Once something is typed, Esc asks first, and keeping on returns to the form as it was.
    await page.keyboard.press('Escape');
    await answerConfirm(page, '继续填写');
    expect(await page.getByTestId('care-plan-description').inputValue()).toBe('门店与线上订单通用');
    await page.getByTestId('care-step-add').click();
    await page.getByTestId('care-step-3-amount').fill('30');
    await page.getByTestId('care-step-3-message').fill('{name}您好，商品用满一个月了，需要保养建议随时找我。');
    // Only for customers who have bought more than once: a condition of the step's own.
    await page.getByTestId('care-step-3-add-condition').click();
    await page.getByTestId('care-step-3-condition-mode-text').click();
    await page.getByTestId('care-step-3-condition').fill('orders_total >= 2');
    await page.getByTestId('care-step-3-condition-count').waitFor();
    // Nothing at night: the hours come filled in as 21:00–08:00.
    await page.getByTestId('care-plan-quiet').click();
    expect(await page.getByTestId('care-plan-quiet-start').inputValue()).toBe('21:00');
    await page.getByTestId('care-plan-quiet-end').fill('08:30');
    await page.getByTestId('care-plan-save').click();
    await page.getByTestId('care-plan-editor').waitFor({ state: 'hidden' });
    await expect.poll(() => planRow('after_sales_3315').getByTestId('care-plan-steps').textContent()).toBe('30 分钟后、3 天后、7 天后、30 天后（按条件）');
    expect(await plan('after_sales_3315')).toMatchObject({ key: 'after_sales_3315', description: '门店与线上订单通用', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '30m' }, { after: '3d' }, { after: '7d' }, { after: '30d', condition: 'orders_total >= 2' }] });
    const saved = (await plan('after_sales_3315')) as { steps: { condition?: string }[]; quiet_hours: unknown };
    expect(saved.steps[0]).not.toHaveProperty('condition');
    expect(saved.quiet_hours).toEqual({ start: '21:00', end: '08:30' });
    expect(await planRow('after_sales_3315').getByTestId('care-plan-quiet-hours').textContent()).toBe('免打扰 21:00–08:30');
  });

  it('deletes a plan after asking', async () => {
    await page.getByTestId('care-plan-delete-vip_care_lost').click();
    await page.getByTestId('care-plan-delete-ok').click();
    await page.getByText('已删除计划「移出重点关怀」').waitFor();
    await expect.poll(() => planRow('vip_care_lost').count()).toBe(0);
    expect((await api('GET', '/care/plans/vip_care_lost')).status).toBe(404);
  });

  it('takes a deleted plan’s reminders off the to-do list behind the plans tab, and the list narrowed to it back to every plan', async () => {
    const again = { key: 'thanks_again', name: '再次致谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，再次感谢惠顾' }] };
    expect((await api('POST', '/care/plans', again)).status).toBe(201);
    const paidAt = new Date().toISOString();
    expect((await api('POST', '/events', { events: [{ id: 'care-again-1', customer_id: 'CARE-005', type: 'order_paid', occurred_at: paidAt, properties: { order_id: 'O20260099', amount: 59 } }] })).status).toBe(200);
    expect((await api('POST', '/care/run')).status).toBe(200);
    const thanks = (await reminders('plan=thanks_again')).items[0];
    expect(thanks?.message).toBe('陈静，再次感谢惠顾');
    await page.goto(`${base}/care?plan=thanks_again`);
    await expect.poll(() => reminderRow(thanks?.id).count()).toBe(1);
    await page.getByTestId('care-tab-plans').click();
    await page.getByTestId('care-plan-delete-thanks_again').click();
    await page.getByTestId('care-plan-delete-ok').click();
    await page.getByText('已删除计划「再次致谢」').waitFor();
    await page.getByTestId('care-tab-reminders').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('plan')).toBeNull();
    await expect.poll(async () => page.getByTestId('care-reminders-total').textContent()).toBe(`共 ${(await reminders('limit=1')).total} 条`);
    expect(await reminderRow(thanks?.id).count()).toBe(0);
    expect(await page.getByTestId('care-reminders-error').count()).toBe(0);
  });

  it('says which event cancelled a skipped reminder, in words and in the workspace’s time', async () => {
    const visit = { key: 'refund_visit', name: '退款回访', trigger: { kind: 'event', event_type: 'order_paid' }, cancel_on: { event_type: 'order_refunded', same_property: 'order_id' }, steps: [{ after: '2h', message: '{name}，订单已送达' }] };
    expect((await api('POST', '/care/plans', visit)).status).toBe(201);
    // Refunded before the reminder fell due (an hour ago), which cancels it.
    const refundedAt = new Date(Date.now() - 2.5 * HOUR);
    const order = { order_id: 'O20260077', amount: 99 };
    const events = [
      { id: 'care-refund-paid', customer_id: 'CARE-002', type: 'order_paid', occurred_at: new Date(Date.now() - 3 * HOUR).toISOString(), properties: order },
      { id: 'care-refund-refunded', customer_id: 'CARE-002', type: 'order_refunded', occurred_at: refundedAt.toISOString(), properties: order },
    ];
    expect((await api('POST', '/events', { events })).status).toBe(200);
    expect((await api('POST', '/care/run')).status).toBe(200);
    const skipped = (await reminders('plan=refund_visit&status=skipped')).items[0];
    expect(skipped).toBeDefined();
    const workspaces = (await api('GET', '/workspaces')).body as unknown as { items: { key: string; utc_offset_minutes: number }[] };
    const offset = workspaces.items.find((workspace) => workspace.key === 'demo')?.utc_offset_minutes ?? 0;
    const local = new Date(refundedAt.getTime() + offset * 60_000).toISOString();
    const when = `${local.slice(0, 10)} ${local.slice(11, 16)}`;
    await page.goto(`${base}/care?tab=reminders&plan=refund_visit&status=skipped`);
    await expect.poll(() => reminderRow(skipped?.id).locator('td').nth(3).textContent()).toBe(`被 ${when} 的「订单退款」取消`);
    expect((await api('DELETE', '/care/plans/refund_visit')).status).toBe(204);
  });

  it('says the plans and reminders could not be read when the server cannot read them, rather than that there are none', async () => {
    const unavailable = { status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'urn:tagbase:problem:store-unavailable', status: 503, code: 'STORE_UNAVAILABLE', title: '数据库不可用', detail: '无法连接数据库：请稍后重试' }) };
    const care = /\/api\/v1\/care\/(plans|reminders\?)/;
    await page.route(care, (route) => (route.request().method() === 'GET' ? route.fulfill(unavailable) : route.fallback()));
    const placeholder = (table: string) => page.getByTestId(table).locator('.ant-table-placeholder').textContent();
    try {
      await page.goto(`${base}/care`);
      await expect.poll(() => page.getByTestId('care-reminders-error').textContent()).toBe('出错了无法连接数据库：请稍后重试');
      expect(await page.getByTestId('care-plans-error').textContent()).toBe('出错了无法连接数据库：请稍后重试');
      await expect.poll(() => placeholder('care-reminders')).toBe('未能读取');
      await page.getByTestId('care-status-done').click();
      await expect.poll(() => placeholder('care-reminders')).toBe('未能读取');
      await page.getByTestId('care-tab-plans').click();
      await expect.poll(() => placeholder('care-plans')).toBe('未能读取');
      await page.getByTestId('language-switch').getByText('EN').click();
      await expect.poll(() => placeholder('care-plans')).toBe('Could not be read');
      await page.getByTestId('language-switch').getByText('中文').click();
    } finally {
      await page.unroute(care);
    }
    await page.goto(`${base}/care?tab=plans`);
    await planRow('after_sales_3315').waitFor();
    expect(await page.getByTestId('care-plans-error').count()).toBe(0);
  });

  it('fits a phone: the filters wrap, each reminder and each plan is a card', async () => {
    const phone = await page.context().browser()?.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    if (!phone) throw new Error('no browser to open a phone page in');
    phone.setDefaultTimeout(30_000);
    try {
      await phone.goto(`${base}/care?status=scheduled`);
      await phone.getByTestId('care-reminders').locator('.tb-reminder-card').first().waitFor();
      expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await phone.goto(`${base}/care?tab=plans`);
      await phone.getByTestId('care-plans').locator('.tb-plan-card').first().waitFor();
      expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    } finally {
      await phone.close();
    }
  });

  it('speaks English too', async () => {
    await page.getByTestId('language-switch').getByText('EN').click();
    try {
      await expect.poll(() => planRow('after_sales_3315').getByTestId('care-plan-trigger').textContent()).toBe('Event: Order paid');
      expect(await planRow('after_sales_3315').getByTestId('care-plan-steps').textContent()).toBe('30 minutes after, 3 days after, 7 days after, 30 days after (if its condition holds)');
      expect(await planRow('birthday_greeting').getByTestId('care-plan-trigger').textContent()).toBe('10 days before the birthday');
      // The demo's two birthday steps are alternatives by level, not the same time twice.
      expect(await planRow('birthday_greeting').getByTestId('care-plan-steps').textContent()).toBe('9 hours after (2 steps, by condition)');
      expect(await page.getByRole('menuitem', { name: 'Customer care' }).count()).toBe(1);
      expect(await page.getByTestId('care-page').locator('.ant-card-head-title').textContent()).toBe('Customer care');
      await page.getByTestId('care-tab-reminders').click();
      await expect.poll(() => page.getByTestId('care-status').textContent()).toContain('Scheduled');
      expect(await page.getByTestId('care-run').textContent()).toBe('Run now');
      await page.goto(`${base}/care`);
      const first = reminderRows().first();
      await first.waitFor();
      const id = await first.getAttribute('data-row-key');
      expect(await page.getByTestId(`care-snooze-${id}`).textContent()).toBe('Later');
      // From the keyboard: Enter opens the times with the first one picked, the arrows move, Esc puts them away.
      await page.getByTestId(`care-snooze-${id}`).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId(`care-snooze-${id}-1d`).textContent()).toBe('This time tomorrow');
      await expect.poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('In 1 hour');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('In 3 hours');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate<string>("document.activeElement?.getAttribute('data-testid') ?? ''")).toBe(`care-snooze-${id}`);
    } finally {
      await page.getByTestId('language-switch').getByText('中文').click();
    }
  });
});
