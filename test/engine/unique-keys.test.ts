import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { createCustomField } from '../../src/engine/fields.js';
import { addTagValue, createTagGroup, deleteTagGroup } from '../../src/engine/library.js';
import { defineMetric } from '../../src/engine/metrics.js';
import { createSegment, updateSegment } from '../../src/engine/segments.js';
import { isUniqueViolation } from '../../src/store/unique.js';
import { defineTag, rejected, stage } from './support.js';

/** What each of `n` calls started at once ended with: 'ok' or the error's code (`raw` for anything but a TagbaseError). */
async function startedAtOnce(n: number, call: () => Promise<unknown>): Promise<string[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => call()));
  return settled.map((result) => (result.status === 'fulfilled' ? 'ok' : ((result.reason as { code?: string }).code ?? 'raw'))).sort();
}

forEachStore('a new key asked for twice at once', (h) => {
  // Each create checks the key, then writes it; calls started together all pass the check, and
  // the store's unique key refuses all but one write. The others are told what the check says.
  it('is created once, and the other calls hear that it exists', async () => {
    const ctx = h.context();
    expect(await startedAtOnce(3, () => defineTag(ctx, stage))).toEqual(['TAG_EXISTS', 'TAG_EXISTS', 'ok']);
    // Whichever way a second call learns it, it hears the tag named as the first call made it.
    const told = await Promise.allSettled(['阶段一', '阶段二', '阶段三'].map((name) => defineTag(ctx, { ...stage, key: 'phase', name })));
    const made = told.flatMap((result) => (result.status === 'fulfilled' ? [result.value.name] : []));
    const refusals = told.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    expect(refusals).toEqual([`Tag "${made[0]}" (phase) already exists.`, `Tag "${made[0]}" (phase) already exists.`]);
    expect(await startedAtOnce(3, () => addTagValue(ctx, 'stage', { key: 'closed', name: '已结束' }))).toEqual(['TAG_VALUE_EXISTS', 'TAG_VALUE_EXISTS', 'ok']);
    expect(await startedAtOnce(3, () => createTagGroup(ctx, { key: 'basics', name: '基础信息' }))).toEqual(['TAG_GROUP_EXISTS', 'TAG_GROUP_EXISTS', 'ok']);
    expect(await startedAtOnce(3, () => createSegment(ctx, { key: 'buyers', name: '买家', expression: 'orders_total >= 1' }))).toEqual(['SEGMENT_EXISTS', 'SEGMENT_EXISTS', 'ok']);
    expect(await startedAtOnce(3, () => createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' }))).toEqual(['FIELD_EXISTS', 'FIELD_EXISTS', 'ok']);
    const metric = { key: 'orders_all', name: '订单数', formula: { kind: 'aggregate', aggregation: 'count', eventType: 'order_paid', window: { kind: 'all' } } } as const;
    expect(await startedAtOnce(3, () => defineMetric(ctx, metric))).toEqual(['METRIC_EXISTS', 'METRIC_EXISTS', 'ok']);
  });

  it('puts no tag in a group deleted at the same moment, and tells the call that came second why', async () => {
    const ctx = h.context();
    for (let round = 0; round < 6; round++) {
      const group = `g${round}`;
      await createTagGroup(ctx, { key: group, name: `组${round}` });
      const calls = [() => deleteTagGroup(ctx, group), () => defineTag(ctx, { ...stage, key: `stage${round}`, name: `阶段${round}`, group })];
      if (round % 2 === 1) calls.reverse();
      for (const result of await Promise.allSettled(calls.map((call) => call()))) {
        if (result.status === 'rejected') expect(['TAG_GROUP_NOT_FOUND', 'TAG_GROUP_NOT_EMPTY']).toContain((result.reason as { code?: string }).code);
      }
      const grouped = await ctx.store.db
        .selectFrom('tags')
        .leftJoin('tag_groups', 'tag_groups.id', 'tags.group_id')
        .select(['tags.group_id', 'tag_groups.key'])
        .where('tags.workspace_id', '=', ctx.workspaceId)
        .where('tags.key', '=', `stage${round}`)
        .executeTakeFirst();
      if (grouped) expect(grouped.key).toBe(group);
    }
  });

  it('tells a taken key from another table’s', async () => {
    const ctx = h.context();
    await createSegment(ctx, { key: 'buyers', name: '买家', expression: 'orders_total >= 1' });
    let refusal: unknown;
    try {
      await ctx.store.db.insertInto('segments').values({ workspace_id: ctx.workspaceId, key: 'buyers', name: 'x', description: null, expression: 'orders_total >= 1', created_at: 0, updated_at: 0 }).execute();
    } catch (error) {
      refusal = error;
    }
    expect(isUniqueViolation(refusal, 'segments')).toBe(true);
    expect(isUniqueViolation(refusal, 'tags')).toBe(false);
    expect(isUniqueViolation(new Error('segments.key'), 'segments')).toBe(false);
    expect((await rejected(createSegment(ctx, { key: 'buyers', name: '买家', expression: 'orders_total >= 1' }))).code).toBe('SEGMENT_EXISTS');
  });

  it('refuses a second segment of one name, made or renamed, which `segment("…")` could not tell apart', async () => {
    const ctx = h.context();
    await createSegment(ctx, { key: 'big', name: '大客户', expression: 'orders_total >= 5' });
    const taken = await rejected(createSegment(ctx, { key: 'big2', name: '大客户', expression: 'orders_total >= 6' }));
    expect([taken.code, taken.message]).toEqual(['SEGMENT_NAME_TAKEN', 'Segment "big" already answers to "大客户" (as its name or key); choose another, so that the name finds one segment.']);
    await createSegment(ctx, { key: 'small', name: '小客户', expression: 'orders_total < 2' });
    expect((await rejected(updateSegment(ctx, 'small', { name: '大客户' }))).code).toBe('SEGMENT_NAME_TAKEN');
    expect((await updateSegment(ctx, 'big', { name: '大客户', expression: 'orders_total >= 4' })).name).toBe('大客户');
    // Nor a name that is another's key, or a key that is another's name.
    expect((await rejected(updateSegment(ctx, 'small', { name: 'big' }))).code).toBe('SEGMENT_NAME_TAKEN');
    expect((await rejected(createSegment(ctx, { key: '大客户', name: '另一群', expression: 'orders_total >= 1' }))).code).toBe('SEGMENT_NAME_TAKEN');
    expect((await rejected(updateSegment(ctx, 'small', { key: '大客户' }))).code).toBe('SEGMENT_NAME_TAKEN');
    expect((await updateSegment(ctx, 'small', { name: 'small' })).name).toBe('small');
  });
});
