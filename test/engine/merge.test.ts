import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { findCustomerByIdentity, listCustomers, upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { assignTag } from '../../src/engine/tagging.js';
import { defineTag, interests, rejected, stage } from './support.js';

forEachStore('merging customers', (h) => {
  it('moves identities, events, tags and history to the survivor and records the merge', async () => {
    const ctx = h.context('店长');
    await upsertCustomers(ctx, [
      { id: 'A', name: '张伟', identities: [{ kind: 'phone', value: '13800000001' }] },
      { id: 'B', city: '杭州', identities: [{ kind: 'wechat_unionid', value: 'oU_b' }] },
    ]);
    await ingestEvents(ctx, [{ id: 'E1', customer_id: 'B', type: 'app_opened', occurred_at: '2026-06-01T08:00:00Z', properties: {} }]);
    await defineTag(ctx, interests);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['B'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'after', customers: ['B'], source: 'manual' });

    const result = await mergeCustomers(ctx, 'A', 'B');
    expect(result).toMatchObject({ survivor: 'A', merged: 'B', identities: 1, events: 1, assignments_moved: 1, assignments_dropped: 2 });

    const portrait = await getPortrait(ctx, 'A');
    expect(portrait).toMatchObject({ name: '张伟', city: '杭州' });
    expect(portrait.identities.map((i) => i.kind).sort()).toEqual(['phone', 'wechat_unionid']);
    expect(portrait.tags.map((t) => `${t.tag}=${t.value}`).sort()).toEqual(['interests=golf', 'interests=yoga', 'stage=pre']);
    expect(portrait.recent_events.map((e) => e.id)).toEqual(['E1']);
    // The merged record's copies dropped are told by the record they came from, as data: the
    // console and the command line say it in the reader's language; the label stays `name: value`.
    const dropped = portrait.recent_history.filter((entry) => entry.merged_from !== null).map((entry) => [entry.action, entry.label, entry.merged_from]);
    expect(dropped.sort()).toEqual([['remove', '兴趣爱好: 高尔夫', 'B'], ['remove', '服务阶段: 售后', 'B']].sort());
    expect(portrait.recent_history.every((entry) => !entry.label.includes('merge'))).toBe(true);
    expect((await findCustomerByIdentity(ctx, 'wechat_unionid', 'oU_b')).id).toBe('A');
    // The merged id keeps resolving to the survivor, so late events land in the right place.
    expect((await getPortrait(ctx, 'B')).id).toBe('A');
    await ingestEvents(ctx, [{ id: 'E2', customer_id: 'B', type: 'app_opened', occurred_at: '2026-06-02T08:00:00Z', properties: {} }]);
    expect((await getPortrait(ctx, 'A')).recent_events.map((e) => e.id)).toEqual(['E2', 'E1']);
    // Merging them again says they are one record already, not that A is merged into itself.
    const again = await rejected(mergeCustomers(ctx, 'A', 'B'));
    expect([again.code, again.message]).toEqual(['MERGE_ALREADY', 'Customer "B" was merged into "A" before: they are one record already.']);
    // The other way round, the message still names the id merged away.
    expect((await rejected(mergeCustomers(ctx, 'B', 'A'))).message).toBe('Customer "B" was merged into "A" before: they are one record already.');
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).total).toBe(1);
    const merges = await ctx.store.db.selectFrom('customer_merges').selectAll().where('workspace_id', '=', ctx.workspaceId).execute();
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({ merged_external_id: 'B', actor: '店长' });
  });

  it('refuses to merge a customer into itself or an unknown one', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    expect((await rejected(mergeCustomers(ctx, 'A', 'A'))).code).toBe('MERGE_SELF');
    expect((await rejected(mergeCustomers(ctx, 'A', 'Z'))).code).toBe('CUSTOMER_NOT_FOUND');
  });
});
