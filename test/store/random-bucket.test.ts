// The built-in field random_bucket (随机分组号) on both stores: the bitmap index, the SQL back end
// and the reference evaluator give every customer the same bucket, a holdout and its complement
// split a segment, a customer keeps its bucket through edits and merges, and no one writes it.
import { expect } from 'vitest';
import { randomBucket } from '../../src/core/random-bucket.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { listCustomers, upsertCustomers } from '../../src/engine/customers.js';
import { createCustomField } from '../../src/engine/fields.js';
import { importRows, parseRows } from '../../src/engine/imports.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { createSegment } from '../../src/engine/segments.js';
import { assignTag } from '../../src/engine/tagging.js';
import { Bitmap } from '../../src/index/roaring.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { defineTag, interests, rejected } from '../engine/support.js';
import { threeBackEnds } from '../index/support.js';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';

const CUSTOMERS = 400;
const CITIES = ['广州', '深圳', '杭州'];

/** Customers C0…C399, every third in each city; 高价值人群 is those of 广州. */
async function seed(context: WorkspaceContext): Promise<void> {
  await upsertCustomers(
    context,
    Array.from({ length: CUSTOMERS }, (_, i) => ({ id: `C${i}`, name: `客户${i}`, city: CITIES[i % CITIES.length] })),
  );
  await createSegment(context, { key: 'high_value', name: '高价值人群', expression: 'city = "广州"' });
}

/** Asks the three back ends about the workspace as it is now: the customers matching `source`, by internal id. */
async function backEnds(h: StoreHarness, context: WorkspaceContext): Promise<(source: string) => Promise<number[]>> {
  return (await threeBackEnds(h.store(), context, h.clock.now().getTime())).ask;
}

async function liveIds(context: WorkspaceContext): Promise<Map<string, number>> {
  const rows = await context.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', context.workspaceId).where('merged_into', 'is', null).execute();
  return new Map(rows.map((row) => [row.external_id, Number(row.id)]));
}

