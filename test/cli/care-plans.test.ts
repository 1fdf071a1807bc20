// `tagbase care plans` on both stores: each plan as an operator reads it in the terminal, with
// what keeps its reminders from going out (a cancel rule, quiet hours) as well as what starts them.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { formatPlans } from '../../src/cli/care.js';
import { cliMessages } from '../../src/cli/messages.js';
import { createCarePlan, listCarePlans } from '../../src/engine/care.js';

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
});
