// A coupon the shop gives a customer (`coupon_received`) is not something the customer did:
// metrics over every event type (`*`: `last_active_at`, the activity model's gap) leave it out,
// so that a win-back campaign's coupons leave its lost customers lost until they come back.
// The same whether the metrics are computed at ingest, by a recompute (in the thread or in the
// worker of a SQLite file), from the first and last event times or from every event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { computeMetrics, planMetrics, selectEvents } from '../../src/core/metric-compute.js';
import { BUILTIN_METRICS, HIDDEN_METRICS } from '../../src/core/metric.js';
import { SHOP_SENT_EVENT_TYPES } from '../../src/core/event.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { recomputeWorkspace } from '../../src/engine/maintenance.js';
import { createMetric, loadMetricPlan } from '../../src/engine/metrics.js';
import { configureModel } from '../../src/engine/models.js';
import { recomputeChunks } from '../../src/engine/parallel-recompute.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { allCustomerIds } from '../../src/engine/propagate.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { forEachStore, it, TestClock } from '../support/stores.js';

const DAY = 86_400_000;

const at = (clock: TestClock, daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY).toISOString();

/**
 * The activity model (whose gap metric reads every event), or freshness alone (which reads the
 * first and last event times only), and their value for a customer lost 200 days ago.
 */
type Model = 'activity' | 'freshness';
const LOST: Record<Model, string> = { activity: 'lost', freshness: 'band_5' };
const BACK: Record<Model, string> = { activity: 'won_back', freshness: 'band_1' };

/** A customer who last bought 200 days ago, and one the shop only ever sent a coupon. */
async function seedLostCustomers(ctx: WorkspaceContext, clock: TestClock, model: Model): Promise<void> {
  await configureModel(ctx, model, {});
  await ingestEvents(ctx, [
    { id: 'o1', customer_id: 'A', type: 'order_paid', occurred_at: at(clock, 200), properties: { order_id: 'O1', amount: 120 } },
    { id: 'k0', customer_id: 'B', type: 'coupon_received', occurred_at: at(clock, 3), properties: { coupon_id: 'WB0' } },
  ]);
}

async function metricsOf(ctx: WorkspaceContext, customer: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await getPortrait(ctx, customer)).metrics.map((metric) => [metric.key, metric.value]));
}

async function valueOf(ctx: WorkspaceContext, model: Model, customer: string): Promise<string | undefined> {
  return (await getPortrait(ctx, customer)).tags.find((tag) => tag.tag === model)?.value;
}

/** A stays lost, 200 days since last active, and B, with a coupon only, has no activity at all. */
async function expectStillLost(ctx: WorkspaceContext, model: Model, lastOrderAt: string): Promise<void> {
  const a = await metricsOf(ctx, 'A');
  expect({ last_active_at: a.last_active_at, days: a.days_since_last_active, gap: a.activity_gap_days ?? null }).toEqual({ last_active_at: lastOrderAt, days: 200, gap: null });
  expect(await valueOf(ctx, model, 'A')).toBe(LOST[model]);
  const b = await metricsOf(ctx, 'B');
  expect([b.last_active_at ?? null, b.days_since_last_active ?? null]).toEqual([null, null]);
  expect(await valueOf(ctx, model, 'B')).toBeUndefined();
}

describe('the shop-sent event types', () => {
  it('are coupon_received alone among the built-in types', () => {
    expect([...SHOP_SENT_EVENT_TYPES]).toEqual(['coupon_received']);
  });

  it('are left out of every metric over all types, and read by one that names them', () => {
    const now = Date.parse('2026-06-15T10:00:00Z');
    const plan = planMetrics([
      ...BUILTIN_METRICS,
      ...HIDDEN_METRICS,
      { key: 'events_total', name: 'x', formula: { kind: 'aggregate', aggregation: 'count', eventType: '*', window: { kind: 'all' } } },
      { key: 'gap', name: 'x', formula: { kind: 'aggregate', aggregation: 'gap_days', eventType: '*', window: { kind: 'all' } } },
      { key: 'coupons', name: 'x', formula: { kind: 'aggregate', aggregation: 'count', eventType: 'coupon_received', window: { kind: 'all' } } },
      { key: 'my_type', name: 'x', formula: { kind: 'aggregate', aggregation: 'count', eventType: '*', window: { kind: 'days', days: 30 } } },
    ]);
    const events = [
      { type: 'order_paid', occurredAt: now - 200 * DAY, properties: { order_id: 'O1', amount: 10 } },
      { type: 'coupon_received', occurredAt: now - 2 * DAY, properties: { coupon_id: 'C1' } },
      { type: 'live_room_entered', occurredAt: now - DAY, properties: {} },
    ];
    const { values } = computeMetrics(plan, events, now, 480);
    expect(values).toMatchObject({ last_active_at: now - DAY, events_total: 2, gap: 199, coupons: 1, my_type: 1 });
  });
});

