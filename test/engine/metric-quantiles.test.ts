// The median and quartiles of a tag profile and a segment's insight: the in-memory index (walking
// its value buckets) and SQL on the store give the very same figures, on SQLite and PostgreSQL,
// for ties, negative and fractional values, a single customer, nobody, and a metric no one has;
// and they are the figures a spreadsheet gives (MEDIAN, QUARTILE.INC).
import { afterAll, beforeAll, expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { segmentInsight } from '../../src/engine/segment-insight.js';
import { createSegment } from '../../src/engine/segments.js';
import { storeTotals } from '../../src/engine/store-totals.js';
import { tagProfile, tagProfileToJson } from '../../src/engine/tag-profile.js';
import { assignTag } from '../../src/engine/tagging.js';
import { indexAudience } from '../../src/index/audience.js';
import { numberBucketSettings } from '../../src/index/columns.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag } from './support.js';

// Buckets of a few customers each, so that a few hundred customers are walked as a million are;
// groups of fewer than 8 with a value are read and sorted instead.
const saved = { ...numberBucketSettings };
beforeAll(() => Object.assign(numberBucketSettings, { minValues: 16, fineBuckets: 1 << 20, minFineSize: 4, finePerStep: 3, minRankWalk: 8 }));
afterAll(() => Object.assign(numberBucketSettings, saved));

const CUSTOMERS = 400;
const SPEND = [-120.5, -0.01, 0, 0, 0, 0.1, 19.99, 19.99, 19.99, 88, 1 / 3, 250.25, 999.99, 1000, 1e6 + 0.07];

/** A workspace drawn from a fixed seed: spend with ties, negatives and fractions; orders mostly tied; a metric one customer has; one nobody has. */
async function seed(context: WorkspaceContext) {
  let state = 20_261_205;
  const draw = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => `C${String(i + 1)}`);
  await upsertCustomers(context, ids.map((id, i) => ({ id, city: ['上海', '北京', '杭州'][i % 3] })));
  await defineTag(context, { key: 'level', name: '等级', values: [{ key: 'a', name: 'A' }, { key: 'b', name: 'B' }, { key: 'c', name: 'C' }, { key: 'd', name: 'D' }] });
  const a = ids.filter((_, i) => i % 5 !== 0 && i > 4);
  await assignTag(context, { tag: 'level', value: 'a', customers: a, source: 'manual' });
  // B: one customer; C: nobody; D: C1–C4, spending 1, 2, 3 and 4.
  await assignTag(context, { tag: 'level', value: 'b', customers: ['C5'], source: 'manual' });
  await assignTag(context, { tag: 'level', value: 'd', customers: ['C1', 'C2', 'C3', 'C4'], source: 'manual' });
  const rows = await context.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', context.workspaceId).execute();
  const metrics = (externalId: string): Record<string, number | string> => {
    const n = Number(externalId.slice(1));
    if (n <= 4) return { spend_365d: n, orders_365d: n };
    const values: Record<string, number | string> = { orders_365d: draw(4) };
    // Some have no spend at all, some a text where a number belongs: neither is a value.
    const spend = draw(20);
    if (spend < SPEND.length) values.spend_365d = SPEND[spend] as number;
    else if (spend === 19) values.spend_365d = 'n/a';
    else if (spend > 16) values.spend_365d = Math.round(draw(100_000) - 20_000) / 100;
    if (n === 7) values.avg_order_value = 42.42;
    return values;
  };
  await context.store.db.deleteFrom('customer_metrics').where('workspace_id', '=', context.workspaceId).execute();
  await context.store.db
    .insertInto('customer_metrics')
    .values(rows.map((row) => ({ customer_id: row.id, workspace_id: context.workspaceId, metric_values: JSON.stringify(metrics(row.external_id)), computed_at: 0, valid_until: null })))
    .execute();
  await createSegment(context, { key: 'shanghai', name: '上海客户', expression: 'city = "上海"' });
  // Each reads the one before twice: written out, q10 would be over a thousand predicates, so SQL writes each once, as a table.
  for (let level = 1; level <= 10; level += 1) {
    const below = level === 1 ? 'shanghai' : `q${level - 1}`;
    await createSegment(context, { key: `q${level}`, name: `双读${level}`, expression: `segment("${below}") and (segment("${below}") or level = "b")` });
  }
}

const METRICS = ['spend_365d', 'orders_365d', 'avg_order_value', 'refund_rate'];
// The last reads one segment twice, by its key and by its name.
const AMONG = ['city = "上海"', 'level = "b"', 'city = "火星"', 'city = "北京" and level = "a"', 'segment("shanghai") and level != "b" or level = "b" and not segment("上海客户")', 'segment("q10") or level = "a"'];

