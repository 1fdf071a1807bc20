import { afterEach, expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { assignTag } from '../../src/engine/tagging.js';
import { buildSettings } from '../../src/index/build.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { checksumOf } from '../../src/index/snapshot.js';
import { SnapshotWriter } from '../../src/index/snapshot-format.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { defineTag, interests, stage } from '../engine/support.js';
import { forEachStore, it } from '../support/stores.js';

function snapshotOf(index: WorkspaceIndex): string {
  const out = new SnapshotWriter();
  index.writeSnapshot(out);
  return checksumOf(out.finish());
}

const saved = { ...buildSettings };
afterEach(() => Object.assign(buildSettings, saved));

forEachStore('full build', (h) => {
  it('leaves out, page by page and in a refresh, an assignment past its expiry that no sweep has taken off yet', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, Array.from({ length: 7 }, (_, i) => ({ id: `C${i}` })));
    const until = h.clock.now().getTime() + 60_000;
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C0', 'C3', 'C6'], source: 'manual', expiresAt: until });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C4'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C6'], source: 'manual', expiresAt: until + 60_000 });
    const golf = (index: WorkspaceIndex) => [...index.valueCounts().values()].sort();
    const before = await WorkspaceIndex.build(ctx.store, ctx.workspaceId, h.clock.now().getTime());
    expect(golf(before)).toEqual([1, 4]);
    // At golf's expiry, with no sweep run: the rows are still in the store.
    h.clock.advance(60_000);
    const now = h.clock.now().getTime();
    const whole = await WorkspaceIndex.build(ctx.store, ctx.workspaceId, now);
    expect([golf(whole), whole.tagSizes().size, [...whole.tagSizes().values()]]).toEqual([[1, 1], 1, [2]]);
    // Pages of two, the ones after the first read ahead by a second thread on SQLite.
    buildSettings.batch = 2;
    expect(snapshotOf(await WorkspaceIndex.build(ctx.store, ctx.workspaceId, now))).toBe(snapshotOf(whole));
    await before.refreshCustomers(ctx.store, before.all.toArray(), undefined, now);
    expect([golf(before), [...before.tagSizes().values()]]).toEqual([[1, 1], [2]]);
    // The registry builds by its caller's clock.
    expect(golf(await new IndexRegistry(ctx.store).get(ctx))).toEqual([1, 1]);
    expect(await ctx.store.db.selectFrom('assignments').select('customer_id').where('workspace_id', '=', ctx.workspaceId).where('expires_at', 'is not', null).execute()).toHaveLength(4);
  });

  it('gives the same index page by page as in one page, and as refreshing every customer', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'score', name: '评分', type: 'number' });
    await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    const cities = ['广州', '深圳', '上海', null];
    await upsertCustomers(
      ctx,
      Array.from({ length: 23 }, (_, i) => ({
        id: `C${i}`,
        name: i % 5 === 0 ? `O"Brien ${i}` : `客户${i}`,
        city: cities[i % 4] ?? undefined,
        gender: i % 2 ? 'female' : 'male',
        birthday: `19${80 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`,
        custom: { score: i % 3 === 0 ? i * 1.5 : i, ...(i % 4 === 0 ? { note: i % 8 === 0 ? 'say "hi" 🎉' : '￥' } : {}) },
      })),
    );
    const orders = Array.from({ length: 30 }, (_, i) => ({ id: `O${i}`, customer_id: `C${(i * 7) % 23}`, type: 'order_paid', occurred_at: new Date(Date.parse('2026-06-01T00:00:00Z') - i * 86_400_000).toISOString(), properties: { order_id: `O${i}`, amount: 10.25 * (i + 1), channel: i % 2 ? 'online' : 'offline' } }));
    await ingestEvents(ctx, orders);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1', 'C4', 'C9', 'C22'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['C2', 'C4', 'C15'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['C3', 'C5', 'C21'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['C6', 'C8'], source: 'manual' });
    await mergeCustomers(ctx, 'C4', 'C5');
    // A text the build's own readers leave to JSON.parse: spaces, an escape, a nested value.
    const odd = await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', 'C7').executeTakeFirstOrThrow();
    await ctx.store.db.updateTable('customer_metrics').set({ metric_values: '{ "orders_total" : 2, "preferred_channel": "on\\u006cine", "list": [1] }' }).where('customer_id', '=', odd.id).execute();
    if (h.kind === 'sqlite') {
      // What SQLite's JSON cannot give back as it is stored: a blob in a text column, a float in an integer one.
      await ctx.store.db.updateTable('customers').set({ name: Buffer.from('客户9') as unknown as string }).where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', 'C9').execute();
      await ctx.store.db.updateTable('customers').set({ first_seen_at: 1781234567890.5 }).where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', 'C10').execute();
    }

    const whole = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    expect(whole.all.size).toBe(22);
    buildSettings.batch = 2;
    const paged = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    expect(snapshotOf(paged)).toBe(snapshotOf(whole));

    // A refresh loads customers one by one: what it holds must be what a build holds.
    const refreshed = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    await refreshed.refreshCustomers(ctx.store, whole.all.toArray());
    expect(refreshed.all.toArray()).toEqual(whole.all.toArray());
    expect(refreshed.valueCounts()).toEqual(whole.valueCounts());
    expect(refreshed.tagSizes()).toEqual(whole.tagSizes());
    const members = whole.all.clone();
    for (const sort of [
      { source: 'metric', key: 'orders_total' },
      { source: 'metric', key: 'spend_total' },
      { source: 'metric', key: 'preferred_channel' },
      { source: 'field', key: 'score' },
      { source: 'field', key: 'name' },
      { source: 'field', key: 'note' },
      { source: 'field', key: 'first_seen_at' },
    ] as const) {
      expect(refreshed.sortMembers(members, { ...sort, direction: 'asc' }, 0, 30), sort.key).toEqual(whole.sortMembers(members, { ...sort, direction: 'asc' }, 0, 30));
    }
  });
});