forEachStore('a coupon the shop sends is no activity of the customer', (h) => {
  for (const model of ['freshness', 'activity'] as const) {
    it(`keeps a lost customer lost when they receive a coupon, and brings them back when they buy (${model})`, async () => {
      const ctx = h.context();
      const lastOrderAt = at(h.clock, 200);
      // The activity model's gap, and a `*` count over 90 days, make every event be read; freshness alone reads the first and last times.
      if (model === 'activity') await createMetric(ctx, { key: 'events_90d', name: '近90天事件', aggregation: 'count', event_type: '*', window: { kind: 'days', days: 90 } });
      await createMetric(ctx, { key: 'coupons_received', name: '领券数', aggregation: 'count', event_type: 'coupon_received', window: { kind: 'all' } });
      await seedLostCustomers(ctx, h.clock, model);
      const selection = selectEvents(await loadMetricPlan(ctx), h.clock.now().getTime(), 480);
      expect(selection.kind === 'some' && selection.extremes).toBe(model === 'freshness');

      // The win-back campaign's coupon, at ingest.
      await ingestEvents(ctx, [{ id: 'k1', customer_id: 'A', type: 'coupon_received', occurred_at: at(h.clock, 1), properties: { coupon_id: 'WB1', value: 20 } }]);
      await expectStillLost(ctx, model, lastOrderAt);
      expect((await metricsOf(ctx, 'A')).coupons_received).toBe(1);
      if (model === 'activity') expect((await metricsOf(ctx, 'A')).events_90d ?? 0).toBe(0);

      // By a recompute, a day later.
      h.clock.advance(DAY);
      await recomputeWorkspace(ctx);
      const a = await metricsOf(ctx, 'A');
      expect([a.last_active_at, a.days_since_last_active, a.coupons_received]).toEqual([lastOrderAt, 201, 1]);
      expect(await valueOf(ctx, model, 'A')).toBe(LOST[model]);
      expect((await metricsOf(ctx, 'B')).last_active_at ?? null).toBeNull();

      // The customer comes back and buys.
      await ingestEvents(ctx, [{ id: 'o2', customer_id: 'A', type: 'order_paid', occurred_at: at(h.clock, 0), properties: { order_id: 'O2', amount: 80, coupon_id: 'WB1' } }]);
      const back = await metricsOf(ctx, 'A');
      expect([back.days_since_last_active, back.activity_gap_days ?? null]).toEqual([0, model === 'activity' ? 201 : null]);
      expect(await valueOf(ctx, model, 'A')).toBe(BACK[model]);
      await recomputeWorkspace(ctx);
      expect(await valueOf(ctx, model, 'A')).toBe(BACK[model]);
    });
  }
});

forEachStore('a metric over every event type picks the type of a property', (h) => {
  it('from the events it reads, not from the coupons the shop sent', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [
      { id: 'v1', customer_id: 'A', type: 'live_room_entered', occurred_at: at(h.clock, 3), properties: { room: 12 } },
      { id: 'k1', customer_id: 'A', type: 'coupon_received', occurred_at: at(h.clock, 1), properties: { coupon_id: 'WB1', room: 'none' } },
    ]);
    const { definition } = await createMetric(ctx, { key: 'last_room', name: '最近直播间', aggregation: 'last', event_type: '*', property: 'room', window: { kind: 'all' } });
    expect(definition.formula).toMatchObject({ valueType: 'number' });
    await recomputeWorkspace(ctx);
    expect((await metricsOf(ctx, 'A')).last_room).toBe(12);
  });
});

describe('a coupon the shop sends is no activity of the customer [sqlite file, recompute in a worker]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-shop-sent-'));
  const stores: Store[] = [];
  afterAll(async () => {
    while (stores.length > 0) await stores.pop()?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes in the worker what the thread computes', async () => {
    const clock = new TestClock();
    const store = await openStore(join(dir, 'shop.db'));
    stores.push(store);
    await store.migrate();
    const workspaceId = await ensureWorkspace(store, 'shop', 'shop', clock.now);
    const ctx: WorkspaceContext = { store, workspaceId, workspaceKey: 'shop', actor: 'tester', now: clock.now };
    await seedLostCustomers(ctx, clock, 'freshness');
    const lastOrderAt = at(clock, 200);
    // Enough customers for several chunks, each of them sent a coupon.
    const batch = [];
    for (let k = 0; k < 12; k++) {
      const customer = `C${k}`;
      batch.push({ id: `co${k}`, customer_id: customer, type: 'order_paid', occurred_at: at(clock, 150 + k), properties: { order_id: `CO${k}`, amount: 10 } });
      batch.push({ id: `ck${k}`, customer_id: customer, type: 'coupon_received', occurred_at: at(clock, 1), properties: { coupon_id: 'WB' } });
    }
    batch.push({ id: 'k1', customer_id: 'A', type: 'coupon_received', occurred_at: at(clock, 1), properties: { coupon_id: 'WB1' } });
    await ingestEvents(ctx, batch);
    // Stored values of the old meaning, for the worker's recompute to put right.
    await store.db.updateTable('customer_metrics').set({ metric_values: '{}' }).where('workspace_id', '=', workspaceId).execute();
    let computedAside = 0;
    await recomputeChunks(ctx, await allCustomerIds(ctx, store.db), { batchSize: 3, waitForWorker: true, beforeWrite: () => Promise.resolve(void computedAside++) });
    expect(computedAside).toBeGreaterThan(1);
    await expectStillLost(ctx, 'freshness', lastOrderAt);
    for (let k = 0; k < 12; k++) expect((await metricsOf(ctx, `C${k}`)).days_since_last_active).toBe(150 + k);
  });
});
