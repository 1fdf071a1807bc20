import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { assignTag } from '../../src/engine/tagging.js';
import { recomputeWorkspace, tickWorkspace } from '../../src/engine/maintenance.js';
import { defineMetric } from '../../src/engine/metrics.js';
import { configureModel } from '../../src/engine/models.js';
import { defineRuleTags, defineTag, storedMetricsAndTags } from './support.js';

const DAY = 86_400_000;

forEachStore('real time and recompute agree', (h) => {
  it('replays an event stream in real time, then rebuilds from the events alone and reaches the same state', async () => {
    const ctx = h.context();
    h.clock.set('2026-01-10T02:00:00Z');
    await defineRuleTags(ctx);

    const customers = ['A', 'B', 'C', 'D', 'E', 'F'];
    await upsertCustomers(ctx, [{ id: 'A', city: '广州' }, { id: 'B' }, { id: 'D', city: '上海' }]);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    let n = 0;
    for (let week = 0; week < 20; week++) {
      const batch = [];
      for (const [i, id] of customers.entries()) {
        if ((week + i) % 3 === 0) continue;
        const at = h.clock.now().getTime() - ((week * 7 + i) % 5) * DAY;
        batch.push({ id: `E${n++}`, customer_id: id, type: 'order_paid', occurred_at: new Date(at).toISOString(), properties: { order_id: `O${n}`, amount: 37 * (i + 1) * ((week % 4) + 1) } });
        if (week % 5 === i % 5) batch.push({ id: `R${n++}`, customer_id: id, type: 'order_refunded', occurred_at: new Date(at + DAY).toISOString(), properties: { order_id: `O${n}`, amount: 10 } });
        batch.push({ id: `V${n++}`, customer_id: id, type: 'product_viewed', occurred_at: new Date(at - 3 * DAY).toISOString(), properties: { sku: 'S', category: i % 2 ? '美妆' : '数码', dwell_seconds: 12 } });
      }
      if (week === 12) customers.pop(); // F stops buying
      await ingestEvents(ctx, batch);
      h.clock.advance(7 * DAY);
      await tickWorkspace(ctx, { clockRules: true });
    }
    h.clock.advance(45 * DAY);
    await tickWorkspace(ctx, { clockRules: true });
    const realTime = await storedMetricsAndTags(ctx);
    expect(realTime.tags.some((tag) => tag.includes('golf_vip=yes'))).toBe(true);
    expect(realTime.tags.some((tag) => tag.startsWith('F dormant=yes'))).toBe(true);
    expect((await getPortrait(ctx, 'A')).tags.map((t) => t.tag)).toEqual(expect.arrayContaining(['golf_vip', 'interests', 'value_tier']));

    // Forget everything derived, keep the events, customers and manual tags; rebuild.
    await ctx.store.db.deleteFrom('customer_metrics').where('workspace_id', '=', ctx.workspaceId).execute();
    await ctx.store.db.deleteFrom('assignments').where('workspace_id', '=', ctx.workspaceId).where('source', '=', 'rule').execute();
    const result = await recomputeWorkspace(ctx, { batchSize: 4 });
    expect(result.customers).toBe(6);
    expect(await storedMetricsAndTags(ctx)).toEqual(realTime);
  });

  it('counts partial refunds of one order at most what was paid for it, in real time and on a rebuild alike', async () => {
    const ctx = h.context();
    h.clock.set('2026-06-15T04:00:00Z');
    await defineMetric(ctx, { key: 'refunds_30d', name: '近30天退款额', formula: { kind: 'aggregate', aggregation: 'sum', eventType: 'order_refunded', property: 'amount', window: { kind: 'days', days: 30 } } });
    await defineTag(ctx, { key: 'refunder', name: '高退款', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'refund_rate > 0.9' }] });
    const at = (daysAgo: number) => new Date(h.clock.now().getTime() - daysAgo * DAY).toISOString();
    const paid = (id: string, daysAgo: number, amount: number) => ({ id, customer_id: 'A', type: 'order_paid', occurred_at: at(daysAgo), properties: { order_id: id, amount } });
    const refund = (id: string, order: string, daysAgo: number, amount: number) => ({ id, customer_id: 'A', type: 'order_refunded', occurred_at: at(daysAgo), properties: { order_id: order, amount } });
    await ingestEvents(ctx, [paid('O1', 60, 100), paid('O2', 50, 300)]);
    // Refunds of O1 arriving one by one, the last two asking back more than is left of it.
    await ingestEvents(ctx, [refund('R1', 'O1', 45, 70)]);
    await ingestEvents(ctx, [refund('R2', 'O1', 20, 70)]);
    await ingestEvents(ctx, [refund('R3', 'O1', 10, 70)]);
    const metrics = async () => Object.fromEntries((await getPortrait(ctx, 'A')).metrics.map((metric) => [metric.key, metric.value]));
    expect(await metrics()).toMatchObject({ refunds_total: 3, refund_amount_total: 100, refund_rate: 0.5, refunds_30d: 30 });
    expect((await getPortrait(ctx, 'A')).tags).toEqual([]);
    const realTime = await storedMetricsAndTags(ctx);
    await ctx.store.db.deleteFrom('customer_metrics').where('workspace_id', '=', ctx.workspaceId).execute();
    await recomputeWorkspace(ctx, { batchSize: 4 });
    expect(await storedMetricsAndTags(ctx)).toEqual(realTime);
  });

  it('nets refunds of orders from before the window out of every spend window as RFM does out of M, and keeps the refund rate within 100 %, in real time and on a rebuild alike', async () => {
    const ctx = h.context();
    h.clock.set('2026-06-15T04:00:00Z');
    await configureModel(ctx, 'rfm', {});
    await defineTag(ctx, { key: 'big_refunder', name: '退货大户', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'refund_rate > 1' }] });
    const at = (daysAgo: number) => new Date(h.clock.now().getTime() - daysAgo * DAY).toISOString();
    const paid = (id: string, daysAgo: number, amount: number) => ({ id, customer_id: 'A', type: 'order_paid', occurred_at: at(daysAgo), properties: { order_id: id, amount } });
    const refund = (id: string, order: string, daysAgo: number, amount: number) => ({ id, customer_id: 'A', type: 'order_refunded', occurred_at: at(daysAgo), properties: { order_id: order, amount } });
    await ingestEvents(ctx, [paid('O1', 400, 500), paid('O2', 100, 300), paid('O3', 30, 200)]);
    await ingestEvents(ctx, [{ ...paid('B1', 10, 100), customer_id: 'B' }]);
    // O1 was bought before the window and is refunded inside it; O-old and O-older predate the data.
    await ingestEvents(ctx, [refund('R1', 'O1', 20, 250)]);
    await ingestEvents(ctx, [refund('R2', 'O-old', 5, 80), refund('R3', 'O-older', 4, 80), refund('R4', 'O-older', 3, 10)]);
    await ingestEvents(ctx, [refund('R5', 'O3', 2, 50)]);
    const metrics = async () => Object.fromEntries((await getPortrait(ctx, 'A')).metrics.map((metric) => [metric.key, metric.value]));
    // Paid 500 in the window, refunded 250 + 80 + 90 + 50 in it.
    // Every spend window alike: 470 refunded within 30 days takes the 30 and 90 days to 0; 1000 − 470 of all time; 客单价 1000 / 3 before refunds.
    expect(await metrics()).toMatchObject({ spend_30d: 0, spend_90d: 0, spend_365d: 30, rfm_monetary: 30, spend_total: 530, spend_this_year: 30, avg_order_value: 333.3333, refunded_orders_total: 4, refunded_paid_orders_total: 2, refund_rate: 0.6667 });
    h.clock.advance(20 * DAY);
    await tickWorkspace(ctx, { clockRules: true });
    expect(await metrics()).toMatchObject({ spend_30d: 0, spend_90d: 0, spend_365d: 30, rfm_monetary: 30, spend_total: 530, spend_this_year: 30 });
    expect((await getPortrait(ctx, 'A')).tags.map((tag) => tag.tag)).not.toContain('big_refunder');
    const realTime = await storedMetricsAndTags(ctx);
    await ctx.store.db.deleteFrom('customer_metrics').where('workspace_id', '=', ctx.workspaceId).execute();
    await ctx.store.db.deleteFrom('assignments').where('workspace_id', '=', ctx.workspaceId).where('source', '=', 'rule').execute();
    await recomputeWorkspace(ctx, { batchSize: 1 });
    expect(await storedMetricsAndTags(ctx)).toEqual(realTime);
  });

  it('moves clock-dependent tags as time passes, through the scheduler tick', async () => {
    const ctx = h.context();
    await defineTag(ctx, { key: 'recent_buyer', name: '近30天购买', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'orders_30d >= 1' }] });
    await defineTag(ctx, { key: 'birthday_soon', name: '近期生日', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'birthday within 7 days' }] });
    await upsertCustomers(ctx, [{ id: 'A', birthday: '1990-06-25' }]);
    await ingestEvents(ctx, [{ id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-10T00:00:00Z', properties: { order_id: 'O1', amount: 10 } }]);
    const tags = async () => (await getPortrait(ctx, 'A')).tags.map((t) => t.tag).sort();
    expect(await tags()).toEqual(['recent_buyer']);
    h.clock.set('2026-06-20T00:00:00Z');
    await tickWorkspace(ctx, { clockRules: true });
    expect(await tags()).toEqual(['birthday_soon', 'recent_buyer']);
    h.clock.set('2026-07-11T00:00:00Z');
    const report = await tickWorkspace(ctx, { clockRules: true });
    expect(report.metricsRefreshed).toBe(1);
    expect(await tags()).toEqual([]);
  });
});
