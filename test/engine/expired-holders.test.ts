// An assignment past its expiry is gone before the sweep takes it off: removing its value does not
// count it as in use (nor moves it to another value), and the rules do not read it.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { removeTagValue } from '../../src/engine/library.js';
import { getCustomerHistory, getPortrait } from '../../src/engine/portrait.js';
import { assignTag, sweepExpiredAssignments } from '../../src/engine/tagging.js';
import { defineTag, interests, rejected } from './support.js';

const order = (id: string, customer: string, at: string, amount: number) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: at, properties: { order_id: id, amount } });

forEachStore('expired holders before the sweep', (h) => {
  const assignmentsOf = async (ctx: ReturnType<typeof h.context>) => {
    const rows = await ctx.store.db
      .selectFrom('assignments')
      .innerJoin('customers', 'customers.id', 'assignments.customer_id')
      .innerJoin('tag_values', 'tag_values.id', 'assignments.value_id')
      .select(['customers.external_id', 'tag_values.key'])
      .where('assignments.workspace_id', '=', ctx.workspaceId)
      .execute();
    return rows.map((row) => `${row.external_id}:${row.key}`).sort();
  };

  it('removes a value held only past its expiry without asking what to do with its holders, recording the expiry', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B'], source: 'manual', expiresAt: h.clock.now().getTime() + 60_000 });
    await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['A'], source: 'manual' });
    expect((await rejected(removeTagValue(ctx, 'interests', 'golf', {}))).params.count).toBe(2);
    // At its expiry, with no sweep run.
    h.clock.advance(60_000);
    const removal = await removeTagValue(ctx, 'interests', 'golf', {});
    expect(removal).toMatchObject({ removedAssignments: 0, movedAssignments: 0 });
    expect(removal.tag.values.map((value) => value.key)).toEqual(['fishing', 'yoga']);
    // No row of the removed value is left behind, and the history says it expired rather than was removed by someone.
    expect(await assignmentsOf(ctx)).toEqual(['A:fishing']);
    const [last] = (await getCustomerHistory(ctx, 'B', { limit: 1 })).items;
    expect(last).toMatchObject({ action: 'expire', label: '兴趣爱好: 高尔夫' });
  });

  it('moves only the holders still holding the value, and takes the expired ones off', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C' }]);
    await defineTag(ctx, interests);
    const now = h.clock.now().getTime();
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['B'], source: 'manual', expiresAt: now + 60_000 });
    // C holds golf still, and fishing (where golf moves to) only past its expiry.
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['C'], source: 'manual' });
    await assignTag(ctx, { tag: 'interests', value: 'fishing', customers: ['C'], source: 'manual', expiresAt: now + 60_000 });
    h.clock.advance(90_000);
    expect((await rejected(removeTagValue(ctx, 'interests', 'golf', {}))).params.count).toBe(2);
    const moved = await removeTagValue(ctx, 'interests', 'golf', { onAssigned: 'move', moveTo: 'fishing' });
    expect(moved).toMatchObject({ movedAssignments: 2, removedAssignments: 0 });
    expect(await assignmentsOf(ctx)).toEqual(['A:fishing', 'C:fishing']);
    for (const id of ['A', 'C']) expect((await getPortrait(ctx, id)).tags.map((tag) => [tag.value, tag.expires_at])).toEqual([['fishing', null]]);
    expect((await getPortrait(ctx, 'B')).tags).toEqual([]);
    expect((await getCustomerHistory(ctx, 'B', { limit: 1 })).items[0]).toMatchObject({ action: 'expire', label: '兴趣爱好: 高尔夫' });
    const c = (await getCustomerHistory(ctx, 'C', { limit: 2 })).items.map((item) => [item.action, item.label]);
    expect(c).toEqual(expect.arrayContaining([['expire', '兴趣爱好: 钓鱼'], ['replace', '兴趣爱好: 高尔夫 → 钓鱼']]));

    const removed = await removeTagValue(ctx, 'interests', 'fishing', { onAssigned: 'remove' });
    expect(removed).toMatchObject({ movedAssignments: 0, removedAssignments: 2 });
    expect(await assignmentsOf(ctx)).toEqual([]);
  });

  it('leaves an assignment past its expiry out of what a rule reads, before the sweep takes it off', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, { key: 'promo', name: '活动', values: [{ key: 'spring', name: '春季' }] });
    await defineTag(ctx, { key: 'vip_rule', name: '活动买家', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'promo = "spring" and orders_total >= 1' }] });
    await assignTag(ctx, { tag: 'promo', value: 'spring', customers: ['A'], source: 'manual', expiresAt: h.clock.now().getTime() + 60_000 });
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 100)]);
    expect(await assignmentsOf(ctx)).toEqual(['A:spring', 'A:yes']);
    h.clock.advance(60_000);
    // A second order runs the rule; the promotion it read has expired, though its row is still stored.
    await ingestEvents(ctx, [order('E2', 'A', '2026-06-02T00:00:00Z', 100)]);
    expect(await assignmentsOf(ctx)).toEqual(['A:spring']);
    expect((await getPortrait(ctx, 'A')).tags).toEqual([]);
  });

  it('keeps a rule tag pinned by a value given by hand until the sweep takes that value off past its expiry', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    await defineTag(ctx, { key: 'buyer', name: '买家', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'orders_total >= 1' }, { key: 'no', name: '否', condition: 'orders_total < 1' }] });
    await assignTag(ctx, { tag: 'buyer', value: 'yes', customers: ['A'], source: 'manual', expiresAt: h.clock.now().getTime() + 60_000 });
    h.clock.advance(60_000);
    // The rule would give the very value whose expired row is still stored: it writes nothing until the sweep.
    await ingestEvents(ctx, [order('E1', 'A', '2026-06-01T00:00:00Z', 100)]);
    expect(await assignmentsOf(ctx)).toEqual(['A:yes']);
    expect((await getPortrait(ctx, 'A')).tags).toEqual([]);
    expect(await sweepExpiredAssignments(ctx)).toBe(1);
    expect((await getPortrait(ctx, 'A')).tags.map((tag) => [tag.value, tag.source])).toEqual([['yes', 'rule']]);
  });
});
