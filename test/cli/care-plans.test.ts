// `tagbase care plans` on both stores: each plan as an operator reads it in the terminal, with
// what keeps its reminders from going out (a cancel rule, quiet hours) as well as what starts them.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { formatPlans, formatReminders, planTags } from '../../src/cli/care.js';
import { cliMessages } from '../../src/cli/messages.js';
import { createCarePlan, listCarePlans, listReminders, runCare } from '../../src/engine/care.js';
import { configureModel, listModels } from '../../src/engine/models.js';
import { seenEventTypes } from '../../src/engine/event-types.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { updateTag } from '../../src/engine/library.js';
import { defineTag } from '../engine/support.js';

forEachStore('tagbase care plans', (h) => {
  it('shows a plan’s cancel rule and quiet hours beside its trigger and steps, in English and Chinese', async () => {
    const ctx = h.context();
    await createCarePlan(ctx, {
      key: 'after_sales',
      name: '售后3315',
      trigger: { kind: 'event', event_type: 'order_paid' },
      cancel_on: { event_type: 'order_refunded', same_property: 'order_id' },
      quiet_hours: { start: '21:00', end: '08:00' },
      steps: [{ after: '30m', message: '感谢购买' }],
    });
    await createCarePlan(ctx, { key: 'coupon', name: '优惠券', trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' }, cancel_on: { event_type: 'coupon_used' }, steps: [{ after: '-3d', message: '券快到期了' }] });
    const plans = await listCarePlans(ctx);
    expect(formatPlans(plans, cliMessages('en')).split('\n')).toEqual([
      '售后3315 (after_sales)  on order_paid  due 0, scheduled 0, done 0',
      '  cancelled by a later order_refunded of the same order_id',
      '  nothing falls due 21:00–08:00 (moved to 08:00)',
      '  1. 30m: 感谢购买',
      '优惠券 (coupon)  on coupon_received, counted from its expires_at  due 0, scheduled 0, done 0',
      '  cancelled by a later coupon_used',
      '  1. -3d: 券快到期了',
    ]);
    expect(formatPlans(plans, cliMessages('zh-CN')).split('\n').slice(1, 3)).toEqual(['  之后发生相同 order_id 的 order_refunded 时取消', '  免打扰 21:00–08:00（顺延到 08:00）']);
  });

  it('names a trigger’s tag and value as the console does, with the keys after them', async () => {
    const ctx = h.context();
    await defineTag(ctx, { key: 'card', name: '卡等级', values: [{ key: 'gold', name: '金卡' }, { key: 'silver', name: '银卡' }] });
    await defineTag(ctx, { key: 'vip', name: 'vip', values: [{ key: 'yes', name: 'yes' }] });
    await defineTag(ctx, { key: 'campaign', name: '双十一活动', values: [{ key: 'joined', name: '已参加' }] });
    await createCarePlan(ctx, { key: 'gold', name: '升金卡', trigger: { kind: 'tag_added', tag: 'card', value: 'gold' }, steps: [{ after: '1h', message: '恭喜升级' }] });
    await createCarePlan(ctx, { key: 'lapsed', name: '活动结束', trigger: { kind: 'tag_removed', tag: '双十一活动' }, steps: [{ after: '1d', message: '下次再见' }] });
    await createCarePlan(ctx, { key: 'vip', name: 'VIP', trigger: { kind: 'tag_added', tag: 'vip', value: 'yes' }, steps: [{ after: '1d', message: '欢迎' }] });
    // An archived tag a plan still reacts to keeps its name.
    await updateTag(ctx, 'campaign', { status: 'archived' });
    const triggers = async (locale: 'en' | 'zh-CN') =>
      formatPlans(await listCarePlans(ctx), cliMessages(locale), undefined, await planTags(ctx))
        .split('\n')
        .filter((line) => !line.startsWith(' '));
    expect(await triggers('en')).toEqual([
      '升金卡 (gold)  on gaining 卡等级: 金卡 (card.gold)  due 0, scheduled 0, done 0',
      '活动结束 (lapsed)  on losing 双十一活动 (campaign)  due 0, scheduled 0, done 0',
      'VIP (vip)  on gaining vip.yes  due 0, scheduled 0, done 0',
    ]);
    expect((await triggers('zh-CN')).map((line) => line.split('  ')[1])).toEqual(['获得标签 卡等级: 金卡（card.gold）', '失去标签 双十一活动（campaign）', '获得标签 vip.yes']);
  });

  it('names a model’s tag in a trigger in the catalog’s English words for an English reader, as the console does', async () => {
    const ctx = h.context();
    await configureModel(ctx, 'rfm', {});
    await createCarePlan(ctx, { key: 'vip', name: '升级重要价值客户', trigger: { kind: 'tag_added', tag: 'rfm', value: 'important_value' }, steps: [{ after: '1d', message: '回访' }] });
    const plans = await listCarePlans(ctx);
    const tags = await planTags(ctx);
    const trigger = (text: string) => text.split('\n')[0]?.split('  ')[1];
    expect(trigger(formatPlans(plans, cliMessages('en'), undefined, tags, await listModels(ctx)))).toBe('on gaining RFM level: Important value (rfm.important_value)');
    // A Chinese reader is given no catalog words: the stored ones are Chinese already.
    expect(trigger(formatPlans(plans, cliMessages('zh-CN'), undefined, tags))).toBe('获得标签 RFM等级: 重要价值客户（rfm.important_value）');
  });

  it('says which plan waits for an event type none of the latest events has, and stops saying it once one arrives', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '张伟' }]);
    const paid = (id: string, hoursAgo: number) => ({ id, customer_id: 'C1', type: 'order_paid', occurred_at: new Date(h.clock.now().getTime() - hoursAgo * 3_600_000).toISOString(), properties: { order_id: id, amount: 10 } });
    await ingestEvents(ctx, [paid('O1', 2), paid('O2', 1)]);
    await createCarePlan(ctx, { key: 'thanks', name: '致谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: '谢谢' }] });
    await createCarePlan(ctx, { key: 'visit', name: '到店回访', trigger: { kind: 'event', event_type: 'store_visited' }, steps: [{ after: '1d', message: '感谢到店' }] });
    const lines = async (locale: 'en' | 'zh-CN') => formatPlans(await listCarePlans(ctx), cliMessages(locale), await seenEventTypes(ctx)).split('\n');
    expect(await lines('en')).toEqual([
      '致谢 (thanks)  on order_paid  due 0, scheduled 0, done 0',
      '  1. 1d: 谢谢',
      '到店回访 (visit)  on store_visited  due 0, scheduled 0, done 0',
      '  none of the latest 2 events is a store_visited: the plan schedules nothing until one arrives',
      '  1. 1d: 感谢到店',
    ]);
    expect((await lines('zh-CN'))[3]).toBe('  最近的 2 条行为中没有 store_visited：收到之前计划不会安排提醒');
    await ingestEvents(ctx, [{ id: 'E2', customer_id: 'C1', type: 'store_visited', occurred_at: h.clock.now().toISOString(), properties: {} }]);
    expect((await lines('en')).filter((line) => line.includes('none of the latest'))).toEqual([]);
  });

  it('names the event that cancelled a reminder, at the workspace\'s time', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '张伟' }]);
    await createCarePlan(ctx, { key: 'after_sales', name: '售后', trigger: { kind: 'event', event_type: 'order_paid' }, cancel_on: { event_type: 'order_refunded', same_property: 'order_id' }, steps: [{ after: '1d', message: '用得还好吗？' }] });
    // 2026-06-15 10:00 UTC, 18:00 in Beijing.
    const now = h.clock.now().getTime();
    await ingestEvents(ctx, [{ id: 'P1', customer_id: 'C1', type: 'order_paid', occurred_at: new Date(now).toISOString(), properties: { order_id: 'O1', amount: 10 } }]);
    await runCare(ctx);
    await ingestEvents(ctx, [{ id: 'R1', customer_id: 'C1', type: 'order_refunded', occurred_at: new Date(now + 3_600_000).toISOString(), properties: { order_id: 'O1', amount: 10 } }]);
    h.clock.advance(86_400_000 + 60_000);
    await runCare(ctx);
    const page = await listReminders(ctx, { status: 'skipped' });
    expect(formatReminders(page, 'skipped', cliMessages('en'), 'en', 0, 480).split('\n')[0]).toBe(`#${String(page.items[0]?.id)}  2026-06-16 18:00  张伟 (C1)  售后 step 1  cancelled by a later event: order_refunded at 2026-06-15 19:00`);
    expect(formatReminders(page, 'skipped', cliMessages('zh-CN'), 'zh-CN', 0, 480).split('\n')[0]).toMatch(/被后续行为取消：2026-06-15 19:00 的 order_refunded$/);
  });

  it('names the status of a page of reminders in the language of the lines around it', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '张伟' }, { id: 'C2', name: '李娜' }]);
    await createCarePlan(ctx, { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: '谢谢' }] });
    const now = h.clock.now().toISOString();
    await ingestEvents(ctx, ['C1', 'C2'].map((customer, index) => ({ id: `S${index}`, customer_id: customer, type: 'order_paid', occurred_at: now, properties: { order_id: `O${index}`, amount: 10 } })));
    await runCare(ctx);
    const first = await listReminders(ctx, { status: 'scheduled', limit: 1 });
    expect(formatReminders(first, 'scheduled', cliMessages('zh-CN'), 'zh-CN', 0, 480).split('\n').at(-2)).toBe('…… 共 2 条已安排的提醒，显示了第 1–1 条；下一页加 --offset 1');
    expect(formatReminders(first, 'scheduled', cliMessages('en'), 'en', 0, 480).split('\n').at(-2)).toBe('… 1–1 of 2 scheduled reminders shown; the next with --offset 1');
    const second = await listReminders(ctx, { status: 'scheduled', limit: 1, offset: 1 });
    expect(formatReminders(second, 'scheduled', cliMessages('zh-CN'), 'zh-CN', 1, 480).split('\n').at(-2)).toBe('…… 共 2 条已安排的提醒，显示了第 2–2 条');
    const past = await listReminders(ctx, { status: 'scheduled', offset: 5 });
    expect(formatReminders(past, 'scheduled', cliMessages('zh-CN'), 'zh-CN', 5, 480)).toBe('这个 --offset 之后没有提醒了：已安排的提醒共 2 条');
    expect(formatReminders(past, 'scheduled', cliMessages('en'), 'en', 5, 480)).toBe('no reminders from this --offset on: 2 scheduled in all');
  });

  it('lists reminders in columns as a terminal shows them, whatever the length of each customer\'s name', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '欧阳海燕' }, { id: 'C22', name: '高颖' }, { id: 'C333' }]);
    await createCarePlan(ctx, { key: 'thanks', name: '购后感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '0', message: '谢谢' }] });
    const now = h.clock.now().getTime();
    await ingestEvents(ctx, ['C1', 'C22', 'C333'].map((customer, index) => ({ id: `P${index}`, customer_id: customer, type: 'order_paid', occurred_at: new Date(now - 60_000 + index * 1000).toISOString(), properties: { order_id: `O${index}`, amount: 10 } })));
    await runCare(ctx);
    const page = await listReminders(ctx, { status: 'due' });
    const ids = page.items.map((reminder) => `#${String(reminder.id)}`);
    const width = Math.max(...ids.map((id) => id.length));
    // 欧阳海燕 (C1) takes 14 terminal columns, 高颖 (C22) 10, C333 4: the plan starts under the plan above.
    expect(formatReminders(page, 'due', cliMessages('en'), 'en', 0, 480).split('\n').slice(0, 3)).toEqual([
      `${(ids[0] ?? '').padEnd(width)}  2026-06-15 17:59  欧阳海燕 (C1)  购后感谢 step 1  谢谢`,
      `${(ids[1] ?? '').padEnd(width)}  2026-06-15 17:59  高颖 (C22)     购后感谢 step 1  谢谢`,
      `${(ids[2] ?? '').padEnd(width)}  2026-06-15 17:59  C333           购后感谢 step 1  谢谢`,
    ]);
  });
});
