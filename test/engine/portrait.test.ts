// A portrait hands the change log head it read to the engine cache, which then skips its own
// read of the log; these pin that it never shows a stale library, and that its JSON text is
// exactly what serializing the portrait gives.
import { afterEach, expect, vi } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { notifyCatalogChanged, type WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { addTagValue, updateTag } from '../../src/engine/library.js';
import { getPortrait, getPortraitJson } from '../../src/engine/portrait.js';
import { assignTag } from '../../src/engine/tagging.js';
import { defineTag, interests, stage } from './support.js';

/** The same workspace as another process sees it: another Store object, so only the change log connects them. */
function elsewhere(ctx: WorkspaceContext): WorkspaceContext {
  return { ...ctx, store: { ...ctx.store }, observer: undefined };
}

async function labels(ctx: WorkspaceContext, id: string): Promise<string[]> {
  return (await getPortrait(ctx, id)).tags.map((tag) => tag.label);
}

afterEach(() => {
  vi.useRealTimers();
});

forEachStore('portrait', (h) => {
  it('shows a tag renamed in this process at once', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    expect(await labels(ctx, 'A')).toEqual(['兴趣爱好: 高尔夫']);
    await updateTag(ctx, 'interests', { name: '爱好' });
    expect(await labels(ctx, 'A')).toEqual(['爱好: 高尔夫']);
  });

  it('shows a tag renamed by another process at the next read', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, stage);
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    expect(await labels(ctx, 'A')).toEqual(['服务阶段: 售前']);
    await updateTag(elsewhere(ctx), 'stage', { name: '阶段' });
    expect(await labels(ctx, 'A')).toEqual(['阶段: 售前']);
    // And the other process, which read nothing before, agrees.
    expect(await labels(elsewhere(ctx), 'A')).toEqual(['阶段: 售前']);
  });

  it('shows a value added and assigned by another process, and a write to the customer, at the next read', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', city: '杭州' }]);
    await defineTag(ctx, interests);
    expect((await getPortrait(ctx, 'A')).tags).toEqual([]);
    const other = elsewhere(ctx);
    await addTagValue(other, 'interests', { key: 'chess', name: '象棋' });
    await assignTag(other, { tag: 'interests', value: 'chess', customers: ['A'], source: 'manual' });
    expect(await labels(ctx, 'A')).toEqual(['兴趣爱好: 象棋']);
    await upsertCustomers(other, [{ id: 'A', city: '苏州' }]);
    expect((await getPortrait(ctx, 'A')).city).toBe('苏州');
  });

  it('shows a catalog change made in this process even when the log head looks unmoved', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    expect(await labels(ctx, 'A')).toEqual(['兴趣爱好: 高尔夫']);
    const store = ctx.store;
    const head = async () => (await store.db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', ctx.workspaceId).executeTakeFirst())?.id ?? null;
    const before = await head();
    // A rename committed and noticed in this process, its log row gone again: only the process knows.
    await store.db.updateTable('tags').set({ name: '爱好' }).where('workspace_id', '=', ctx.workspaceId).where('key', '=', 'interests').execute();
    await notifyCatalogChanged(ctx, 'definitions');
    await store.db.deleteFrom('changes').where('workspace_id', '=', ctx.workspaceId).where('id', '>', before ?? 0).execute();
    expect(await head()).toBe(before);
    expect(await labels(ctx, 'A')).toEqual(['爱好: 高尔夫']);
  });

  it('reads the log again after a gap long enough for it to have been pruned', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await ctx.store.db.deleteFrom('changes').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(await labels(ctx, 'A')).toEqual(['兴趣爱好: 高尔夫']);
    // Another process renames the tag; a day later its log row has been pruned, and the log is as it was.
    await updateTag(elsewhere(ctx), 'interests', { name: '爱好' });
    await ctx.store.db.deleteFrom('changes').where('workspace_id', '=', ctx.workspaceId).execute();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 25 * 3_600_000 });
    expect(await labels(ctx, 'A')).toEqual(['爱好: 高尔夫']);
  });

  it('answers the same text as serializing the portrait, with events, history and page sizes', async () => {
    const ctx = h.context('导购-王芳');
    await upsertCustomers(ctx, [{ id: 'A', name: '张 "三"\n', city: '杭州', custom: {} }]);
    await defineTag(ctx, { ...interests, color: '#1677ff' });
    await defineTag(ctx, { ...stage, scope: 'personal' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'yoga', customers: ['A'], source: 'manual', expiresAt: Date.parse('2027-01-01T00:00:00Z') });
    await assignTag(ctx, { tag: 'stage', value: 'pre', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'stage', value: 'during', customers: ['A'], source: 'manual' });
    await ingestEvents(ctx, [
      { id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-10T08:00:00Z', properties: { order_id: 'O1', amount: 12.5, note: '\u2028"quoted"' } },
      { id: 'E2', customer_id: 'A', type: 'product_viewed', occurred_at: '2026-06-11T08:00:00Z', properties: { sku: 'S1' } },
    ]);
    for (const options of [{}, { events: 1, history: 1 }, { events: 0, history: 0 }]) {
      const text = await getPortraitJson(ctx, 'A', options);
      expect(text).toBe(JSON.stringify(await getPortrait(ctx, 'A', options)));
      const portrait = JSON.parse(text) as Awaited<ReturnType<typeof getPortrait>>;
      expect(Object.keys(portrait)).toEqual(['id', 'name', 'type', 'gender', 'birthday', 'city', 'region', 'occupation', 'member_level', 'source_channel', 'first_seen_at', 'random_bucket', 'has_phone', 'has_email', 'has_wechat', 'has_member_card', 'custom', 'identities', 'created_at', 'updated_at', 'tags', 'metrics', 'recent_events', 'recent_history']);
    }
    const portrait = await getPortrait(ctx, 'A');
    expect(portrait.tags.map((tag) => `${tag.tag}=${tag.value}`)).toEqual(['interests=golf', 'interests=yoga', 'stage=during']);
    expect(portrait.tags[1]).toMatchObject({ color: '#1677ff', expires_at: '2027-01-01T00:00:00.000Z', actor: '导购-王芳' });
    expect(Object.keys(portrait.tags[0] ?? {})).toEqual(['tag', 'tag_name', 'value', 'value_name', 'label', 'color', 'group_id', 'scope', 'kind', 'source', 'actor', 'assigned_at', 'expires_at']);
    expect(portrait.recent_events.map((event) => event.properties)).toEqual([{ sku: 'S1' }, { order_id: 'O1', amount: 12.5, note: '\u2028"quoted"' }]);
    // The personal tag is its owner's alone.
    expect((await getPortrait({ ...ctx, actor: null }, 'A')).tags.map((tag) => tag.tag)).toEqual(['interests', 'interests']);
  });
});

