// A full recompute on a SQLite file computes the metrics of the chunks ahead in a worker thread.
// These check that it writes exactly what the in-thread recompute writes, loses no event, merge
// or catalog change that lands between the worker's read and the chunk's write, surfaces the
// worker's errors and leaves no thread behind, and logs each chunk's changes with it; and that
// other stores keep the in-thread path.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { recomputeWorkspace } from '../../src/engine/maintenance.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { MetricWorker } from '../../src/engine/metric-worker.js';
import { createMetric } from '../../src/engine/metrics.js';
import { recomputeChunks } from '../../src/engine/parallel-recompute.js';
import { allCustomerIds } from '../../src/engine/propagate.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { openStore, sqliteFile, type Store } from '../../src/store/connect.js';
import { forEachStore, it, TestClock } from '../support/stores.js';
import { defineRuleTags, expectMetricsTrueToEvents } from './support.js';
import { assignTag } from '../../src/engine/tagging.js';
import { IndexRegistry } from '../../src/index/registry.js';

const DAY = 86_400_000;
const CUSTOMERS = 24;
const BATCH = 4;

/** Rule tags over metrics, the clock and other tags, and events over a year, for CUSTOMERS customers. */
async function seed(ctx: WorkspaceContext, clock: TestClock): Promise<void> {
  await defineRuleTags(ctx);
  await createMetric(ctx, { key: 'big_online_orders', name: '线上大单', aggregation: 'count', event_type: 'order_paid', filter: 'amount >= 200', window: { kind: 'days', days: 120 } });
  await upsertCustomers(ctx, [{ id: 'C00', city: '广州' }, { id: 'C01', city: '上海' }]);
  let n = 0;
  for (let week = 0; week < 12; week++) {
    const batch = [];
    for (let c = 0; c < CUSTOMERS; c++) {
      if ((week + c) % 4 === 0 || c === CUSTOMERS - 1) continue;
      const customer = `C${String(c).padStart(2, '0')}`;
      const at = clock.now().getTime() - ((week * 7 + c) % 5) * DAY;
      batch.push({ id: `E${n++}`, customer_id: customer, type: 'order_paid', occurred_at: new Date(at).toISOString(), properties: { order_id: `O${n}`, amount: 41 * ((c % 7) + 1) * ((week % 4) + 1), channel: c % 2 ? 'online' : 'offline' } });
      if (week % 5 === c % 5) batch.push({ id: `R${n++}`, customer_id: customer, type: 'order_refunded', occurred_at: new Date(at + DAY).toISOString(), properties: { order_id: `O${n}`, amount: 10 } });
      batch.push({ id: `V${n++}`, customer_id: customer, type: 'product_viewed', occurred_at: new Date(at - 3 * DAY).toISOString(), properties: { sku: 'S', category: c % 3 ? '美妆' : '数码', dwell_seconds: 12 } });
    }
    await ingestEvents(ctx, batch);
    clock.advance(30 * DAY);
  }
  // A customer with no events at all.
  await upsertCustomers(ctx, [{ id: `C${CUSTOMERS - 1}` }]);
  await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C00', 'C01', 'C02', 'C05'], source: 'manual' });
}

