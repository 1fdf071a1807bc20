// Care plans: reminders scheduled from events, tag changes and birthdays, falling due at their
// time with their messages written, skipped when the condition no longer holds or a later
// event cancels them, and closed by the staff.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { createCarePlan, deleteCarePlan, getCarePlan, listCarePlans, listReminders, reopenReminder, resolveReminder, runCare, snoozeReminder, unsnoozeReminder, updateCarePlan } from '../../src/engine/care.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { updateWorkspace } from '../../src/engine/workspace-settings.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createWebhook } from '../../src/engine/webhooks.js';
import { createSegment, deleteSegment } from '../../src/engine/segments.js';
import { assignTag, removeTag } from '../../src/engine/tagging.js';
import { removeTagValue, updateTag, updateTagValue } from '../../src/engine/library.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineTag, interests, rejected, stage } from './support.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

const AFTER_SALES = {
  key: 'after_sales',
  name: '售后3315',
  trigger: { kind: 'event' as const, event_type: 'order_paid' },
  cancel_on: { event_type: 'order_refunded', same_property: 'order_id' },
  steps: [
    { after: '30m', message: '{name}您好，感谢购买（订单 {event:order_id}）' },
    { after: '3d', message: '{name}，商品用得还好吗？' },
    { after: '7d', message: '搭配建议已送达 {customer_id}' },
  ],
};

let sequence = 0;
function order(ctx: WorkspaceContext, customer: string, orderId: string, at: number, amount = 100, more: Record<string, unknown> = {}) {
  return ingestEvents(ctx, [{ id: `e${sequence++}`, customer_id: customer, type: 'order_paid', occurred_at: new Date(at).toISOString(), properties: { order_id: orderId, amount, ...more } }]);
}

async function due(ctx: WorkspaceContext, plan?: string) {
  return (await listReminders(ctx, { status: 'due', plan })).items;
}

