// The demo store's care plans: the ones a shop sets up first, so that the console's 客户关怀
// to-do list holds what the last week of the demo's customers would have made due.
import type { CarePlanInput } from '../../core/care.js';
import { createCarePlan, listCarePlans } from '../../engine/care.js';
import type { WorkspaceContext } from '../../engine/context.js';

export const DEMO_CARE_PLANS: readonly CarePlanInput[] = [
  {
    key: 'after_sales_3315',
    name: '售后3315',
    description: '下单后 30 分钟致谢、3 天使用关怀、7 天搭配建议；订单退款则不再提醒',
    trigger: { kind: 'event', event_type: 'order_paid' },
    cancel_on: { event_type: 'order_refunded', same_property: 'order_id' },
    quiet_hours: { start: '21:30', end: '08:30' },
    steps: [
      { after: '30m', message: '{name}您好，感谢您的购买（订单 {event:order_id}，{event:amount} 元），有任何问题随时联系我。' },
      { after: '3d', message: '{name}，商品用了几天，感觉怎么样？需要使用或保养方面的帮助吗？' },
      { after: '7d', message: '{name}，根据您这次购买的商品，为您整理了几条搭配建议，看看有没有喜欢的。' },
    ],
  },
  {
    key: 'coupon_expiring',
    name: '优惠券到期提醒',
    description: '优惠券到期前 3 天提醒；用掉了就不提醒',
    trigger: { kind: 'event', event_type: 'coupon_received', time_property: 'expires_at' },
    cancel_on: { event_type: 'coupon_used', same_property: 'coupon_id' },
    steps: [{ after: '-3d', message: '{name}，您的「{event:name}」（{event:value} 元）三天后到期，别忘了使用。' }],
  },
  {
    key: 'birthday_greeting',
    name: '生日祝福',
    description: '生日前 10 天上午 9 点提醒导购准备生日礼：重要客户送 200 元券，其他客户送 50 元券',
    trigger: { kind: 'birthday', days_before: 10 },
    condition: 'tagged("rfm")',
    steps: [
      { after: '9h', message: '{name}十天后过生日（{tag:rfm}），请准备祝福和 200 元生日礼券。', condition: 'rfm in ("重要价值客户", "重要保持客户", "重要发展客户", "重要挽留客户")' },
      { after: '9h', message: '{name}十天后过生日（{tag:rfm}），请准备祝福和 50 元生日礼券。', condition: 'not rfm in ("重要价值客户", "重要保持客户", "重要发展客户", "重要挽留客户")' },
    ],
  },
  {
    key: 'became_important_value',
    name: '升级重要价值客户',
    description: '成为重要价值客户的第二天安排专属顾问回访',
    trigger: { kind: 'tag_added', tag: 'rfm', value: 'important_value' },
    condition: 'rfm = "重要价值客户"',
    steps: [{ after: '1d', message: '{name}已成为重要价值客户（近一年消费 {metric:spend_365d} 元），请安排专属顾问回访。' }],
  },
];

/** Saves the plans the workspace does not have yet. */
export async function ensureDemoCarePlans(context: WorkspaceContext): Promise<void> {
  const existing = new Set((await listCarePlans(context)).map((plan) => plan.key));
  for (const plan of DEMO_CARE_PLANS) if (!existing.has(plan.key)) await createCarePlan(context, plan);
}