forEachStore('metric medians and quartiles', (h) => {
  it('are the same from the index and from SQL, for every value, group and segment', async () => {
    const context = h.context();
    await seed(context);
    const index = indexAudience(new IndexRegistry(context.store));
    const store = storeTotals();
    for (const among of [undefined, ...AMONG.map((expression) => ({ expression }))]) {
      const fromIndex = tagProfileToJson(await tagProfile(context, index, 'level', METRICS, among));
      expect(tagProfileToJson(await tagProfile(context, store, 'level', METRICS, among)), JSON.stringify(among)).toEqual(fromIndex);
    }
    for (const expression of AMONG) {
      const fromIndex = await segmentInsight(context, index, { expression }, { metrics: METRICS });
      expect(await segmentInsight(context, store, { expression }, { metrics: METRICS }), expression).toEqual(fromIndex);
    }
    expect(await segmentInsight(context, store, { segment: '上海客户' }, { metrics: METRICS })).toEqual(await segmentInsight(context, index, { segment: 'shanghai' }, { metrics: METRICS }));

    const profile = tagProfileToJson(await tagProfile(context, index, 'level', METRICS));
    const [a, b, c, d] = profile.values;
    // As a spreadsheet reads 1, 2, 3, 4: QUARTILE.INC 1.75 and 3.25, MEDIAN 2.5.
    expect(d?.metrics.spend_365d).toEqual({ customers: 4, sum: 10, mean: 2.5, p25: 1.75, median: 2.5, p75: 3.25 });
    expect(d?.metrics.orders_365d).toMatchObject({ p25: 1.75, median: 2.5, p75: 3.25 });
    // One customer: every quantile is that customer's value.
    expect(b?.metrics.orders_365d).toMatchObject({ customers: 1 });
    const single = b?.metrics.orders_365d?.median;
    expect(b?.metrics.orders_365d).toMatchObject({ p25: single, p75: single, mean: single });
    // Nobody: no figures.
    expect(c?.metrics.spend_365d).toEqual({ customers: 0, sum: 0, mean: null, p25: null, median: null, p75: null });
    expect(profile.everyone.metrics.refund_rate).toEqual({ customers: 0, sum: 0, mean: null, p25: null, median: null, p75: null });
    expect(profile.everyone.metrics.avg_order_value).toMatchObject({ customers: 1, p25: 42.42, median: 42.42, p75: 42.42 });
    // The index walked buckets here: many customers with a value, ties and negatives among them.
    const spend = a?.metrics.spend_365d;
    expect(spend?.customers).toBeGreaterThan(150);
    expect(profile.everyone.metrics.spend_365d?.p25).toBeLessThanOrEqual(profile.everyone.metrics.spend_365d?.median ?? -Infinity);
    expect(profile.everyone.metrics.spend_365d?.median).toBeLessThanOrEqual(profile.everyone.metrics.spend_365d?.p75 ?? -Infinity);
  });
});

forEachStore('totals counted in SQL', (h) => {
  it('leave out a value from its expiry on, before the expiry sweep takes it off, as the index does', async () => {
    const context = h.context();
    await upsertCustomers(context, [{ id: 'A', city: '上海' }, { id: 'B', city: '上海' }, { id: 'C', city: '北京' }]);
    await defineTag(context, { key: 'level', name: '等级', values: [{ key: 'a', name: 'A' }, { key: 'b', name: 'B' }] });
    await assignTag(context, { tag: 'level', value: 'a', customers: ['A'], source: 'manual', expiresAt: h.clock.now().getTime() + 60_000 });
    await assignTag(context, { tag: 'level', value: 'a', customers: ['B'], source: 'manual' });
    await assignTag(context, { tag: 'level', value: 'b', customers: ['C'], source: 'manual' });
    // At its expiry, with no sweep run: the row is still in the store.
    h.clock.advance(60_000);
    const index = indexAudience(new IndexRegistry(context.store));
    const store = storeTotals();
    const profile = tagProfileToJson(await tagProfile(context, store, 'level'));
    expect([profile.values.map((value) => value.customers), profile.holders.customers]).toEqual([[1, 1], 2]);
    expect(profile).toEqual(tagProfileToJson(await tagProfile(context, index, 'level')));
    const among = { expression: 'level = "a" or city = "北京"' };
    const within = tagProfileToJson(await tagProfile(context, store, 'level', [], among));
    // B and C: A's value is gone, so the expression leaves A out as well.
    expect([within.population, within.values.map((value) => value.customers)]).toEqual([2, [1, 1]]);
    expect(within).toEqual(tagProfileToJson(await tagProfile(context, index, 'level', [], among)));
    const insight = await segmentInsight(context, store, { expression: 'city = "上海"' });
    expect(insight.tags.find((tag) => tag.key === 'level')?.values.map((value) => value.members)).toEqual([1, 0]);
    expect(insight).toEqual(await segmentInsight(context, index, { expression: 'city = "上海"' }));
    expect(await context.store.db.selectFrom('assignments').select('expires_at').where('workspace_id', '=', context.workspaceId).where('expires_at', 'is not', null).execute()).toHaveLength(1);
  });
});
