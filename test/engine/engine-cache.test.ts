// The engine keeps the compiled catalog between requests; these pin that it is never stale
// after a change, whether made in this process or logged by another one.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { addTagValue, updateTag } from '../../src/engine/library.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { createSegment, updateSegment } from '../../src/engine/segments.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { defineTag } from './support.js';

const order = (id: string, customer: string, amount: number) => ({ id, customer_id: customer, type: 'order_paid', occurred_at: '2026-06-10T08:00:00Z', properties: { order_id: id, amount } });

const buyer = { key: 'buyer', name: '购买者', kind: 'rule' as const, values: [{ key: 'yes', name: '是', condition: 'orders_total >= 1' }] };

/**
 * The same workspace as seen by another process: a distinct Store object over the same
 * database, without this process's observer, so only the change log connects the two.
 */
function elsewhere(ctx: WorkspaceContext): WorkspaceContext {
  return { ...ctx, store: { ...ctx.store }, observer: undefined };
}

async function tagsOf(ctx: WorkspaceContext, id: string): Promise<string[]> {
  return (await getPortrait(ctx, id)).tags.map((t) => `${t.tag}=${t.value}`).sort();
}

forEachStore('engine cache', (h) => {
  it('applies a rule tag created by another process to the next event', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', 100)]);
    expect(await tagsOf(ctx, 'A')).toEqual([]);
    await defineTag(elsewhere(ctx), buyer);
    await ingestEvents(ctx, [order('E2', 'B', 100)]);
    expect(await tagsOf(ctx, 'B')).toEqual(['buyer=yes']);
  });

  it('sees a rule changed by another process on an existing customer', async () => {
    const ctx = h.context();
    await defineTag(ctx, { ...buyer, values: [{ key: 'yes', name: '是', condition: 'orders_total >= 2' }] });
    await ingestEvents(ctx, [order('E1', 'A', 100)]);
    expect(await tagsOf(ctx, 'A')).toEqual([]);
    await addTagValue(elsewhere(ctx), 'buyer', { key: 'first', name: '首单', condition: 'orders_total >= 1' });
    await ingestEvents(ctx, [order('E2', 'B', 100)]);
    expect(await tagsOf(ctx, 'B')).toEqual(['buyer=first']);
  });

  it('sees a catalog change made in this process at once', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'A', 100)]);
    await defineTag(ctx, buyer);
    await ingestEvents(ctx, [order('E2', 'B', 100)]);
    expect(await tagsOf(ctx, 'B')).toEqual(['buyer=yes']);
    // Archived: the rule stops running for new customers.
    await updateTag(ctx, 'buyer', { status: 'archived' });
    await ingestEvents(ctx, [order('E3', 'C', 100)]);
    expect(await tagsOf(ctx, 'C')).toEqual([]);
  });

  it('follows a saved segment edited under a rule that reads it', async () => {
    const ctx = h.context();
    await createSegment(ctx, { key: 'big', name: '大客户', expression: 'spend_total >= 1000' });
    await defineTag(ctx, { key: 'vip', name: 'VIP', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'segment("big")' }] });
    await ingestEvents(ctx, [order('E1', 'A', 500)]);
    expect(await tagsOf(ctx, 'A')).toEqual([]);
    await updateSegment(elsewhere(ctx), 'big', { expression: 'spend_total >= 100' });
    await ingestEvents(ctx, [order('E2', 'B', 500)]);
    expect(await tagsOf(ctx, 'B')).toEqual(['vip=yes']);
  });

  it('shows in portraits a tag defined by another process', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    expect((await getPortrait(ctx, 'A')).tags).toEqual([]);
    await defineTag(elsewhere(ctx), buyer);
    await ingestEvents(elsewhere(ctx), [order('E1', 'A', 100)]);
    expect(await tagsOf(ctx, 'A')).toEqual(['buyer=yes']);
  });
});
