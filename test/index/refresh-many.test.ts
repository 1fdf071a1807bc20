// A refresh of many customers at once (another process's import, read through the change log)
// must leave the index as a build from the store would: an unchanged customer changes nothing,
// not even how a column or bitmap is laid out, and a changed one reads as a build reads it.
import { afterEach, expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { assignTag } from '../../src/engine/tagging.js';
import { BUILTIN_METRICS } from '../../src/core/metric.js';
import { BUILTIN_FIELD_ATTRIBUTES } from '../../src/engine/catalog.js';
import { numberBlockSettings } from '../../src/index/number-blocks.js';
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

const SORTS = [
  ...BUILTIN_FIELD_ATTRIBUTES.map((field) => ({ source: 'field' as const, key: field.key })),
  { source: 'field' as const, key: 'score' },
  { source: 'field' as const, key: 'note' },
  ...BUILTIN_METRICS.map((metric) => ({ source: 'metric' as const, key: metric.key })),
];

/** What the index answers: its customers, every value's and tag's holders, everyone in order of each attribute, and each metric's sum. */
function answers(index: WorkspaceIndex): unknown {
  const members = index.all.clone();
  return {
    all: index.all.toArray(),
    values: [...index.valueCounts()].sort(([a], [b]) => a - b),
    tags: [...index.tagSizes()].sort(([a], [b]) => a - b),
    sorted: SORTS.map((sort) => [sort.key, index.sortMembers(members, { ...sort, direction: 'asc' }, 0, members.size)]),
    sums: BUILTIN_METRICS.map((metric) => [metric.key, index.metricTotal(members, metric.key).sum]),
  };
}

const saved = { ...numberBlockSettings };
afterEach(() => Object.assign(numberBlockSettings, saved));

forEachStore('index: refreshing many customers', (h) => {
  it('leaves the index byte for byte as built when nothing changed, and as a fresh build when customers did', async () => {
    // Blocks of 8 ids, so that the few customers here fill sparse blocks as a million would.
    numberBlockSettings.blockBits = 3;
    const ctx = h.context();
    await createCustomField(ctx, { key: 'score', name: '评分', type: 'number' });
    await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    const cities = ['广州', '深圳', '上海', null];
    const customers = 80;
    await upsertCustomers(
      ctx,
      Array.from({ length: customers }, (_, i) => ({
        id: `C${i}`,
        name: `客户${i % 50}`,
        city: cities[i % 4] ?? undefined,
        gender: i % 2 ? 'female' : 'male',
        custom: { score: i % 3 === 0 ? i * 1.5 : i, ...(i % 4 === 0 ? { note: `n${i % 8}` } : {}) },
      })),
    );
    // Orders for one customer in seven: most metrics are 0 or missing for most customers, the columns kept in blocks.
    const orders = Array.from({ length: 24 }, (_, i) => ({ id: `O${i}`, customer_id: `C${(i * 7) % customers}`, type: 'order_paid', occurred_at: new Date(Date.parse('2026-06-01T00:00:00Z') - i * 86_400_000).toISOString(), properties: { order_id: `O${i}`, amount: 10.25 * (i + 1) } }));
    await ingestEvents(ctx, orders);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: Array.from({ length: 30 }, (_, i) => `C${i * 2}`), source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: Array.from({ length: 20 }, (_, i) => `C${i * 3}`), source: 'manual' });

    const index = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    const built = snapshotOf(index);
    const everyone = index.all.toArray();
    await index.refreshCustomers(ctx.store, [...everyone].reverse());
    expect(snapshotOf(index)).toBe(built);

    // Changed in the store behind the index's back, as another process changes it.
    await upsertCustomers(
      ctx,
      Array.from({ length: 40 }, (_, i) => ({ id: `C${i * 2 + 1}`, city: cities[(i + 1) % 4] ?? '杭州', custom: { score: i % 5 === 0 ? -i - 0.25 : -i, note: i % 2 ? `m${i}` : null } })),
    );
    await ingestEvents(ctx, Array.from({ length: 10 }, (_, i) => ({ id: `P${i}`, customer_id: `C${i * 8 + 1}`, type: 'order_paid', occurred_at: '2026-05-20T00:00:00Z', properties: { order_id: `P${i}`, amount: 99.5 } })));
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: Array.from({ length: 25 }, (_, i) => `C${i * 3 + 1}`), source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: Array.from({ length: 10 }, (_, i) => `C${i * 3}`), source: 'manual' });
    await mergeCustomers(ctx, 'C2', 'C4');
    await upsertCustomers(ctx, [{ id: 'C900', name: '新客户', city: '上海' }]);
    const ids = (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).execute()).map((row) => row.id);

    await index.refreshCustomers(ctx.store, ids);
    const fresh = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    expect(index.all.size).toBe(customers);
    expect(answers(index)).toEqual(answers(fresh));
  });
  it('reads identities, names and metrics of each customer as a build does, and drops one erased or merged meanwhile', async () => {
    const ctx = h.context();
    await defineTag(ctx, interests);
    const kinds = ['phone', 'email', 'wechat_unionid', 'member_card'] as const;
    const identity = (kind: (typeof kinds)[number], i: number) => ({ kind, value: kind === 'phone' ? `138${String(i).padStart(8, '0')}` : kind === 'email' ? `c${i}@example.com` : `${kind}-${i}` });
    // A customer in three with one identity, one in five with two, some with none.
    await upsertCustomers(
      ctx,
      Array.from({ length: 30 }, (_, i) => ({
        id: `C${i}`,
        ...(i % 2 ? { name: `客户${i % 7}` } : {}),
        identities: [...(i % 3 === 0 ? [identity(kinds[i % 4] ?? 'phone', i)] : []), ...(i % 5 === 0 ? [identity(kinds[(i + 1) % 4] ?? 'phone', i + 100)] : [])],
      })),
    );
    await ingestEvents(ctx, Array.from({ length: 12 }, (_, i) => ({ id: `O${i}`, customer_id: `C${(i * 5) % 30}`, type: 'order_paid', occurred_at: '2026-05-01T00:00:00Z', properties: { order_id: `O${i}`, amount: 20 + i } })));
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C1', 'C3', 'C9', 'C10'], source: 'manual' });
    const index = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);

    // Behind the index's back: identities and names added, a customer erased, one merged into another.
    await upsertCustomers(
      ctx,
      Array.from({ length: 10 }, (_, i) => ({ id: `C${i * 3 + 1}`, name: `新名${i}`, identities: [identity(kinds[i % 4] ?? 'phone', i + 200)] })),
    );
    await ingestEvents(ctx, [{ id: 'P1', customer_id: 'C7', type: 'order_paid', occurred_at: '2026-05-02T00:00:00Z', properties: { order_id: 'P1', amount: 5 } }]);
    await eraseCustomer(ctx, 'C9');
    await mergeCustomers(ctx, 'C3', 'C15');
    const ids = (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).execute()).map((row) => row.id);
    const erased = index.all.toArray().filter((id) => !ids.includes(id));

    await index.refreshCustomers(ctx.store, [...ids, ...erased]);
    const fresh = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    expect(index.all.size).toBe(28);
    expect(answers(index)).toEqual(answers(fresh));
    // The names taken in by the refresh are found by their spellings, as the build's are.
    const found = (of: WorkspaceIndex, q: string) => [...of.customersWithNameCodes(of.nameSearchTable()?.matchingCodes(q) ?? new Uint8Array(0))];
    for (const q of ['新名', 'xinming', 'xm', 'kehu']) expect(found(index, q)).toEqual(found(fresh, q));
    expect(found(index, 'xinming')).toHaveLength(10);
  });
});
