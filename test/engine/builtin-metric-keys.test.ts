import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { BUILTIN_METRICS, HIDDEN_METRICS } from '../../src/core/metric.js';
import { loadWorkspaceCatalog } from '../../src/engine/catalog.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { createMetric, listMetrics } from '../../src/engine/metrics.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { rejected } from './support.js';

forEachStore('custom metrics and the keys of built-in ones', (h) => {
  it('refuses a custom metric under any built-in metric’s key, saying it is built in', async () => {
    const ctx = h.context();
    for (const { key } of [...BUILTIN_METRICS, ...HIDDEN_METRICS]) {
      const error = await rejected(createMetric(ctx, { key, name: `我的${key}`, aggregation: 'count', event_type: 'order_refunded', window: { kind: 'all' } }));
      expect(error.code).toBe('METRIC_EXISTS');
      expect(error.messageIn('en')).toBe(`Metric "${key}" already exists. It is a built-in metric (the product computes it itself): give yours another key.`);
      expect(error.messageIn('zh-CN')).toBe(`指标「${key}」已存在。这是内置指标（由系统自行计算）：请为自定义指标另选一个键。`);
    }
    const custom = await createMetric(ctx, { key: 'refunds_mine', name: '我的退款', aggregation: 'count', event_type: 'order_refunded', window: { kind: 'all' } });
    expect(custom.definition.key).toBe('refunds_mine');
    expect((await rejected(createMetric(ctx, { key: 'refunds_mine', name: '又一个', aggregation: 'count', event_type: 'order_refunded', window: { kind: 'all' } }))).messageIn('en')).toBe('Metric "refunds_mine" already exists.');
  });

  it('lets the built-in metric win over a custom one stored under its key before it became built in', async () => {
    const ctx = h.context();
    // As a store from before `refunded_orders_total` was built in may hold it.
    const stored = { key: 'refunded_orders_total', name: '我的退款次数', formula: { kind: 'aggregate', aggregation: 'count', eventType: 'order_refunded', window: { kind: 'all' } } };
    await h
      .store()
      .db.insertInto('metric_definitions')
      .values({ workspace_id: ctx.workspaceId, key: stored.key, name: stored.name, description: null, definition: JSON.stringify(stored), created_at: h.clock.now().getTime() })
      .execute();
    const listed = (await listMetrics(ctx)).filter((metric) => metric.key === 'refunded_orders_total');
    expect(listed.map((metric) => metric.name)).toEqual(['累计退款订单数']);
    const catalog = await loadWorkspaceCatalog(ctx);
    expect(catalog.metrics.filter((metric) => metric.key === 'refunded_orders_total')).toHaveLength(1);
    // Two refunds of one order: one refunded order, as the built-in metric counts them.
    await ingestEvents(ctx, [
      { id: 'P1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-05-01T08:00:00Z', properties: { order_id: 'O1', amount: 100 } },
      { id: 'R1', customer_id: 'C1', type: 'order_refunded', occurred_at: '2026-05-02T08:00:00Z', properties: { order_id: 'O1', amount: 10 } },
      { id: 'R2', customer_id: 'C1', type: 'order_refunded', occurred_at: '2026-05-03T08:00:00Z', properties: { order_id: 'O1', amount: 10 } },
    ]);
    const metrics = (await getPortrait(ctx, 'C1')).metrics.filter((metric) => metric.key === 'refunded_orders_total');
    expect(metrics).toEqual([expect.objectContaining({ name: '累计退款订单数', value: 1 })]);
  });
});