forEachStore('portrait of a customer for a role that sees identifiers masked', (h) => {
  it('masks the customer\'s own identifiers and other phone numbers where an event\'s properties carry them, as the identities are masked', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', identities: [{ kind: 'phone', value: '13800138000' }, { kind: 'email', value: 'zhang@example.com' }, { kind: 'member_card', value: 'VIP-00012345' }] }]);
    const properties = {
      order_id: 'O1',
      amount: 99,
      contact_phone: '+86 138-0013-8000',
      receiver: { email: 'Zhang@Example.com', cards: ['VIP-00012345'] },
      items: [{ sku: '13800138000', category: '美妆' }],
      // Another phone number, the receiver's, is masked as a phone number; other text is kept.
      note: '13900000000',
      remark: '周末送货',
    };
    await ingestEvents(ctx, [{ id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-10T08:00:00Z', properties }]);
    const masked = await getPortrait({ ...ctx, personalData: 'masked' }, 'A');
    expect(masked.identities.map((identity) => identity.value)).toEqual(['z***@example.com', '****2345', '138****8000']);
    expect(masked.recent_events[0]?.properties).toEqual({
      order_id: 'O1',
      amount: 99,
      contact_phone: '138****8000',
      receiver: { email: 'z***@example.com', cards: ['****2345'] },
      items: [{ sku: '138****8000', category: '美妆' }],
      note: '139****0000',
      remark: '周末送货',
    });
    expect(await getPortraitJson({ ...ctx, personalData: 'masked' }, 'A')).toBe(JSON.stringify(masked));
    // Whole to those who see identifiers whole.
    expect((await getPortrait({ ...ctx, personalData: 'full' }, 'A')).recent_events[0]?.properties).toEqual(properties);
  });
});