/** Every row a recompute writes, by external id, times included (the test clock stands still). */
async function writtenRows(ctx: WorkspaceContext) {
  const db = ctx.store.db;
  const external = new Map((await db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', ctx.workspaceId).execute()).map((row) => [row.id, row.external_id]));
  const name = (id: number) => external.get(id) ?? `#${id}`;
  const metrics = await db.selectFrom('customer_metrics').selectAll().where('workspace_id', '=', ctx.workspaceId).execute();
  const assignments = await db.selectFrom('assignments').selectAll().where('workspace_id', '=', ctx.workspaceId).execute();
  const history = await db.selectFrom('tag_history').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
  return {
    metrics: metrics.map((row) => ({ ...row, customer_id: name(row.customer_id) })).sort((a, b) => a.customer_id.localeCompare(b.customer_id)),
    assignments: assignments.map((row) => ({ ...row, customer_id: name(row.customer_id) })).sort((a, b) => a.customer_id.localeCompare(b.customer_id) || a.value_id - b.value_id),
    history: history.map((row) => ({ ...row, customer_id: name(row.customer_id) })),
  };
}

async function externalId(ctx: WorkspaceContext, customerId: number): Promise<string> {
  return (await ctx.store.db.selectFrom('customers').select('external_id').where('id', '=', customerId).executeTakeFirstOrThrow()).external_id;
}

function threads(): number {
  return readdirSync('/proc/self/task').length;
}

describe('recompute with a worker thread [sqlite file]', () => {
  let dir = '';
  const stores: Store[] = [];
  let threadsBefore: number | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagbase-recompute-'));
  });
  afterEach(async () => {
    while (stores.length > 0) await stores.pop()?.close();
    // Thread counting needs Linux's /proc; elsewhere the worker's stop is trusted.
    if (threadsBefore !== undefined) {
      for (let wait = 0; wait < 50 && threads() > threadsBefore; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(threads()).toBeLessThanOrEqual(threadsBefore);
    }
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function openFile(file: string, clock: TestClock): Promise<WorkspaceContext> {
    const store = await openStore(join(dir, file));
    stores.push(store);
    await store.migrate();
    const workspaceId = await ensureWorkspace(store, 'shop', 'shop', clock.now);
    return { store, workspaceId, workspaceKey: 'shop', actor: 'tester', now: clock.now };
  }

  /** A seeded workspace, and a second file holding a copy of it. */
  async function seededPair(name: string, clock: TestClock): Promise<[WorkspaceContext, WorkspaceContext]> {
    const first = await openFile(`${name}-a.db`, clock);
    await seed(first, clock);
    await sql`vacuum into ${join(dir, `${name}-b.db`)}`.execute(first.store.db);
    return [first, await openFile(`${name}-b.db`, clock)];
  }

  async function seeded(name: string, clock: TestClock): Promise<WorkspaceContext> {
    const ctx = await openFile(`${name}.db`, clock);
    await seed(ctx, clock);
    if (existsSync('/proc/self/task')) threadsBefore = threads();
    return ctx;
  }

  for (const metrics of ['built-in metrics', 'a metric over every event type']) {
    it(`writes the same metrics, assignments and history as the in-thread recompute (${metrics})`, async () => {
      const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
      const [inThread, aside] = await seededPair(metrics.replaceAll(' ', '-'), clock);
      // Every event of every type is read when a `*` metric aggregates more than first and last times.
      if (metrics !== 'built-in metrics') for (const ctx of [inThread, aside]) await createMetric(ctx, { key: 'events_90d', name: '近90天事件', aggregation: 'count', event_type: '*', window: { kind: 'days', days: 90 } });
      // Windows have moved since the events: values and tags change, and so does history.
      clock.advance(45 * DAY);
      if (existsSync('/proc/self/task')) threadsBefore = threads();
      const expected = await recomputeWorkspace(inThread, { batchSize: BATCH, parallel: false });
      let computedAside = 0;
      const ids = await allCustomerIds(aside, aside.store.db);
      const tagsChanged = await recomputeChunks(aside, ids, { batchSize: BATCH, waitForWorker: true, beforeWrite: () => Promise.resolve(void computedAside++) });
      expect(computedAside).toBe(Math.ceil(CUSTOMERS / BATCH));
      expect(tagsChanged).toBe(expected.tagsChanged);
      expect(expected.tagsChanged).toBeGreaterThan(0);
      const rows = await writtenRows(aside);
      expect(rows).toEqual(await writtenRows(inThread));
      expect(rows.metrics).toHaveLength(CUSTOMERS);
    });
  }

  it('recomputes a workspace on a file twice, the second time changing nothing', async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('default', clock);
    clock.advance(45 * DAY);
    const first = await recomputeWorkspace(ctx, { batchSize: BATCH });
    expect(first.customers).toBe(CUSTOMERS);
    await expectMetricsTrueToEvents(ctx);
    const before = await writtenRows(ctx);
    expect((await recomputeWorkspace(ctx, { batchSize: BATCH })).tagsChanged).toBe(0);
    expect(await writtenRows(ctx)).toEqual(before);
  });

  it('does not lose an event stored between the worker reading a chunk and the chunk being written', async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('late-event', clock);
    clock.advance(45 * DAY);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    let late: number | undefined;
    await recomputeChunks(ctx, ids, {
      batchSize: BATCH,
      waitForWorker: true,
      beforeWrite: async (part) => {
        if (late !== undefined) return;
        late = part[0] ?? 0;
        await ingestEvents(ctx, [{ id: 'late', customer_id: await externalId(ctx, late), type: 'order_paid', occurred_at: new Date(clock.now().getTime() - DAY).toISOString(), properties: { order_id: 'late', amount: 5000 } }]);
      },
    });
    await expectMetricsTrueToEvents(ctx);
    const row = await ctx.store.db.selectFrom('customer_metrics').select('metric_values').where('customer_id', '=', late ?? 0).executeTakeFirstOrThrow();
    expect(JSON.parse(row.metric_values)).toMatchObject({ spend_30d: 5000 });
  });

  it('does not lose a merge made between the worker reading a chunk and the chunk being written', async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('late-merge', clock);
    clock.advance(45 * DAY);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    const orders = async (customerId: number) => (await ctx.store.db.selectFrom('events').select('id').where('customer_id', '=', customerId).where('type', '=', 'order_paid').execute()).length;
    // The survivor is in the chunk about to be written; the merged record in the one after, which the worker has read ahead.
    const [survivor, mergedAway] = [ids[BATCH] ?? 0, ids[2 * BATCH] ?? 0];
    const expected = (await orders(survivor)) + (await orders(mergedAway));
    expect(await orders(mergedAway)).toBeGreaterThan(0);
    let merged = false;
    await recomputeChunks(ctx, ids, {
      batchSize: BATCH,
      waitForWorker: true,
      beforeWrite: async (part) => {
        if (merged || !part.includes(survivor)) return;
        merged = true;
        await mergeCustomers(ctx, await externalId(ctx, survivor), await externalId(ctx, mergedAway));
      },
    });
    expect(merged).toBe(true);
    await expectMetricsTrueToEvents(ctx);
    const ordersTotal = async (customerId: number) => {
      const row = await ctx.store.db.selectFrom('customer_metrics').select('metric_values').where('customer_id', '=', customerId).executeTakeFirstOrThrow();
      return (JSON.parse(row.metric_values) as { orders_total?: number }).orders_total;
    };
    expect([await ordersTotal(survivor), await ordersTotal(mergedAway)]).toEqual([expected, 0]);
  });

  it('writes no metrics for customers erased between the worker reading a chunk and the chunk being written', async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('late-erasure', clock);
    clock.advance(45 * DAY);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    // One erased from the chunk about to be written, one from a chunk the worker has read ahead.
    const gone = [ids[BATCH] ?? 0, ids[2 * BATCH + 1] ?? 0];
    let erased = false;
    await recomputeChunks(ctx, ids, {
      batchSize: BATCH,
      waitForWorker: true,
      beforeWrite: async (part) => {
        if (erased || !part.includes(gone[0] ?? 0)) return;
        erased = true;
        for (const id of gone) await eraseCustomer(ctx, await externalId(ctx, id));
      },
    });
    expect(erased).toBe(true);
    expect(await ctx.store.db.selectFrom('customer_metrics').select('customer_id').where('customer_id', 'in', gone).execute()).toEqual([]);
    expect(await ctx.store.db.selectFrom('customer_metrics').select('customer_id').where('workspace_id', '=', ctx.workspaceId).execute()).toHaveLength(ids.length - 2);
    // The in-thread recompute, from a list made before an erasure, too.
    const last = ids[ids.length - 1] ?? 0;
    await eraseCustomer(ctx, await externalId(ctx, last));
    await recomputeChunks(ctx, ids, { batchSize: BATCH, parallel: false });
    expect(await ctx.store.db.selectFrom('customer_metrics').select('customer_id').where('customer_id', '=', last).execute()).toEqual([]);
  });

  it('uses no value computed with metric definitions that changed before the write', async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('late-metric', clock);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    let defined = false;
    await recomputeChunks(ctx, ids, {
      batchSize: BATCH,
      waitForWorker: true,
      beforeWrite: async () => {
        if (defined) return;
        defined = true;
        await createMetric(ctx, { key: 'views_total', name: '浏览次数', aggregation: 'count', event_type: 'product_viewed', window: { kind: 'all' } });
      },
    });
    await expectMetricsTrueToEvents(ctx);
    const rows = await ctx.store.db.selectFrom('customer_metrics').select('metric_values').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(rows.filter((row) => 'views_total' in (JSON.parse(row.metric_values) as object))).toHaveLength(CUSTOMERS);
  });

  it("fails with the worker's error, and stops the worker", async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('failing', clock);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    // Properties that are not JSON, as no ingest would store them, in the third chunk: the worker reads it while the first is written.
    await ctx.store.db
      .updateTable('events')
      .set({ properties: '{not json' })
      .where('customer_id', '=', ids[2 * BATCH] ?? 0)
      .where('type', '=', 'order_paid')
      .execute();
    let written = 0;
    await expect(recomputeChunks(ctx, ids, { batchSize: BATCH, waitForWorker: true, beforeWrite: () => Promise.resolve(void written++) })).rejects.toThrow(SyntaxError);
    expect(written).toBe(2);
  });

  it('logs every chunk it commits, so that an index elsewhere follows a recompute that failed half way', async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('cut-short', clock);
    const elsewhere = new IndexRegistry(ctx.store);
    await elsewhere.get(ctx);
    clock.advance(45 * DAY);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    let computedAside = 0;
    let chunks = 0;
    const lost = new Error('Connection terminated unexpectedly');
    const failing = recomputeChunks(ctx, ids, {
      batchSize: BATCH,
      waitForWorker: true,
      beforeWrite: () => Promise.resolve(void computedAside++),
      afterChunk: () => (++chunks === 3 ? Promise.reject(lost) : Promise.resolve(true)),
    });
    await expect(failing).rejects.toBe(lost);
    expect(computedAside).toBeGreaterThan(0);
    const index = await elsewhere.get(ctx);
    const values = await ctx.store.db.selectFrom('tag_values').innerJoin('tags', 'tags.id', 'tag_values.tag_id').select('tag_values.id').where('tags.workspace_id', '=', ctx.workspaceId).execute();
    const assignments = await ctx.store.db.selectFrom('assignments').select(['value_id', 'customer_id']).where('workspace_id', '=', ctx.workspaceId).execute();
    for (const { id } of values) {
      const holders = assignments.filter((row) => row.value_id === id).map((row) => row.customer_id).sort((a, b) => a - b);
      expect({ value: id, holders: index.valueMembers(id)?.toArray() ?? [] }).toEqual({ value: id, holders });
    }
  });

  it('recomputes here when the worker cannot start', async () => {
    const clock = new TestClock(new Date('2025-01-10T02:00:00Z'));
    const ctx = await seeded('no-worker', clock);
    clock.advance(45 * DAY);
    const missing = join(dir, 'missing.db');
    expect(await MetricWorker.launch(ctx.store.db, missing)?.ready).toBe(false);
    // The worker is pointed at a file that is not there; this thread still has the store.
    const elsewhere: WorkspaceContext = { ...ctx, store: { ...ctx.store, location: missing } };
    let computedAside = 0;
    const ids = await allCustomerIds(ctx, ctx.store.db);
    await recomputeChunks(elsewhere, ids, { batchSize: BATCH, waitForWorker: true, beforeWrite: () => Promise.resolve(void computedAside++) });
    expect(computedAside).toBe(0);
    await expectMetricsTrueToEvents(ctx);
  });
});

