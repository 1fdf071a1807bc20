// A recompute reads only the events its metric plan can use (`selectEvents`): these check that
// the stored values are exactly what the pure computation gives over every stored event.
import { describe, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { planMetrics, selectEvents } from '../../src/core/metric-compute.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { recomputeWorkspace } from '../../src/engine/maintenance.js';
import { createMetric } from '../../src/engine/metrics.js';
import { BUILTIN_METRICS, HIDDEN_METRICS } from '../../src/core/metric.js';
import { expectMetricsTrueToEvents } from './support.js';

const DAY = 86_400_000;

forEachStore('metrics read only the events that can matter', (h) => {
  it('stores what every event gives, with old events of windowed-only types and types no metric reads', async () => {
    const ctx = h.context();
    h.clock.set('2026-03-01T00:00:00Z');
    await createMetric(ctx, { key: 'favorites_7d', name: '近7天收藏', aggregation: 'count', event_type: 'favorited', window: { kind: 'days', days: 7 } });
    await createMetric(ctx, { key: 'cart_value_90d', name: '近90天加购额', aggregation: 'sum', event_type: 'cart_added', property: 'price', window: { kind: 'days', days: 90 } });
    await createMetric(ctx, { key: 'first_cart_at', name: '首次加购', aggregation: 'first', event_type: 'cart_added', window: { kind: 'all' } });
    const start = h.clock.now().getTime();
    const batch = [];
    let n = 0;
    for (const customer of ['A', 'B', 'C', 'D']) {
      for (let k = 0; k < 12; k++) {
        const at = start - (k * 23 + customer.charCodeAt(0)) * DAY;
        batch.push({ id: `v${n++}`, customer_id: customer, type: 'product_viewed', occurred_at: new Date(at).toISOString(), properties: { sku: `S${k}`, category: k % 2 ? '数码' : '美妆' } });
        if (customer !== 'D') batch.push({ id: `p${n++}`, customer_id: customer, type: 'page_viewed', occurred_at: new Date(at - 400 * DAY).toISOString(), properties: { url: '/x' } });
        if (k % 3 === 0) batch.push({ id: `f${n++}`, customer_id: customer, type: 'favorited', occurred_at: new Date(at + DAY).toISOString(), properties: { sku: 'S1' } });
        if (k % 4 === 1) batch.push({ id: `c${n++}`, customer_id: customer, type: 'cart_added', occurred_at: new Date(at).toISOString(), properties: { sku: 'S1', price: 10 + k } });
        if (customer === 'A' && k % 5 === 0) batch.push({ id: `o${n++}`, customer_id: customer, type: 'order_paid', occurred_at: new Date(at).toISOString(), properties: { order_id: `O${n}`, amount: 100 + k, items: [{ sku: 'S1', category: k % 2 ? '数码' : '美妆', price: 100 + k, quantity: 1 }] } });
      }
    }
    await ingestEvents(ctx, batch);
    expect(await expectMetricsTrueToEvents(ctx)).toBe(4);

    // A later, small batch recomputes from the stored history (only D's old page views are outside every window).
    h.clock.advance(40 * DAY);
    await ingestEvents(ctx, [
      { id: 'late1', customer_id: 'B', type: 'favorited', occurred_at: new Date(h.clock.now().getTime() - DAY).toISOString(), properties: { sku: 'S9' } },
      { id: 'late2', customer_id: 'D', type: 'page_viewed', occurred_at: new Date(start - 900 * DAY).toISOString(), properties: { url: '/old' } },
    ]);
    await recomputeWorkspace(ctx);
    expect(await expectMetricsTrueToEvents(ctx)).toBe(4);
  });

  it('leaves a metrics row alone when a recompute gives the same values and due time', async () => {
    const ctx = h.context();
    h.clock.set('2026-03-01T00:00:00Z');
    const now = h.clock.now().getTime();
    await ingestEvents(ctx, [{ id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: new Date(now - 2 * DAY).toISOString(), properties: { order_id: 'O1', amount: 120 } }]);
    const read = () => ctx.store.db.selectFrom('customer_metrics').select(['metric_values', 'computed_at', 'valid_until']).where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
    const first = await read();
    h.clock.advance(60_000);
    await recomputeWorkspace(ctx);
    expect(await read()).toEqual(first);
    // Past the due time the values move, and the row is written.
    h.clock.set(new Date((first.valid_until ?? 0) + 1).toISOString());
    await recomputeWorkspace(ctx);
    const later = await read();
    expect(later.computed_at).toBe(h.clock.now().getTime());
    expect(later.metric_values).not.toBe(first.metric_values);
    expect(await expectMetricsTrueToEvents(ctx)).toBe(1);
  });

  it('reads every event when a metric over all types needs more than the first and last time', async () => {
    const ctx = h.context();
    h.clock.set('2026-03-01T00:00:00Z');
    await createMetric(ctx, { key: 'events_total', name: '事件总数', aggregation: 'count', event_type: '*', window: { kind: 'all' } });
    const now = h.clock.now().getTime();
    await ingestEvents(ctx, [
      { id: 'e1', customer_id: 'A', type: 'product_viewed', occurred_at: new Date(now - 300 * DAY).toISOString(), properties: { sku: 'S1' } },
      { id: 'e2', customer_id: 'A', type: 'page_viewed', occurred_at: new Date(now - 200 * DAY).toISOString(), properties: { url: '/' } },
      { id: 'e3', customer_id: 'A', type: 'product_viewed', occurred_at: new Date(now - DAY).toISOString(), properties: { sku: 'S2' } },
    ]);
    expect(await expectMetricsTrueToEvents(ctx)).toBe(1);
    const row = await ctx.store.db.selectFrom('customer_metrics').select('metric_values').where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
    expect((JSON.parse(row.metric_values) as Record<string, unknown>).events_total).toBe(3);
  });
});

describe('selectEvents', () => {
  const now = Date.parse('2026-06-15T10:00:00Z');
  it('keeps all-time types whole, windowed types from their widest window, and asks for first/last times for last_active_at', () => {
    const selection = selectEvents(planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS]), now, 480);
    expect(selection.kind).toBe('some');
    if (selection.kind !== 'some') return;
    expect(new Set(selection.allOf)).toEqual(new Set(['order_paid', 'order_refunded']));
    expect(selection.after.get('product_viewed')).toBe(now - 30 * DAY);
    expect(selection.after.has('order_paid')).toBe(false);
    expect(selection.extremes).toBe(true);
  });

  it('falls back to every event for a windowed or filtered metric over all types', () => {
    const windowed = { key: 'any_30d', name: 'x', formula: { kind: 'aggregate' as const, aggregation: 'count' as const, eventType: '*', window: { kind: 'days' as const, days: 30 } } };
    expect(selectEvents(planMetrics([...BUILTIN_METRICS, ...HIDDEN_METRICS, windowed]), now, 480).kind).toBe('all');
  });
});
