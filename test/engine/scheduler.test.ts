// The scheduler of `tagbase serve`: its first tick comes once the startup work it is given has
// settled, without waiting the interval between ticks.
import { expect, vi } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { metricsPassProgress } from '../../src/engine/metric-passes.js';
import { createMetric } from '../../src/engine/metrics.js';
import { METRICS_PASS_KEY } from '../../src/engine/pass-records.js';
import { startScheduler } from '../../src/engine/scheduler.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { compileAudience, createSegment, loadSegmentScope, type Audience } from '../../src/engine/segments.js';
import { assignTag } from '../../src/engine/tagging.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { defineTag } from './support.js';
import { deleteWorkspace } from '../../src/engine/workspace-deletion.js';
import { ensureWorkspace, openWorkspace } from '../../src/engine/workspaces.js';
import type { RulePassRunner } from '../../src/engine/context.js';

const view = (id: string, customer: string) => ({ id, customer_id: customer, type: 'product_viewed', occurred_at: '2026-06-14T08:00:00Z', properties: { sku: 'S1' } });

forEachStore('the scheduler', (h) => {
  it('runs its first tick once the startup work has settled, not an interval after the start', async () => {
    const ctx = h.context();
    let startedUp = (): void => {};
    const startup = new Promise<void>((resolve) => (startedUp = resolve));
    // An interval no test waits out: only the first tick can do the work.
    const scheduler = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30, firstTickMs: 1, startAfter: startup });
    try {
      // What the startup leaves for the first tick: a recompute for a new metric, stopped with
      // its process and marked ownerless.
      await ingestEvents(ctx, ['A', 'B', 'C'].map((customer, k) => view(`V${k}`, customer)));
      await createMetric(ctx, { key: 'views_total', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed', window: { kind: 'all' } });
      await ctx.store.db.updateTable('rule_passes').set({ updated_at: 0 }).where('workspace_id', '=', ctx.workspaceId).where('tag_key', '=', METRICS_PASS_KEY).execute();
      expect(await metricsPassProgress(ctx)).toMatchObject({ done: 0 });
      startedUp();
      await vi.waitFor(async () => expect(await metricsPassProgress(ctx)).toBeUndefined(), { timeout: 60_000, interval: 20 });
    } finally {
      await scheduler.stop();
    }
    const stored = await ctx.store.db.selectFrom('customer_metrics').select('metric_values').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(stored.map((row) => (JSON.parse(row.metric_values) as { views_total?: number }).views_total)).toEqual([1, 1, 1]);
  });

  it('ticks after the startup work whatever its outcome', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [view('V1', 'A')]);
    await createMetric(ctx, { key: 'views_total', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed', window: { kind: 'all' } });
    await ctx.store.db.updateTable('rule_passes').set({ updated_at: 0 }).where('workspace_id', '=', ctx.workspaceId).where('tag_key', '=', METRICS_PASS_KEY).execute();
    const scheduler = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30, firstTickMs: 1, startAfter: Promise.reject(new Error('the index could not be built')) });
    try {
      await vi.waitFor(async () => expect(await metricsPassProgress(ctx)).toBeUndefined(), { timeout: 60_000, interval: 20 });
    } finally {
      await scheduler.stop();
    }
  });

  it('takes an assignment off soon after it expires, between its rounds, and the index counts it gone', async () => {
    const ctx = h.context();
    const index = new IndexRegistry(ctx.store);
    const audience = indexAudience(index);
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
    await assignTag(ctx, { tag: 'vip', value: 'yes', customers: ['A'], source: 'manual', expiresAt: h.clock.now().getTime() + 60_000 });
    await assignTag(ctx, { tag: 'vip', value: 'yes', customers: ['B'], source: 'manual' });
    const holders = async () => audience.count({ ...ctx, observer: index }, compileAudience(await loadSegmentScope(ctx), 'vip = "yes"').bound, await loadSegmentScope(ctx));
    // Rounds an hour apart: only the look between them can take it off.
    const scheduler = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30, expiryCheckMs: 10, observer: index });
    try {
      expect(await holders()).toBe(2);
      h.clock.advance(61_000);
      await vi.waitFor(async () => expect(await holders()).toBe(1), { timeout: 60_000, interval: 20 });
    } finally {
      await scheduler.stop();
    }
    const history = await ctx.store.db.selectFrom('tag_history').select('action').where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
    expect(history.map((row) => row.action)).toEqual(['add', 'add', 'expire']);
  });

  it('a round under way in a workspace deleted meanwhile ends it with a line to inform, not a failure, and the next round leaves it out', async () => {
    const ctx = h.context();
    const doomedKey = `${h.workspaceKey()}-doomed`;
    await ensureWorkspace(ctx.store, doomedKey, doomedKey, h.clock.now);
    const doomed = await openWorkspace(ctx.store, doomedKey, 'tester', h.clock.now);
    await ingestEvents(doomed, ['A', 'B'].map((customer, k) => view(`V${k}`, customer)));
    await createSegment(doomed, { key: 'all', name: '全部', expression: 'first_seen_at exists' });
    const counted = indexAudience(new IndexRegistry(ctx.store));
    const asked: string[] = [];
    // Deleted in the middle of its own round: its segments were read, their sizes are being counted.
    const audience: Audience = {
      ...counted,
      async population(context) {
        asked.push(context.workspaceKey);
        if (context.workspaceKey !== doomedKey) return counted.population(context);
        await deleteWorkspace(ctx.store, doomedKey, h.clock.now, { actor: 'admin', source: 'cli' });
        return 2;
      },
      count: async (context, bound, scope) => (context.workspaceKey === doomedKey ? 2 : counted.count(context, bound, scope)),
    };
    const errors: unknown[] = [];
    const told: string[] = [];
    const scheduler = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30, audience, onError: (error) => errors.push(error), onInfo: (message) => told.push(message) });
    try {
      const reports = await scheduler.tick({ clockRules: false });
      expect(asked).toContain(doomedKey);
      expect(told).toEqual([`workspace "${doomedKey}" was deleted while its round ran; the round ends there`]);
      expect(reports.length).toBe((await ctx.store.db.selectFrom('workspaces').select('id').execute()).length);
      asked.length = 0;
      await scheduler.tick({ clockRules: false });
      expect(asked).not.toContain(doomedKey);
      expect([errors, told.length]).toEqual([[], 1]);
    } finally {
      await scheduler.stop();
    }
  });

  it('a rule pass going on in the background for a workspace deleted meanwhile stops without an error', async () => {
    const ctx = h.context();
    const later: ((signal: AbortSignal) => Promise<unknown>)[] = [];
    const runner: RulePassRunner = { firstBatchSize: 1, batchSize: 1, start: (work) => later.push(work) };
    const doomedKey = `${h.workspaceKey()}-doomed`;
    await ensureWorkspace(ctx.store, doomedKey, doomedKey, h.clock.now);
    const doomed = { ...(await openWorkspace(ctx.store, doomedKey, 'tester', h.clock.now)), rulePasses: runner };
    await ingestEvents(doomed, ['A', 'B', 'C'].map((customer, k) => view(`V${k}`, customer)));
    await defineTag(doomed, { key: 'viewer', name: '浏览过', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'first_seen_at exists' }] });
    await createMetric(doomed, { key: 'views_total', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed', window: { kind: 'all' } });
    expect(later.length).toBeGreaterThan(0);
    await deleteWorkspace(ctx.store, doomedKey, h.clock.now, { actor: 'admin', source: 'cli' });
    for (const work of later) await expect(work(new AbortController().signal)).resolves.toMatchObject({ finished: false });
  });
});