forEachStore('recompute without a worker thread', (h) => {
  it('keeps every chunk on this thread, where no second connection can read the store', async () => {
    const ctx = h.context();
    h.clock.set('2025-01-10T02:00:00Z');
    await seed(ctx, h.clock);
    expect(sqliteFile(ctx.store)).toBeUndefined();
    let computedAside = 0;
    const ids = await allCustomerIds(ctx, ctx.store.db);
    await recomputeChunks(ctx, ids, { batchSize: BATCH, waitForWorker: true, beforeWrite: () => Promise.resolve(void computedAside++) });
    expect(computedAside).toBe(0);
    await expectMetricsTrueToEvents(ctx);
  });

  it('writes no metrics for a customer erased after the recompute listed it', async () => {
    const ctx = h.context();
    h.clock.set('2025-01-10T02:00:00Z');
    await seed(ctx, h.clock);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    const gone = ids[BATCH + 1] ?? 0;
    await eraseCustomer(ctx, await externalId(ctx, gone));
    await recomputeChunks(ctx, ids, { batchSize: BATCH });
    expect(await ctx.store.db.selectFrom('customer_metrics').select('customer_id').where('customer_id', '=', gone).execute()).toEqual([]);
    expect(await ctx.store.db.selectFrom('customer_metrics').select('customer_id').where('workspace_id', '=', ctx.workspaceId).execute()).toHaveLength(ids.length - 1);
  });
});
