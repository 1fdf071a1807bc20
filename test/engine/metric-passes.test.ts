// Declaring a metric recomputes everyone's metrics; the recompute is recorded with the
// definition so that one a crash cut short is finished by the scheduler.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { applyRecordedMetricsPass, metricsPassProgress, runMetricsPass } from '../../src/engine/metric-passes.js';
import { createMetric } from '../../src/engine/metrics.js';
import { METRICS_PASS_KEY, scheduleMetricsPass } from '../../src/engine/pass-records.js';
import { BackgroundRulePasses, RULE_PASS_LEASE_MS, rulePassesInProgress } from '../../src/engine/rule-passes.js';

const CUSTOMERS = ['A', 'B', 'C', 'D', 'E'];
const view = (id: string, customer: string) => ({ id, customer_id: customer, type: 'product_viewed', occurred_at: '2026-06-14T08:00:00Z', properties: { sku: 'S1', category: '美妆', dwell_seconds: 40 } });
const viewsTotal = { key: 'views_total', name: '浏览次数', aggregation: 'count' as const, event_type: 'product_viewed', window: { kind: 'all' as const } };

/** The stored value of `metric` for each customer, in the order of CUSTOMERS (undefined where none is stored). */
async function storedValues(ctx: WorkspaceContext, metric: string): Promise<unknown[]> {
  const rows = await ctx.store.db
    .selectFrom('customer_metrics')
    .innerJoin('customers', 'customers.id', 'customer_metrics.customer_id')
    .select(['customers.external_id', 'customer_metrics.metric_values'])
    .where('customers.workspace_id', '=', ctx.workspaceId)
    .execute();
  const byCustomer = new Map(rows.map((row) => [row.external_id, (JSON.parse(row.metric_values) as Record<string, unknown>)[metric]]));
  return CUSTOMERS.map((customer) => byCustomer.get(customer));
}

const metricsPasses = (ctx: WorkspaceContext) => ctx.store.db.selectFrom('rule_passes').select(['after_id', 'done', 'total']).where('workspace_id', '=', ctx.workspaceId).where('tag_key', '=', METRICS_PASS_KEY).execute();

forEachStore('metric recomputes', (h) => {
  it('records the recompute with the definition, runs it to the end, and removes the record', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, CUSTOMERS.map((customer, k) => view(`V${k}`, customer)));
    const { recompute } = await createMetric(ctx, viewsTotal);
    // Declared and recorded, not yet computed: what a crash right after the save leaves.
    expect(await storedValues(ctx, 'views_total')).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(await metricsPasses(ctx)).toEqual([{ after_id: 0, done: 0, total: 0 }]);
    // Not a tag's pass: the tags' progress does not show it.
    expect(await rulePassesInProgress(ctx)).toEqual(new Map());
    expect(await runMetricsPass(ctx, recompute, { batchSize: 2, parallel: false })).toEqual({ changed: 0, finished: true });
    expect(await storedValues(ctx, 'views_total')).toEqual([1, 1, 1, 1, 1]);
    expect(await metricsPasses(ctx)).toEqual([]);
  });

  it('is finished by the scheduler from where it stopped once its owner has been silent for the lease', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, CUSTOMERS.map((customer, k) => view(`V${k}`, customer)));
    const { recompute } = await createMetric(ctx, viewsTotal);
    // The first chunk (A, B) committed, then the process died.
    expect(await runMetricsPass(ctx, recompute, { batchSize: 2, parallel: false })).toMatchObject({ finished: true });
    await ctx.store.db.deleteFrom('customer_metrics').where('workspace_id', '=', ctx.workspaceId).execute();
    const token = await scheduleMetricsPass(ctx, ctx.store.db);
    const b = await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', 'B').executeTakeFirstOrThrow();
    await ctx.store.db.updateTable('rule_passes').set({ after_id: b.id, done: 2 }).where('token', '=', token).execute();
    h.clock.advance(RULE_PASS_LEASE_MS - 1000);
    expect(await tickWorkspace(ctx, { clockRules: false })).toMatchObject({ metricsPassResumed: false, rulePassesResumed: [] });
    expect(await storedValues(ctx, 'views_total')).toEqual([undefined, undefined, undefined, undefined, undefined]);
    h.clock.advance(2000);
    expect(await tickWorkspace(ctx, { clockRules: false })).toMatchObject({ metricsPassResumed: true, rulePassesResumed: [] });
    expect(await storedValues(ctx, 'views_total')).toEqual([undefined, undefined, 1, 1, 1]);
    expect(await metricsPasses(ctx)).toEqual([]);
  });

  it('gives way to the recompute of a later declaration, which computes both metrics for everyone', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, CUSTOMERS.map((customer, k) => view(`V${k}`, customer)));
    const first = await createMetric(ctx, viewsTotal);
    const second = await createMetric(ctx, { key: 'beauty_views', name: '美妆浏览', aggregation: 'count', event_type: 'product_viewed', filter: 'category = "美妆"', window: { kind: 'all' } });
    expect(await runMetricsPass(ctx, first.recompute, { batchSize: 2, parallel: false })).toMatchObject({ finished: false });
    expect(await runMetricsPass(ctx, second.recompute, { batchSize: 2, parallel: false })).toMatchObject({ finished: true });
    expect(await storedValues(ctx, 'views_total')).toEqual([1, 1, 1, 1, 1]);
    expect(await storedValues(ctx, 'beauty_views')).toEqual([1, 1, 1, 1, 1]);
    expect(await metricsPasses(ctx)).toEqual([]);
  });

  it('with a runner, computes the first chunk before it returns and the rest in the background, its progress recorded', async () => {
    const later: ((signal: AbortSignal) => Promise<unknown>)[] = [];
    const ctx = { ...h.context(), rulePasses: { firstBatchSize: 2, batchSize: 2, start: (work: (signal: AbortSignal) => Promise<unknown>) => void later.push(work) } };
    await ingestEvents(ctx, CUSTOMERS.map((customer, k) => view(`V${k}`, customer)));
    const { recompute } = await createMetric(ctx, viewsTotal);
    await applyRecordedMetricsPass(ctx, recompute);
    expect(await storedValues(ctx, 'views_total')).toEqual([1, 1, undefined, undefined, undefined]);
    expect(await metricsPassProgress(ctx)).toMatchObject({ done: 2, total: 5 });
    expect(later).toHaveLength(1);
    await later[0]?.(new AbortController().signal);
    expect(await storedValues(ctx, 'views_total')).toEqual([1, 1, 1, 1, 1]);
    expect(await metricsPassProgress(ctx)).toBeUndefined();
  });

  it('stops in the background when the process stops, and the next tick finishes it at once', async () => {
    const errors: unknown[] = [];
    const runner = new BackgroundRulePasses((error) => errors.push(error), { firstBatchSize: 1, batchSize: 1 });
    const ctx = { ...h.context(), rulePasses: runner };
    await ingestEvents(ctx, CUSTOMERS.map((customer, k) => view(`V${k}`, customer)));
    const { recompute } = await createMetric(ctx, viewsTotal);
    await applyRecordedMetricsPass(ctx, recompute);
    await runner.stop();
    expect(errors).toEqual([]);
    const left = await metricsPassProgress(ctx);
    if (left !== undefined) expect(left.updatedAt).toBe(0);
    await tickWorkspace({ ...ctx, rulePasses: undefined }, { clockRules: false });
    expect(await storedValues(ctx, 'views_total')).toEqual([1, 1, 1, 1, 1]);
    expect(await metricsPassProgress(ctx)).toBeUndefined();
  });
});