forEachStore('care plans', (h) => {
  /** Customer A's two orders at 10:00 in Beijing, both first steps due 31 minutes on: the reminders due, the first order's first. */
  async function twoOrdersDue(ctx: WorkspaceContext) {
    h.clock.set('2026-06-15T02:00:00Z');
    await order(ctx, 'A', 'O-1', h.clock.now().getTime());
    await order(ctx, 'A', 'O-2', h.clock.now().getTime());
    await runCare(ctx);
    h.clock.advance(31 * MINUTE);
    await runCare(ctx);
    return due(ctx);
  }

  it('turns a paid order into the 3315 sequence: each step due at its time, with its message written then', async () => {
    const ctx = h.context('运营-小王');
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'B', name: '李娜' }]);
    const start = h.clock.now().getTime();
    // Before the plan: not its business.
    await order(ctx, 'A', 'O-0', start - 5 * MINUTE);
    const plan = await createCarePlan(ctx, AFTER_SALES);
    expect(plan).toMatchObject({ key: 'after_sales', enabled: true, actor: '运营-小王', reminders: { scheduled: 0, due: 0 } });
    await order(ctx, 'A', 'O-1', start);
    expect(await runCare(ctx)).toEqual({ scheduled: 3, late: 0, due: 0, skipped: 0 });
    // Read once: a second round schedules nothing again.
    expect(await runCare(ctx)).toEqual({ scheduled: 0, late: 0, due: 0, skipped: 0 });
    expect(await due(ctx)).toEqual([]);
    h.clock.advance(31 * MINUTE);
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
    const [first] = await due(ctx);
    expect(first).toMatchObject({ plan: { key: 'after_sales', name: '售后3315' }, step: 1, customer: { id: 'A', name: '张伟' }, status: 'due', message: '张伟您好，感谢购买（订单 O-1）', due_at: new Date(start + 30 * MINUTE).toISOString() });
    const done = await resolveReminder(ctx, first?.id ?? 0, 'done');
    expect(done).toMatchObject({ status: 'done', resolved_by: '运营-小王' });
    expect((await rejected(resolveReminder(ctx, first?.id ?? 0, 'done'))).code).toBe('CARE_REMINDER_CLOSED');
    expect((await rejected(resolveReminder(ctx, 999_999, 'done'))).code).toBe('CARE_REMINDER_NOT_FOUND');
    h.clock.advance(3 * DAY);
    await runCare(ctx);
    expect((await due(ctx)).map((reminder) => [reminder.step, reminder.message])).toEqual([[2, '张伟，商品用得还好吗？']]);
    h.clock.advance(4 * DAY);
    await runCare(ctx);
    expect((await due(ctx)).map((reminder) => [reminder.step, reminder.message])).toEqual([
      [2, '张伟，商品用得还好吗？'],
      [3, '搭配建议已送达 A'],
    ]);
    expect((await getCarePlan(ctx, '售后3315')).reminders).toEqual({ scheduled: 0, due: 2, done: 1, dismissed: 0, skipped: 0 });
    expect((await listReminders(ctx, { status: 'done' })).items.map((reminder) => reminder.step)).toEqual([1]);
    // Closed later, listed first: the list of closed reminders is by when they were closed.
    const [second, third] = await due(ctx);
    await resolveReminder(ctx, third?.id ?? 0, 'done');
    h.clock.advance(MINUTE);
    await resolveReminder(ctx, second?.id ?? 0, 'done');
    expect((await listReminders(ctx, { status: 'done' })).items.map((reminder) => reminder.step)).toEqual([2, 3, 1]);
  });

  it('drops what a refund of the same order cancels, and keeps the other order’s', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, AFTER_SALES);
    const start = h.clock.now().getTime();
    await order(ctx, 'A', 'O-1', start);
    await order(ctx, 'A', 'O-2', start);
    await runCare(ctx);
    h.clock.advance(DAY);
    const refundedAt = h.clock.now().toISOString();
    await ingestEvents(ctx, [{ id: 'refund-1', customer_id: 'A', type: 'order_refunded', occurred_at: refundedAt, properties: { order_id: 'O-1', amount: 100 } }]);
    h.clock.advance(2 * DAY + MINUTE);
    const report = await runCare(ctx);
    // Step 1 of both orders fell due before the refund; step 2 of O-1 was cancelled by it.
    expect(report).toMatchObject({ due: 3, skipped: 1 });
    const skipped = (await listReminders(ctx, { status: 'skipped' })).items;
    expect(skipped).toHaveLength(1);
    // Naming the event that cancelled it: its type and when it happened.
    expect(skipped[0]).toMatchObject({
      step: 2,
      reason: 'cancelled',
      reason_text: { en: `cancelled by a later event: order_refunded at ${refundedAt}`, 'zh-CN': `被后续行为取消：${refundedAt} 的 order_refunded` },
      cancelled_by: { type: 'order_refunded', event_id: 'refund-1', occurred_at: refundedAt },
    });
  });

  it('cancels by a rule added while its reminders were pending, reading the property from their trigger event', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    // No message reads the order's id, so the reminders were scheduled without it.
    await createCarePlan(ctx, { key: 'thanks', name: '感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '3d', message: '{name}，商品用得还好吗？' }] });
    const start = h.clock.now().getTime();
    await order(ctx, 'A', 'O-1', start);
    await order(ctx, 'A', 'O-2', start);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    await updateCarePlan(ctx, 'thanks', { cancel_on: { event_type: 'order_refunded', same_property: 'order_id' } });
    h.clock.advance(DAY);
    await ingestEvents(ctx, [{ id: 'refund-late-rule', customer_id: 'A', type: 'order_refunded', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O-1', amount: 100 } }]);
    h.clock.advance(2 * DAY + MINUTE);
    expect(await runCare(ctx)).toMatchObject({ due: 1, skipped: 1 });
    expect((await listReminders(ctx, { status: 'skipped' })).items.map((reminder) => [reminder.reason, reminder.cancelled_by?.event_id])).toEqual([['cancelled', 'refund-late-rule']]);
  });

  it('reminds to buy again a month after an order unless another order comes, never cancelled by its own order', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'B', name: '李娜' }]);
    await createCarePlan(ctx, { key: 'rebuy', name: '复购提醒', trigger: { kind: 'event', event_type: 'order_paid' }, cancel_on: { event_type: 'order_paid' }, steps: [{ after: '30d', message: '{name}，好久不见' }] });
    const start = h.clock.now().getTime();
    await order(ctx, 'A', 'O-1', start);
    await order(ctx, 'B', 'O-2', start);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    h.clock.advance(10 * DAY);
    await order(ctx, 'B', 'O-3', start + 10 * DAY);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1 });
    h.clock.set(new Date(start + 30 * DAY + MINUTE).toISOString());
    // A's is due; B's first is cancelled by the second order, whose own falls due ten days later.
    expect(await runCare(ctx)).toMatchObject({ due: 1, skipped: 1 });
    expect((await due(ctx)).map((reminder) => [reminder.customer.id, reminder.message])).toEqual([['A', '张伟，好久不见']]);
    expect((await listReminders(ctx, { status: 'skipped' })).items.map((reminder) => [reminder.customer.id, reminder.reason, reminder.cancelled_by?.occurred_at])).toEqual([['B', 'cancelled', new Date(start + 10 * DAY).toISOString()]]);
    h.clock.set(new Date(start + 40 * DAY + MINUTE).toISOString());
    expect(await runCare(ctx)).toMatchObject({ due: 1, skipped: 0 });
    expect((await due(ctx)).map((reminder) => reminder.customer.id)).toEqual(['A', 'B']);
    // One scheduled before its order's id was kept with it is not cancelled by that order either.
    await order(ctx, 'A', 'O-4', h.clock.now().getTime());
    await runCare(ctx);
    const [kept] = await h.store().db.selectFrom('care_reminders').select(['id', 'trigger_data']).where('workspace_id', '=', ctx.workspaceId).where('status', '=', 'scheduled').execute();
    const { event: _event, ...before } = JSON.parse(kept?.trigger_data ?? '{}') as Record<string, unknown>;
    await h.store().db.updateTable('care_reminders').set({ trigger_data: JSON.stringify(before) }).where('id', '=', kept?.id ?? 0).execute();
    h.clock.advance(30 * DAY);
    expect(await runCare(ctx)).toMatchObject({ due: 1, skipped: 0 });
  });

  it('brings back only a reminder still put off: not one fallen due again meanwhile; one dismissed while put off and reopened, yes', async () => {
    const ctx = h.context('导购-小李');
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, AFTER_SALES);
    const [first, second] = await twoOrdersDue(ctx);
    // Put off an hour, and the hour passes: due again with its message written again, no longer put off.
    await snoozeReminder(ctx, first?.id ?? 0, '1h');
    h.clock.advance(61 * MINUTE);
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
    expect((await due(ctx)).find((reminder) => reminder.id === first?.id)).toMatchObject({ status: 'due', snoozed_by: null, snoozed_at: null });
    expect((await rejected(unsnoozeReminder(ctx, first?.id ?? 0))).code).toBe('CARE_REMINDER_NOT_SNOOZED');
    // Put off, then dismissed, then reopened: put off still, and brought back as it was before.
    const wasDue = second?.due_at;
    await snoozeReminder(ctx, second?.id ?? 0, '1d');
    await resolveReminder(ctx, second?.id ?? 0, 'dismissed');
    expect((await rejected(unsnoozeReminder(ctx, second?.id ?? 0))).code).toBe('CARE_REMINDER_NOT_SNOOZED');
    expect(await reopenReminder(ctx, second?.id ?? 0)).toMatchObject({ status: 'scheduled', snoozed_by: '导购-小李' });
    expect(await unsnoozeReminder(ctx, second?.id ?? 0)).toMatchObject({ status: 'due', due_at: wasDue, message: '张伟您好，感谢购买（订单 O-2）', snoozed_by: null });
    expect((await rejected(unsnoozeReminder(ctx, 999_999))).code).toBe('CARE_REMINDER_NOT_FOUND');
  });

  it('refuses a plan with several problems naming each, those of its shape beside those of its conditions and messages', async () => {
    const ctx = h.context();
    const refused = await rejected(createCarePlan(ctx, { ...AFTER_SALES, name: '', condition: 'ctiy = "x"', steps: [{ after: 'soon', message: '{tag:nope}' }, { after: '1d', message: '{oops' }] }));
    expect(refused.code).toBe('CARE_PLAN_INVALID');
    expect(refused.items?.map((item) => [item.code, item.path])).toEqual([
      ['VALIDATION_FAILED', 'name'],
      ['VALIDATION_FAILED', 'steps.0.after'],
      ['EXPRESSION_UNKNOWN_NAME', 'condition'],
      ['CARE_PLAN_INVALID', 'steps.0.message'],
      ['CARE_PLAN_INVALID', 'steps.1.message'],
    ]);
    // One alone is told as it was.
    expect(await rejected(createCarePlan(ctx, { ...AFTER_SALES, steps: [{ after: '1d', message: '{tag:nope}' }] }))).toMatchObject({ code: 'CARE_PLAN_INVALID', message: 'The care plan is not valid: step 1: {tag:nope}: no shared tag of that key or name' });
    expect(await listCarePlans(ctx)).toEqual([]);
  });

  it('puts a due reminder off: due again later, out of the quiet hours, with its message and cancel rule read again then', async () => {
    const ctx = h.context('导购-小李');
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, { ...AFTER_SALES, quiet_hours: { start: '21:00', end: '08:00' } });
    // A sender that wants the reminders: one put off is posted again when it falls due again.
    await createWebhook(ctx, { url: 'https://crm.example.com/care', topics: ['care_reminders'] });
    const [first, second] = await twoOrdersDue(ctx);
    expect(first).toMatchObject({ step: 1, message: '张伟您好，感谢购买（订单 O-1）' });
    // Three hours on, 13:31: back among the scheduled, its message to be written again when it falls due.
    const snoozed = await snoozeReminder(ctx, first?.id ?? 0, '3h');
    expect(snoozed).toMatchObject({ status: 'scheduled', message: null, step: 1, due_at: '2026-06-15T05:31:00.000Z', resolved_by: null });
    expect((await due(ctx)).map((reminder) => reminder.id)).toEqual([second?.id]);
    // Put off to 22:31, in the quiet hours: due at their end, 08:00 the next morning.
    expect(await snoozeReminder(ctx, second?.id ?? 0, '12h')).toMatchObject({ status: 'scheduled', due_at: '2026-06-16T00:00:00.000Z' });
    // Only a due reminder is put off; a bad time says what it wants.
    expect((await rejected(snoozeReminder(ctx, first?.id ?? 0, '1d'))).code).toBe('CARE_REMINDER_CLOSED');
    expect((await rejected(snoozeReminder(ctx, 999_999, '1d'))).code).toBe('CARE_REMINDER_NOT_FOUND');
    for (const bad of ['-1d', '0', 'tomorrow', '400d']) expect((await rejected(snoozeReminder(ctx, first?.id ?? 0, bad))).code).toBe('VALIDATION_FAILED');
    // Meanwhile the customer gave a new name and refunded the second order.
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟伟' }]);
    await ingestEvents(ctx, [{ id: `e${sequence++}`, customer_id: 'A', type: 'order_refunded', occurred_at: h.clock.now().toISOString(), properties: { order_id: 'O-2', amount: 100 } }]);
    h.clock.advance(3 * 60 * MINUTE - MINUTE);
    expect(await runCare(ctx)).toMatchObject({ due: 0 });
    h.clock.advance(MINUTE);
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
    expect(await due(ctx)).toEqual([expect.objectContaining({ id: first?.id, status: 'due', message: '张伟伟您好，感谢购买（订单 O-1）' })]);
    const logged = await h.store().db.selectFrom('care_due_log').select('reminder_id').where('reminder_id', '=', first?.id ?? 0).execute();
    expect(logged).toHaveLength(2);
    h.clock.set('2026-06-16T00:00:00Z');
    await runCare(ctx);
    expect((await listReminders(ctx, { status: 'skipped' })).items).toEqual([expect.objectContaining({ id: second?.id, reason: 'cancelled' })]);
  });

  it('schedules and brings due each reminder once when two rounds run at the same time', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C', birthday: '1990-06-18' }]);
    await createCarePlan(ctx, AFTER_SALES);
    await createCarePlan(ctx, { key: 'birthday', name: '生日', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '0', message: '{name}' }] });
    const now = h.clock.now().getTime();
    for (const [customer, id] of [['A', 'O-1'], ['B', 'O-2'], ['A', 'O-3']] as const) await order(ctx, customer, id, now);
    // A webhook that wants the reminders and has delivered none keeps them all in their log.
    await createWebhook(ctx, { url: 'https://crm.example.com/care', topics: ['care_reminders'] });
    const reports = await Promise.all([runCare(ctx), runCare(ctx), runCare(ctx)]);
    // Nine steps of three orders and one birthday greeting (due at once), however the rounds interleaved.
    expect(reports.reduce((sum, report) => sum + report.scheduled, 0)).toBe(10);
    expect(reports.reduce((sum, report) => sum + report.due, 0)).toBe(1);
    h.clock.advance(31 * MINUTE);
    const later = await Promise.all([runCare(ctx), runCare(ctx)]);
    expect(later.reduce((sum, report) => sum + report.due, 0)).toBe(3);
    expect((await listReminders(ctx, { status: 'due' })).total).toBe(4);
    expect((await listReminders(ctx, { status: 'scheduled' })).total).toBe(6);
    const logged = await h.store().db.selectFrom('care_due_log').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
    expect(Number(logged.n)).toBe(4);
  });

  it('keeps reminders out of the quiet hours, moving them to the morning', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, { ...AFTER_SALES, quiet_hours: { start: '21:00', end: '08:00' } });
    // 22:00 in Beijing: thanks half an hour later would be at 22:30, so it waits for 08:00.
    await order(ctx, 'A', 'O-1', Date.parse('2026-06-15T22:00:00+08:00'));
    h.clock.set('2026-06-15T14:05:00Z');
    await runCare(ctx);
    const [first] = (await listReminders(ctx, { status: 'scheduled' })).items;
    expect(first).toMatchObject({ step: 1, due_at: '2026-06-16T00:00:00.000Z' });
    expect((await getCarePlan(ctx, 'after_sales')).quiet_hours).toEqual({ start: '21:00', end: '08:00' });
    h.clock.set('2026-06-15T23:59:00Z');
    expect(await runCare(ctx)).toMatchObject({ due: 0 });
    h.clock.set('2026-06-16T00:00:00Z');
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
  });

  it('moves reminders already scheduled out of quiet hours set on their plan later', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, { ...AFTER_SALES, steps: [{ after: '30m', message: '感谢' }, { after: '12h', message: '用得好吗' }, { after: '3d', message: '搭配建议' }] });
    // 22:00 in Beijing: due at 22:30, 10:00 the next morning, and 22:00 three days later.
    await order(ctx, 'A', 'O-1', Date.parse('2026-06-15T22:00:00+08:00'));
    h.clock.set('2026-06-15T14:05:00Z');
    await runCare(ctx);
    await updateCarePlan(ctx, 'after_sales', { quiet_hours: { start: '21:00', end: '08:00' } });
    expect((await listReminders(ctx, { status: 'scheduled' })).items.map((reminder) => [reminder.step, reminder.due_at])).toEqual([
      [1, '2026-06-16T00:00:00.000Z'],
      [2, '2026-06-16T02:00:00.000Z'],
      [3, '2026-06-19T00:00:00.000Z'],
    ]);
    h.clock.set('2026-06-15T14:31:00Z');
    expect(await runCare(ctx)).toMatchObject({ due: 0 });
  });

  it('schedules nothing for steps already long past (a backfill of old orders)', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await createCarePlan(ctx, AFTER_SALES);
    await order(ctx, 'A', 'OLD', h.clock.now().getTime() - 5 * DAY);
    // 30 minutes and 3 days after are past by more than a day; 7 days after is still to come.
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1, late: 2 });
  });

  it('reminds before a coupon expires unless it was used, counting from the coupon’s own time', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'B', name: '李娜' }]);
    await createCarePlan(ctx, {
      key: 'coupon',
      name: '优惠券到期提醒',
      trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' },
      cancel_on: { event_type: 'coupon_used', same_property: 'coupon_id' },
      steps: [{ after: '-3d', message: '{name}，您的{event:value}元券 {event:coupon_id} 三天后到期' }],
    });
    const expires = new Date(h.clock.now().getTime() + 10 * DAY).toISOString();
    const now = h.clock.now().toISOString();
    await ingestEvents(ctx, [
      { id: `c${sequence++}`, customer_id: 'A', type: 'coupon_received', occurred_at: now, properties: { coupon_id: 'Q1', value: 20, expires_at: expires } },
      { id: `c${sequence++}`, customer_id: 'B', type: 'coupon_received', occurred_at: now, properties: { coupon_id: 'Q2', value: 50, expires_at: expires } },
    ]);
    await runCare(ctx);
    await ingestEvents(ctx, [{ id: `c${sequence++}`, customer_id: 'B', type: 'coupon_used', occurred_at: now, properties: { coupon_id: 'Q2', order_id: 'O-9' } }]);
    h.clock.advance(6 * DAY);
    await runCare(ctx);
    expect(await due(ctx)).toEqual([]);
    h.clock.advance(DAY + MINUTE);
    expect(await runCare(ctx)).toMatchObject({ due: 1, skipped: 1 });
    expect((await due(ctx)).map((reminder) => [reminder.customer.id, reminder.message])).toEqual([['A', '张伟，您的20.00元券 Q1 三天后到期']]);
  });

  it('reads a time property written as a number as Unix seconds or milliseconds, as systems export them, and one without an offset on the workspace\'s clock', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'S', name: '王芳' }, { id: 'M', name: '赵敏' }, { id: 'L', name: '刘洋' }]);
    await createCarePlan(ctx, { key: 'renewal', name: '续费提醒', trigger: { kind: 'event', event_type: 'membership_started', time_property: 'renews_at' }, steps: [{ after: '-1d', message: '{name}，会员 {event:renews_at} 到期' }] });
    const renews = h.clock.now().getTime() + 5 * DAY;
    const now = h.clock.now().toISOString();
    // The same time as the workspace's clock (China time) shows it, without an offset.
    const local = new Date(renews + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    await ingestEvents(ctx, [
      { id: `m${sequence++}`, customer_id: 'S', type: 'membership_started', occurred_at: now, properties: { renews_at: renews / 1000 } },
      { id: `m${sequence++}`, customer_id: 'M', type: 'membership_started', occurred_at: now, properties: { renews_at: renews } },
      { id: `m${sequence++}`, customer_id: 'L', type: 'membership_started', occurred_at: now, properties: { renews_at: local } },
    ]);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 3, late: 0 });
    h.clock.advance(4 * DAY + MINUTE);
    await runCare(ctx);
    expect((await due(ctx)).map((reminder) => [reminder.customer.id, reminder.due_at, reminder.message])).toEqual([
      ['S', new Date(renews - DAY).toISOString(), `王芳，会员 ${local} 到期`],
      ['M', new Date(renews - DAY).toISOString(), `赵敏，会员 ${local} 到期`],
      ['L', new Date(renews - DAY).toISOString(), `刘洋，会员 ${local} 到期`],
    ]);
  });

  it('writes times at the workspace’s time, and values by their display names in the message’s language', async () => {
    const ctx = h.context();
    // 20:15 in Beijing, the workspace's time.
    h.clock.set('2026-09-01T12:15:00Z');
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', type: 'individual', gender: 'female', birthday: '1990-05-17', first_seen_at: '2026-08-01T01:00:00Z' }]);
    // Both at night in Beijing (23:30, 23:45).
    await order(ctx, 'A', 'O-1', Date.parse('2026-08-20T15:30:00Z'), 100, { channel: 'online' });
    await order(ctx, 'A', 'O-2', Date.parse('2026-08-31T15:45:00Z'), 100, { channel: 'online' });
    await createCarePlan(ctx, {
      key: 'viewed',
      name: '浏览跟进',
      trigger: { kind: 'event', event_type: 'product_viewed' },
      steps: [
        // No words of its own: Chinese, the messages' language unless written otherwise.
        { after: '0', message: '[{field:first_seen_at}] [{field:birthday}] [{metric:first_order_at}] [{metric:last_order_at}] [{metric:preferred_hour_band}] [{field:gender}] [{field:type}]' },
        { after: '0', message: '{name}您好，您常在{metric:preferred_hour_band}{metric:偏好渠道}下单，上次是 {metric:last_order_at}' },
        { after: '0', message: 'Hi {name}, you shop {metric:preferred_channel} at {metric:preferred_hour_band}, last on {metric:last_order_at} ({field:gender}, {field:type})' },
      ],
    });
    await createCarePlan(ctx, { key: 'coupon', name: '券到期', trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' }, steps: [{ after: '-3d', message: '券 {event:coupon_id} 将于 {event:expires_at} 到期' }] });
    const now = h.clock.now().toISOString();
    await ingestEvents(ctx, [
      { id: `v${sequence++}`, customer_id: 'A', type: 'product_viewed', occurred_at: now, properties: { sku: 'S1' } },
      { id: `v${sequence++}`, customer_id: 'A', type: 'coupon_received', occurred_at: now, properties: { coupon_id: 'Q1', expires_at: (h.clock.now().getTime() + 3 * DAY) / 1000 } },
    ]);
    await runCare(ctx);
    await runCare(ctx);
    expect((await due(ctx)).map((reminder) => reminder.message).sort()).toEqual(
      [
        '[2026-08-01 09:00] [1990-05-17] [2026-08-20 23:30] [2026-08-31 23:45] [深夜] [女] [个人]',
        '张伟您好，您常在深夜线上下单，上次是 2026-08-31 23:45',
        'Hi 张伟, you shop online at night, last on 2026-08-31 23:45 (Female, Individual)',
        '券 Q1 将于 2026-09-04 20:15 到期',
      ].sort(),
    );
  });

  it('writes a built-in event\'s money to the cent with its thousands grouped, and a shop\'s own properties as sent', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '{name}，实付 {event:amount} 元，优惠 {event:discount} 元，积分 {event:points}' }] });
    await createCarePlan(ctx, { key: 'refund', name: '退款回访', trigger: { kind: 'event', event_type: 'order_refunded' }, steps: [{ after: '0', message: 'Refund of {event:amount} for {event:order_id}' }] });
    await createCarePlan(ctx, { key: 'cart', name: '加购跟进', trigger: { kind: 'event', event_type: 'cart_added' }, steps: [{ after: '0', message: '{event:sku} 单价 {event:price} 元 × {event:quantity}' }] });
    await createCarePlan(ctx, { key: 'coupon', name: '领券', trigger: { kind: 'event', event_type: 'coupon_received' }, steps: [{ after: '0', message: '{event:value} 元券 {event:coupon_id}' }] });
    await createCarePlan(ctx, { key: 'deposit', name: '储值', trigger: { kind: 'event', event_type: 'deposit_made' }, steps: [{ after: '0', message: '储值 {event:amount} 元' }] });
    const now = h.clock.now().toISOString();
    await ingestEvents(ctx, [
      { id: `y${sequence++}`, customer_id: 'A', type: 'order_paid', occurred_at: now, properties: { order_id: 'O-1', amount: 2824.9, discount: 387.6, points: 1234.5 } },
      { id: `y${sequence++}`, customer_id: 'A', type: 'order_refunded', occurred_at: now, properties: { order_id: 'O-1', amount: 1200 } },
      { id: `y${sequence++}`, customer_id: 'A', type: 'cart_added', occurred_at: now, properties: { sku: 'S1', price: 1999, quantity: 1200 } },
      { id: `y${sequence++}`, customer_id: 'A', type: 'coupon_received', occurred_at: now, properties: { coupon_id: 'Q1', value: 20 } },
      { id: `y${sequence++}`, customer_id: 'A', type: 'deposit_made', occurred_at: now, properties: { amount: 2824.9 } },
    ]);
    await runCare(ctx);
    await runCare(ctx);
    expect(Object.fromEntries((await due(ctx)).map((reminder) => [reminder.plan.key, reminder.message]))).toEqual({
      thanks: '张伟，实付 2,824.90 元，优惠 387.60 元，积分 1234.5',
      refund: 'Refund of 1,200.00 for O-1',
      cart: 'S1 单价 1,999.00 元 × 1200',
      coupon: '20.00 元券 Q1',
      deposit: '储值 2824.9 元',
    });
  });

  it('follows a tag gained or lost, and checks its condition when the reminder falls due', async () => {
    const ctx = h.context('导购-小李');
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', city: '上海' }, { id: 'B', name: '李娜', city: '北京' }]);
    await createCarePlan(ctx, {
      key: 'golf',
      name: '高尔夫兴趣跟进',
      trigger: { kind: 'tag_added', tag: '兴趣爱好', value: '高尔夫' },
      condition: 'city = "上海"',
      steps: [{ after: '1d', message: '{name}（{field:城市}）兴趣：{tag:兴趣爱好}' }],
    });
    const lost = await createCarePlan(ctx, { key: 'left_pre', name: '离开售前', trigger: { kind: 'tag_removed', tag: 'stage', value: 'pre' }, steps: [{ after: '0', message: '{name} 已不在售前' }] });
    expect(lost.trigger).toEqual({ kind: 'tag_removed', tag: 'stage', value: 'pre' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A', 'B'], source: 'manual' });
    // Replacing 售前 with 售中 loses 售前; removing it outright too.
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['A'], source: 'manual' });
    await removeTag(ctx, { tag: 'stage', value: 'pre', customers: ['B'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 4, due: 2 });
    expect((await due(ctx, 'left_pre')).map((reminder) => reminder.customer.id).sort()).toEqual(['A', 'B']);
    // B moves to 上海 before the day is over; A leaves it.
    await upsertCustomers(ctx, [{ id: 'A', city: '杭州' }, { id: 'B', city: '上海' }]);
    h.clock.advance(DAY);
    expect(await runCare(ctx)).toMatchObject({ due: 1, skipped: 1 });
    expect((await due(ctx, 'golf')).map((reminder) => reminder.message)).toEqual(['李娜（上海）兴趣：高尔夫']);
    expect((await listReminders(ctx, { status: 'skipped', plan: 'golf' })).items.map((reminder) => [reminder.customer.id, reminder.reason, reminder.reason_text?.['zh-CN']])).toEqual([['A', 'condition', '到期时客户不满足条件']]);
  });

  it('reminds of no tag a merge dropped as a copy, took from the merged record or gave the survivor: the person neither gained nor lost it', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'A2', name: '张伟' }, { id: 'B', name: '李娜' }, { id: 'B2', name: '李娜' }, { id: 'C', name: '王芳' }, { id: 'C2', name: '王芳' }]);
    // A and its duplicate both 售后; B 售前 and its duplicate 售后 (a single tag: B's own value stays);
    // C none and its duplicate 售中, which C takes over.
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['A', 'A2', 'B2'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['B'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['C2'], source: 'manual' });
    await createCarePlan(ctx, { key: 'left', name: '离开阶段', trigger: { kind: 'tag_removed', tag: 'stage' }, steps: [{ after: '0', message: '{name} 已无阶段' }] });
    await createCarePlan(ctx, { key: 'left_after', name: '离开售后', trigger: { kind: 'tag_removed', tag: 'stage', value: 'after' }, steps: [{ after: '0', message: '{name} 已不在售后' }] });
    await createCarePlan(ctx, { key: 'gained', name: '进入阶段', trigger: { kind: 'tag_added', tag: 'stage' }, steps: [{ after: '0', message: '{name} 进入新阶段' }] });
    await mergeCustomers(ctx, 'A', 'A2');
    await mergeCustomers(ctx, 'B', 'B2');
    await mergeCustomers(ctx, 'C', 'C2');
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0, due: 0 });
    // A removal after the merge is followed as ever.
    await removeTag(ctx, { tag: 'stage', value: 'after', customers: ['A'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2, due: 2 });
    expect((await due(ctx)).map((reminder) => [reminder.plan.key, reminder.customer.id]).sort()).toEqual([
      ['left', 'A'],
      ['left_after', 'A'],
    ]);
  });

  it('follows its tag and value to new keys, and can still be changed', async () => {
    const ctx = h.context('导购-小李');
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await createCarePlan(ctx, { key: 'to_after', name: '进入售后', trigger: { kind: 'tag_added', tag: 'stage', value: 'after' }, steps: [{ after: '0', message: '{name} 进入售后' }] });
    await updateTag(ctx, 'stage', { key: 'service_stage' });
    await updateTagValue(ctx, 'service_stage', 'after', { key: 'post_sale' });
    expect((await getCarePlan(ctx, 'to_after')).trigger).toEqual({ kind: 'tag_added', tag: 'service_stage', value: 'post_sale' });
    await assignTag(ctx, { tag: 'service_stage', value: 'post_sale', customers: ['A'], source: 'manual' });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1, due: 1 });
    expect((await due(ctx, 'to_after')).map((reminder) => reminder.message)).toEqual(['张伟 进入售后']);
    expect((await updateCarePlan(ctx, 'to_after', { name: '售后跟进' })).name).toBe('售后跟进');
    // Removing the value would leave the plan following nothing: refused, as for a condition reading it.
    const refused = await rejected(removeTagValue(ctx, 'service_stage', 'post_sale', { onAssigned: 'remove' }));
    expect([refused.code, refused.message]).toEqual(['TAG_IN_USE', 'This change to tag "服务阶段" (service_stage) would leave the trigger of care plan "to_after" unreadable (it follows the value "服务阶段: 售后" (service_stage.post_sale), which would be gone); change those first.']);
    expect((await removeTagValue(ctx, 'service_stage', 'pre', {})).tag.values.map((value) => value.key)).toEqual(['during', 'post_sale']);
  });

  it('keeps a tag its messages name from being renamed out from under them', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await createCarePlan(ctx, { key: 'hobby', name: '兴趣问候', trigger: { kind: 'tag_added', tag: 'interests' }, steps: [{ after: '0', message: '{name}，您的兴趣：{tag:兴趣爱好}' }] });
    const refused = await rejected(updateTag(ctx, 'interests', { name: '爱好' }));
    expect([refused.code, refused.message]).toEqual(['TAG_IN_USE', 'This change to tag "兴趣爱好" (interests) would leave the messages of care plan "hobby" unreadable ({tag:兴趣爱好} would name no shared tag); change those first.']);
    // A new key leaves a message naming the tag by name alone; once the message names it otherwise, the rename goes through.
    expect((await updateTag(ctx, 'interests', { key: 'hobbies' })).key).toBe('hobbies');
    await updateCarePlan(ctx, 'hobby', { steps: [{ after: '0', message: '{name}，您的兴趣：{tag:hobbies}' }] });
    expect((await updateTag(ctx, 'hobbies', { name: '爱好' })).name).toBe('爱好');
  });

  it('greets birthdays the set number of days early, once a day, 29 February on the 28th', async () => {
    const ctx = h.context();
    h.clock.set('2027-02-20T02:00:00Z'); // 10:00 in Beijing, the workspace's default zone
    await upsertCustomers(ctx, [
      { id: 'A', name: '张伟', birthday: '1990-02-23' },
      { id: 'B', name: '李娜', birthday: '1988-02-24' },
      { id: 'C', name: '王芳', birthday: '2000-02-29' },
      { id: 'D', name: '刘洋' },
    ]);
    await createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '9h', message: '{name}，三天后是您的生日' }] });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1, due: 1 });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    expect((await due(ctx)).map((reminder) => [reminder.customer.id, reminder.due_at])).toEqual([['A', '2027-02-20T01:00:00.000Z']]);
    h.clock.set('2027-02-25T02:00:00Z'); // 2027 has no 29 February: C is greeted for the 28th
    // Days missed are caught up, but B's greeting was due on the 21st, long past: only C's is scheduled.
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1, late: 1 });
    expect((await due(ctx)).map((reminder) => reminder.customer.id)).toEqual(['A', 'C']);
  });

  it('greets today a customer added, or given a birthday, after today\'s birthdays were read, once', async () => {
    const ctx = h.context();
    h.clock.set('2027-02-20T00:00:00Z'); // 08:00 in Beijing
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', birthday: '1990-02-23' }]);
    await createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '9h', message: '{name}，三天后是您的生日' }] });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1 });
    // Added at 11:00, and another's birthday filled in: both still greeted today, as if they had been there at 08:00.
    h.clock.set('2027-02-20T03:00:00Z');
    await upsertCustomers(ctx, [{ id: 'B', name: '李娜', birthday: '1991-02-23' }, { id: 'C', name: '王芳' }, { id: 'D', name: '刘洋', birthday: '1992-03-01' }]);
    await upsertCustomers(ctx, [{ id: 'C', birthday: '1993-02-23' }]);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    // Written again: not greeted twice; nor is A, read in the morning and written since.
    await upsertCustomers(ctx, [{ id: 'B', name: '李娜娜' }, { id: 'A', name: '张伟伟' }]);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    expect((await due(ctx)).map((reminder) => reminder.customer.id).sort()).toEqual(['A', 'B', 'C']);
    // The next day's read finds none of them again.
    h.clock.set('2027-02-21T00:00:00Z');
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
  });

  it('skips a birthday greeting scheduled before the birthday was corrected, and greets on the corrected day', async () => {
    const ctx = h.context();
    h.clock.set('2027-02-20T00:00:00Z'); // 08:00 in Beijing: the 09:00 greetings are still ahead
    await upsertCustomers(ctx, [
      { id: 'A', name: '张伟', birthday: '1990-02-23' },
      { id: 'B', name: '李娜', birthday: '1991-02-23' },
      { id: 'C', name: '王芳', birthday: '1992-02-23' },
    ]);
    await createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '9h', message: '{name}，三天后是您的生日' }] });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 3 });
    // B's month was a typo, C's birthday taken off; A's year corrected keeps the day.
    h.clock.set('2027-02-20T00:30:00Z');
    await upsertCustomers(ctx, [{ id: 'A', birthday: '1989-02-23' }, { id: 'B', birthday: '1991-03-23' }, { id: 'C', birthday: null }]);
    h.clock.set('2027-02-20T01:00:00Z');
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0, due: 1, skipped: 2 });
    expect((await due(ctx)).map((reminder) => reminder.customer.id)).toEqual(['A']);
    const skipped = (await listReminders(ctx, { status: 'skipped' })).items;
    expect(skipped.map((reminder) => [reminder.customer.id, reminder.reason, reminder.reason_text?.['zh-CN']]).sort()).toEqual([
      ['B', 'birthday_changed', '安排后客户的生日已修改'],
      ['C', 'birthday_changed', '安排后客户的生日已修改'],
    ]);
    // Three days before the corrected birthday, B is greeted.
    h.clock.set('2027-03-20T01:00:00Z');
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1, due: 1 });
    expect((await due(ctx)).map((reminder) => [reminder.customer.id, reminder.due_at])).toEqual([
      ['A', '2027-02-20T01:00:00.000Z'],
      ['B', '2027-03-20T01:00:00.000Z'],
    ]);
  });

  it('keeps a birthday greeting scheduled before the workspace moved to a zone further west', async () => {
    const ctx = h.context();
    h.clock.set('2027-02-20T00:00:00Z'); // 08:00 in Beijing: the 09:00 greeting is still ahead
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', birthday: '1990-02-23' }]);
    await createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '9h', message: '{name}，三天后是您的生日' }] });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1 });
    // The shop's zone was set wrong: UTC+7, where the greeting's day began at 23:00 the day before.
    await updateWorkspace(ctx, { utc_offset_minutes: 420 });
    // Nor greeted twice: its day has been read, however the zone now puts its start.
    h.clock.set('2027-02-20T01:00:00Z');
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0, due: 1, skipped: 0 });
    expect((await due(ctx)).map((reminder) => [reminder.customer.id, reminder.message])).toEqual([['A', '张伟，三天后是您的生日']]);
    h.clock.set('2027-02-21T02:00:00Z');
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0, due: 0 });
  });

  it('greets a birthday once when its plan is switched off and on again the same day', async () => {
    const ctx = h.context();
    h.clock.set('2027-02-20T00:00:00Z'); // 08:00 in Beijing: the 09:00 greeting is still ahead
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', birthday: '1990-02-23' }]);
    await createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '9h', message: '{name}，三天后是您的生日' }] });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1, due: 0 });
    await updateCarePlan(ctx, 'birthday', { enabled: false });
    h.clock.advance(10 * MINUTE);
    await updateCarePlan(ctx, 'birthday', { enabled: true });
    // Today was read before the plan went off: not again, or 张伟 would be greeted twice.
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    h.clock.set('2027-02-20T01:00:00Z');
    expect(await runCare(ctx)).toMatchObject({ due: 1 });
    expect((await due(ctx)).map((reminder) => reminder.customer.id)).toEqual(['A']);
    // Off over a day, on again the next: that day's birthdays are read from then on, as for a new plan.
    await updateCarePlan(ctx, 'birthday', { enabled: false });
    h.clock.set('2027-02-22T00:00:00Z');
    await upsertCustomers(ctx, [{ id: 'B', name: '李娜', birthday: '1990-02-25' }]);
    await updateCarePlan(ctx, 'birthday', { enabled: true });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1 });
  });

  it('sends each customer the step whose own condition they match: a birthday coupon by level', async () => {
    const ctx = h.context();
    await defineTag(ctx, stage);
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', birthday: '1990-06-18' }, { id: 'B', name: '李娜', birthday: '1991-06-18' }, { id: 'C', name: '王芳', birthday: '1992-06-18' }]);
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['B'], source: 'manual' });
    await createCarePlan(ctx, {
      key: 'birthday',
      name: '生日礼券',
      trigger: { kind: 'birthday', days_before: 3 },
      condition: 'tagged("stage")',
      steps: [
        { after: '0', message: '{name}：老客生日礼 200 元券', condition: 'stage = "售后"' },
        { after: '0', message: '{name}：生日礼 50 元券', condition: 'not stage = "售后"' },
      ],
    });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 6, due: 2, skipped: 4 });
    expect((await due(ctx)).map((reminder) => reminder.message).sort()).toEqual(['张伟：老客生日礼 200 元券', '李娜：生日礼 50 元券']);
    expect((await rejected(updateCarePlan(ctx, 'birthday', { steps: [{ after: '0', message: 'x', condition: 'stage = "售中中"' }] }))).code).toMatch(/^EXPRESSION_/);
  });

  it('skips what falls due while the plan is off, and does not replay what it missed', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await createCarePlan(ctx, AFTER_SALES);
    await order(ctx, 'A', 'O-1', h.clock.now().getTime());
    await runCare(ctx);
    expect((await updateCarePlan(ctx, 'after_sales', { enabled: false })).enabled).toBe(false);
    await order(ctx, 'A', 'O-2', h.clock.now().getTime());
    h.clock.advance(31 * MINUTE);
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0, due: 0, skipped: 1 });
    await updateCarePlan(ctx, 'after_sales', { enabled: true });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 0 });
    expect((await listReminders(ctx, { status: 'skipped' })).items[0]).toMatchObject({ reason: 'disabled' });
    // A scheduled reminder can be dismissed before it falls due; done needs it due.
    const [next] = (await listReminders(ctx, { status: 'scheduled' })).items;
    expect((await rejected(resolveReminder(ctx, next?.id ?? 0, 'done'))).code).toBe('CARE_REMINDER_CLOSED');
    expect(await resolveReminder(ctx, next?.id ?? 0, 'dismissed')).toMatchObject({ status: 'dismissed' });
  });

  it('moves reminders with a merge, erases them with the customer, and goes with its plan', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }, { id: 'A2', name: '张伟' }, { id: 'B', name: '李娜' }]);
    await createCarePlan(ctx, AFTER_SALES);
    const now = h.clock.now().getTime();
    await order(ctx, 'A2', 'O-1', now);
    await order(ctx, 'B', 'O-2', now);
    await runCare(ctx);
    await mergeCustomers(ctx, 'A', 'A2');
    expect((await listReminders(ctx, { status: 'scheduled', customer: 'A' })).total).toBe(3);
    await eraseCustomer(ctx, 'B');
    expect((await listReminders(ctx, { status: 'scheduled' })).total).toBe(3);
    h.clock.advance(31 * MINUTE);
    await runCare(ctx);
    expect((await due(ctx)).map((reminder) => [reminder.customer.id, reminder.message])).toEqual([['A', '张伟您好，感谢购买（订单 O-1）']]);
    await deleteCarePlan(ctx, '售后3315');
    expect(await listCarePlans(ctx)).toEqual([]);
    expect((await listReminders(ctx, { status: 'due' })).total).toBe(0);
    expect((await rejected(getCarePlan(ctx, 'after_sales'))).code).toBe('CARE_PLAN_NOT_FOUND');
  });

  it('keeps one of the reminders two merged customers both had, skipping the other as merged', async () => {
    const ctx = h.context();
    h.clock.set('2027-02-20T00:00:00Z');
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', birthday: '1990-02-23' }, { id: 'A2', name: '张伟', birthday: '1990-02-23' }]);
    await createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '9h', message: '{name}，三天后是您的生日' }] });
    expect(await runCare(ctx)).toMatchObject({ scheduled: 2 });
    await mergeCustomers(ctx, 'A', 'A2');
    expect((await listReminders(ctx, { status: 'scheduled', customer: 'A' })).total).toBe(1);
    const skipped = await listReminders(ctx, { status: 'skipped', customer: 'A' });
    expect(skipped.items.map((reminder) => [reminder.reason, reminder.reason_text?.en])).toEqual([['merged', 'the customer was merged into one with the same reminder']]);
    h.clock.set('2027-02-20T01:00:00Z');
    await runCare(ctx);
    expect((await due(ctx)).map((reminder) => reminder.customer.id)).toEqual(['A']);
  });

  it('refuses plans that name what does not exist or cannot be read', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await defineTag(ctx, { key: 'mine', name: '我的标签', scope: 'personal', values: [{ key: 'x', name: 'X' }] });
    await createCarePlan(ctx, AFTER_SALES);
    const base = { key: 'p', name: '计划', trigger: { kind: 'event' as const, event_type: 'order_paid' }, steps: [{ after: '1d', message: 'hi' }] };
    expect((await rejected(createCarePlan(ctx, AFTER_SALES))).code).toBe('CARE_PLAN_EXISTS');
    expect((await rejected(createCarePlan(ctx, { ...base, trigger: { kind: 'tag_added', tag: 'nope' } }))).code).toBe('TAG_NOT_FOUND');
    expect((await rejected(createCarePlan(ctx, { ...base, trigger: { kind: 'tag_added', tag: 'mine' } }))).code).toBe('TAG_NOT_FOUND');
    expect((await rejected(createCarePlan(ctx, { ...base, trigger: { kind: 'tag_added', tag: 'interests', value: 'chess' } }))).code).toBe('TAG_VALUE_NOT_FOUND');
    expect((await rejected(createCarePlan(ctx, { ...base, steps: [{ after: '2w', message: 'hi' }] }))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(createCarePlan(ctx, { ...base, steps: [] }))).code).toBe('VALIDATION_FAILED');
    const placeholder = await rejected(createCarePlan(ctx, { ...base, steps: [{ after: '1d', message: '{nmae} 您好' }] }));
    expect(placeholder.code).toBe('CARE_PLAN_INVALID');
    expect(placeholder.message).toContain('{nmae}');
    expect((await rejected(createCarePlan(ctx, { ...base, steps: [{ after: '1d', message: '{tag:口味}' }] }))).code).toBe('CARE_PLAN_INVALID');
    expect((await rejected(createCarePlan(ctx, { ...base, trigger: { kind: 'birthday', days_before: 0 }, steps: [{ after: '1d', message: '{event:order_id}' }] }))).code).toBe('CARE_PLAN_INVALID');
    expect((await rejected(createCarePlan(ctx, { ...base, condition: 'interests = "golf"' }))).code).toMatch(/^EXPRESSION_/);
    // A plan runs for everyone: its conditions may not read one person's tag.
    const personal = await rejected(createCarePlan(ctx, { ...base, condition: 'interests has any ("golf") and mine exists' }));
    expect(personal.code).toBe('CARE_PLAN_INVALID');
    expect(personal.message).toContain('personal tag "我的标签"');
    const inStep = await rejected(updateCarePlan(ctx, 'after_sales', { steps: [{ after: '1d', message: 'hi', condition: '我的标签 = "X"' }] }));
    expect(inStep.message).toContain('step 1\'s condition reads the personal tag "我的标签"');
    expect(inStep.items).toEqual([expect.objectContaining({ code: 'CARE_PLAN_INVALID', path: 'steps.0.condition', pointer: '#/steps/0/condition' })]);
    expect((await rejected(updateCarePlan(ctx, 'after_sales', { steps: [{ after: '1d', message: '{metric:nope}' }] }))).code).toBe('CARE_PLAN_INVALID');
    expect((await rejected(updateCarePlan(ctx, 'nope', { enabled: false }))).code).toBe('CARE_PLAN_NOT_FOUND');
    expect((await listCarePlans(ctx)).map((plan) => plan.key)).toEqual(['after_sales']);
  });

  it('refuses a step before its trigger unless the trigger counts from a time ahead of it, which would otherwise never remind anyone', async () => {
    const ctx = h.context();
    h.clock.set('2027-02-20T02:00:00Z');
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟', birthday: '1990-02-23' }]);
    // "Three days before the birthday" written as a step: the plan's day has begun when it is read.
    const birthday = await rejected(createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 0 }, steps: [{ after: '9h', message: '生日快乐' }, { after: '-3d', message: '{name}三天后过生日' }] }));
    expect(birthday.code).toBe('CARE_PLAN_INVALID');
    expect(birthday.message).toContain('step 2');
    expect(birthday.message).toContain('days_before');
    expect((await rejected(createCarePlan(ctx, { ...AFTER_SALES, steps: [{ after: '-1h', message: '下单前' }] }))).code).toBe('CARE_PLAN_INVALID');
    await defineTag(ctx, interests);
    expect((await rejected(createCarePlan(ctx, { key: 'golf', name: '高尔夫', trigger: { kind: 'tag_added', tag: 'interests' }, steps: [{ after: '-1d', message: 'hi' }] }))).code).toBe('CARE_PLAN_INVALID');
    // Counted from a coupon's expiry, before it is the point; and the plan made the right way reminds.
    await createCarePlan(ctx, { key: 'coupon', name: '优惠券到期提醒', trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' }, steps: [{ after: '-3d', message: 'hi' }] });
    await createCarePlan(ctx, { key: 'birthday', name: '生日祝福', trigger: { kind: 'birthday', days_before: 3 }, steps: [{ after: '9h', message: '{name}三天后过生日' }] });
    expect((await rejected(updateCarePlan(ctx, 'birthday', { steps: [{ after: '-2d', message: 'hi' }] }))).code).toBe('CARE_PLAN_INVALID');
    expect(await runCare(ctx)).toMatchObject({ scheduled: 1, late: 0, due: 1 });
    expect((await due(ctx)).map((reminder) => reminder.message)).toEqual(['张伟三天后过生日']);
  });

  it('refuses steps listed out of the order they fall due, which would remind of step 2 before step 1', async () => {
    const ctx = h.context();
    const late = await rejected(createCarePlan(ctx, { ...AFTER_SALES, steps: [{ after: '3d', message: '回访' }, { after: '1d', message: '感谢' }] }));
    expect(late.code).toBe('CARE_PLAN_INVALID');
    expect(late.message).toContain('step 2: "1d" falls due before step 1 ("3d")');
    expect(late.messageIn('zh-CN')).toContain('第 2 步：「1d」比第 1 步（「3d」）先到期');
    // Two steps at one time are two messages at once; in order, the plan is made and can be edited.
    await createCarePlan(ctx, { ...AFTER_SALES, steps: [{ after: '1d', message: '感谢' }, { after: '1d', message: '券' }, { after: '3d', message: '回访' }] });
    expect((await rejected(updateCarePlan(ctx, AFTER_SALES.key, { steps: [{ after: '7d', message: '回访' }, { after: '30m', message: '感谢' }] }))).code).toBe('CARE_PLAN_INVALID');
    // Counted back from a coupon's expiry: -3d before -1d is in order.
    await createCarePlan(ctx, { key: 'coupon', name: '券到期', trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' }, steps: [{ after: '-3d', message: '三天' }, { after: '-1d', message: '明天' }] });
    expect((await rejected(createCarePlan(ctx, { key: 'coupon2', name: '券到期2', trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' }, steps: [{ after: '-1d', message: '明天' }, { after: '-3d', message: '三天' }] }))).code).toBe('CARE_PLAN_INVALID');
  });

  it('gives each plan a name that finds only it, neither another plan’s name nor its key', async () => {
    const ctx = h.context();
    await createCarePlan(ctx, AFTER_SALES);
    const base = { trigger: { kind: 'event' as const, event_type: 'order_paid' }, steps: [{ after: '1d', message: 'hi' }] };
    const sameName = await rejected(createCarePlan(ctx, { ...base, key: 'other', name: '售后3315' }));
    expect([sameName.code, sameName.message]).toEqual(['CARE_PLAN_NAME_TAKEN', 'Care plan "after_sales" already answers to "售后3315" (as its name or key); choose another, so that the name finds one plan.']);
    expect((await rejected(createCarePlan(ctx, { ...base, key: 'other', name: 'after_sales' }))).code).toBe('CARE_PLAN_NAME_TAKEN');
    expect((await rejected(createCarePlan(ctx, { ...base, key: '售后3315', name: '另一个' }))).code).toBe('CARE_PLAN_NAME_TAKEN');
    await createCarePlan(ctx, { ...base, key: 'other', name: '回访' });
    expect((await rejected(updateCarePlan(ctx, 'other', { name: '售后3315' }))).code).toBe('CARE_PLAN_NAME_TAKEN');
    expect((await rejected(updateCarePlan(ctx, 'other', { name: 'after_sales' }))).code).toBe('CARE_PLAN_NAME_TAKEN');
    // Its own name again, or a new one, is fine.
    expect((await updateCarePlan(ctx, 'other', { name: '回访' })).name).toBe('回访');
    expect((await updateCarePlan(ctx, '回访', { name: '七日回访' })).name).toBe('七日回访');
    expect((await getCarePlan(ctx, '售后3315')).key).toBe('after_sales');
  });

  it('keeps a segment its condition reads from being deleted', async () => {
    const ctx = h.context();
    await createSegment(ctx, { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' });
    await createCarePlan(ctx, { ...AFTER_SALES, condition: 'segment("shanghai")' });
    const refused = await rejected(deleteSegment(ctx, 'shanghai'));
    expect(refused.code).toBe('SEGMENT_IN_USE');
    expect(refused.message).toContain(`care plan "${AFTER_SALES.name}" (after_sales)`);
  });
});