forEachStore('random bucket', (h) => {
  it('is the same number for every customer in the index, SQL and the evaluator', async () => {
    const context = h.context();
    await seed(context);
    const ids = await liveIds(context);
    const all = [...ids.values()].sort((a, b) => a - b);
    const bucketOf = (id: number) => randomBucket(id);
    const matching = await backEnds(h, context);
    const holdout = await matching('random_bucket < 10');
    expect(holdout).toEqual(all.filter((id) => bucketOf(id) < 10));
    expect(holdout.length).toBeGreaterThan(15);
    expect(holdout.length).toBeLessThan(70);
    expect(await matching('random_bucket between 40 and 59')).toEqual(all.filter((id) => bucketOf(id) >= 40 && bucketOf(id) <= 59));
    expect(await matching('random_bucket in (0, 7, 42, 99)')).toEqual(all.filter((id) => [0, 7, 42, 99].includes(bucketOf(id))));
    expect(await matching('random_bucket not in (0, 7, 42, 99)')).toEqual(all.filter((id) => ![0, 7, 42, 99].includes(bucketOf(id))));
    // By its Chinese name, and with values no bucket holds.
    expect(await matching('随机分组号 >= 90')).toEqual(all.filter((id) => bucketOf(id) >= 90));
    expect(await matching('random_bucket = 9.5 or random_bucket < 0 or random_bucket >= 100 or random_bucket missing')).toEqual([]);
    expect(await matching('random_bucket exists')).toEqual(all);
    // Bucket by bucket, so every customer's number is the same in all three.
    const seen: number[] = [];
    for (let bucket = 0; bucket < 100; bucket += 1) {
      const members = await matching(`random_bucket = ${bucket}`);
      expect(members).toEqual(all.filter((id) => bucketOf(id) === bucket));
      seen.push(...members);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(all);
    // Members sort by it, as by any number field (ties by id).
    const sorted = (await WorkspaceIndex.build(h.store(), context.workspaceId)).sortMembers(Bitmap.from(all), { source: 'field', key: 'random_bucket', direction: 'asc' }, 0, CUSTOMERS);
    expect(sorted).toEqual([...all].sort((a, b) => bucketOf(a) - bucketOf(b) || a - b));
    // The customer's JSON says it, as its other built-in fields.
    const page = await listCustomers(context, { limit: 5, offset: 0 });
    for (const customer of page.items) expect(customer.random_bucket).toBe(bucketOf(ids.get(customer.id) ?? -1));
    expect((await getPortrait(context, 'C7')).random_bucket).toBe(bucketOf(ids.get('C7') ?? -1));
  });

  it('splits a segment into a holdout and the rest, which never overlap', async () => {
    const context = h.context();
    await seed(context);
    let matching = await backEnds(h, context);
    const segment = await matching('segment("高价值人群")');
    const holdout = await matching('segment("高价值人群") and random_bucket < 10');
    const test = await matching('segment("高价值人群") and random_bucket >= 10');
    expect(holdout.length).toBeGreaterThan(0);
    expect(holdout.filter((id) => test.includes(id))).toEqual([]);
    expect([...holdout, ...test].sort((a, b) => a - b)).toEqual(segment);
    // Saved as segments of their own, as a campaign would.
    await createSegment(context, { key: 'holdout', name: '对照组', expression: 'segment("高价值人群") and random_bucket < 10' });
    matching = await backEnds(h, context);
    expect(await matching('segment("对照组")')).toEqual(holdout);
  });

  it('keeps a customer’s bucket through a rename, edits, tags and a merge into it', async () => {
    const context = h.context();
    await seed(context);
    const ids = await liveIds(context);
    // A survivor and a customer merged into it in other buckets.
    const survivor = 'C0';
    const merged = [...ids.keys()].find((key) => key !== survivor && randomBucket(ids.get(key) ?? 0) !== randomBucket(ids.get(survivor) ?? 0)) ?? '';
    const before = (await getPortrait(context, survivor)).random_bucket;
    expect(before).toBe(randomBucket(ids.get(survivor) ?? -1));
    await upsertCustomers(context, [{ id: survivor, name: '新名字', city: '北京', member_level: '金卡' }]);
    await defineTag(context, interests);
    await assignTag(context, { tag: 'interests', value: 'golf', customers: [survivor], source: 'manual' });
    await mergeCustomers(context, survivor, merged);
    const after = await getPortrait(context, survivor);
    const matching = await backEnds(h, context);
    expect(after).toMatchObject({ name: '新名字', random_bucket: before });
    expect(await matching(`random_bucket = ${before}`)).toContain(ids.get(survivor));
    expect(await matching(`random_bucket = ${randomBucket(ids.get(merged) ?? -1)}`)).not.toContain(ids.get(merged));
  });

  it('refuses random_bucket written beside id, under custom, in an import and as a custom field', async () => {
    const context = h.context();
    await seed(context);
    const beside = await rejected(upsertCustomers(context, [{ id: 'C1', random_bucket: 5 }]));
    expect(beside.code).toBe('VALIDATION_FAILED');
    expect(beside.items?.[0]).toMatchObject({ path: 'random_bucket', code: 'VALIDATION_FAILED' });
    expect(beside.items?.[0]?.message).toContain('computed by tagbase');
    expect(beside.items?.[0]?.localized?.['zh-CN']).toContain('不能写入');
    const custom = await rejected(upsertCustomers(context, [{ id: 'C1', custom: { random_bucket: 5 } }]));
    expect(custom.items?.[0]).toMatchObject({ path: 'custom.random_bucket', code: 'FIELD_NOT_FOUND' });
    expect(custom.items?.[0]?.message).toContain('cannot be written');
    const imported = await importRows(context, 'customers', parseRows('id,随机分组号,random_bucket\nC2,3,4\n', 'csv'), { batchSize: 100 });
    expect(imported).toMatchObject({ accepted: 0, rejected: 1 });
    expect(JSON.stringify(imported)).toContain('随机分组号');
    const field = await rejected(createCustomField(context, { key: 'random_bucket', name: '分组', type: 'number' }));
    expect(field.code).toBe('FIELD_EXISTS');
    expect((await rejected(createCustomField(context, { key: 'bucket', name: '随机分组号', type: 'number' }))).code).toBe('NAME_IN_USE');
    // Nothing was written: C1 and C2 keep their own.
    const ids = await liveIds(context);
    expect((await getPortrait(context, 'C2')).random_bucket).toBe(randomBucket(ids.get('C2') ?? -1));
  });
});
