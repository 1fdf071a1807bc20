import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { listCustomers, upsertCustomers } from '../../src/engine/customers.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { defineTag, refuseInserts, rejected } from './support.js';

const order = (id: string, customer: string, at: string, amount = 199) => ({
  id,
  customer_id: customer,
  type: 'order_paid',
  occurred_at: at,
  properties: { order_id: `O-${id}`, amount, channel: 'online', items: [{ sku: 'SKU1', category: '服装', price: amount, quantity: 1 }] },
});

forEachStore('event ingest', (h) => {
  it('stores a batch once, however often it is sent', async () => {
    const ctx = h.context();
    const batch = [order('E1', 'C1', '2026-06-01T08:00:00Z'), order('E2', 'C1', '2026-05-01T08:00:00Z'), { id: 'E3', customer_id: 'C2', type: 'product_viewed', occurred_at: '2026-06-02T09:00:00+08:00', properties: { sku: 'SKU9', category: '美妆', dwell_seconds: 42 } }];
    expect(await ingestEvents(ctx, batch)).toMatchObject({ received: 3, stored: 3, duplicates: 0, customers_created: 2 });
    expect(await ingestEvents(ctx, batch)).toMatchObject({ received: 3, stored: 0, duplicates: 3, customers_created: 0 });
    const events = await ctx.store.db.selectFrom('events').select('event_key').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(events.map((e) => e.event_key).sort()).toEqual(['E1', 'E2', 'E3']);
  });

  it('creates unknown customers, first seen at their earliest event, and accepts any time order', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'C9', '2026-06-01T08:00:00Z'), order('E2', 'C9', '2025-12-31T23:00:00Z')]);
    const portrait = await getPortrait(ctx, 'C9');
    expect(portrait.first_seen_at).toBe('2025-12-31T23:00:00.000Z');
    expect(portrait.recent_events.map((e) => e.id)).toEqual(['E1', 'E2']);
  });

  it('attaches events to existing customers', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', name: '张伟' }]);
    expect(await ingestEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')])).toMatchObject({ customers_created: 0 });
    const portrait = await getPortrait(ctx, 'C1');
    expect(portrait.recent_events).toHaveLength(1);
    // The customer was created "now" (2026-06-15); the older event moves first-seen back.
    expect(portrait.first_seen_at).toBe('2026-06-01T08:00:00.000Z');
  });

  it('moves a merged customer’s first-seen time back to the earliest event of a batch naming both its ids, whichever id that event names', async () => {
    const ctx = h.context();
    await ingestEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z'), order('E2', 'C2', '2026-06-01T08:00:00Z')]);
    await mergeCustomers(ctx, 'C1', 'C2');
    // The survivor's id with the earlier event, the merged record's with the later one: the earlier stands.
    expect(await ingestEvents(ctx, [order('E3', 'C1', '2026-01-01T08:00:00Z'), order('E4', 'C2', '2026-03-01T08:00:00Z')])).toMatchObject({ stored: 2, customers_created: 0 });
    expect((await getPortrait(ctx, 'C1')).first_seen_at).toBe('2026-01-01T08:00:00.000Z');
    // And the other way round.
    await ingestEvents(ctx, [order('E5', 'C2', '2025-11-01T08:00:00Z'), order('E6', 'C1', '2025-12-01T08:00:00Z')]);
    expect((await getPortrait(ctx, 'C1')).first_seen_at).toBe('2025-11-01T08:00:00.000Z');
  });

  it('checks the properties of built-in types and rejects the whole batch', async () => {
    const ctx = h.context();
    const error = await rejected(
      ingestEvents(ctx, [
        order('E1', 'C1', '2026-06-01T08:00:00Z'),
        { id: 'E2', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O2', amount: -5 } },
        { id: 'E3', customer_id: 'C1', type: 'product_viewed', occurred_at: 'yesterday', properties: { sku: 'x' } },
        { id: 'E4', customer_id: 'C1', type: 'Bad-Type', occurred_at: '2026-06-01T08:00:00Z' },
      ]),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    // In the order of the events, each event's problems together.
    expect(error.items?.map((e) => [e.index, e.code])).toEqual([
      [1, 'EVENT_PROPERTIES_INVALID'],
      [2, 'VALIDATION_FAILED'],
      [3, 'VALIDATION_FAILED'],
    ]);
    expect((await listCustomers(ctx, { limit: 1, offset: 0 })).total).toBe(0);
  });

  it('places a property problem at the property, a nested one by every step, and one of the whole object at properties', async () => {
    const ctx = h.context();
    const error = await rejected(
      ingestEvents(ctx, [
        { id: 'E1', customer_id: 'C1', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 'ten', items: [{ sku: 'S1' }, { price: 5 }] } },
        { id: 'E2', customer_id: 'C1', type: 'note_added', occurred_at: '2026-06-01T08:00:00Z', properties: { note: 'x'.repeat(20_000) } },
      ]),
    );
    expect(error.items?.map((e) => [e.index, e.code, e.path, e.inItem])).toEqual([
      [0, 'EVENT_PROPERTIES_INVALID', 'properties.amount', ['properties', 'amount']],
      [0, 'EVENT_PROPERTIES_INVALID', 'properties.items.1.sku', ['properties', 'items', 1, 'sku']],
      [1, 'EVENT_PROPERTIES_INVALID', 'properties', ['properties']],
    ]);
    // The message says what is wrong; the path, where: the name is not said twice.
    expect(error.items?.[0]?.message).toBe('expected a number, got text');
    expect(error.items?.[2]?.message).toMatch(/^properties take \d+ bytes; at most 16384$/);
    expect(error.message).toContain('item 0 properties.amount: expected a number, got text; item 0 properties.items.1.sku: required, and missing here');
  });

  it('accepts custom event types with any properties', async () => {
    const ctx = h.context();
    expect(await ingestEvents(ctx, [{ id: 'X1', customer_id: 'C1', type: 'live_stream_watched', occurred_at: '2026-06-01T20:00:00Z', properties: { room: '直播间🎉', minutes: 12 } }])).toMatchObject({ stored: 1 });
  });

  it('refuses one id used for two different events in a batch', async () => {
    const ctx = h.context();
    const error = await rejected(ingestEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z', 10), order('E1', 'C1', '2026-06-01T08:00:00Z', 20)]));
    expect(error.items?.[0]?.code).toBe('EVENT_ID_CONFLICT');
    // The same event twice, its properties' keys in another order, is one event sent twice.
    const twice = [
      { id: 'E2', customer_id: 'C1', type: 'live_stream_watched', occurred_at: '2026-06-01T20:00:00Z', properties: { room: 'A', minutes: 12, detail: { a: 1, b: [1, { c: 2, d: 3 }] } } },
      { id: 'E2', customer_id: 'C1', type: 'live_stream_watched', occurred_at: '2026-06-01T20:00:00Z', properties: { detail: { b: [1, { d: 3, c: 2 }], a: 1 }, minutes: 12, room: 'A' } },
    ];
    expect(await ingestEvents(ctx, twice)).toMatchObject({ received: 2, stored: 1 });
    const reordered = { ...twice[1], properties: { detail: { b: [{ d: 3, c: 2 }, 1], a: 1 }, minutes: 12, room: 'A' } };
    expect((await rejected(ingestEvents(ctx, [twice[0], reordered]))).items?.[0]?.code).toBe('EVENT_ID_CONFLICT');
  });

  it('takes 10,000 events in one batch and refuses more', async () => {
    const ctx = h.context();
    const batch = Array.from({ length: 10_000 }, (_, i) => order(`E${i}`, `C${i % 700}`, '2026-06-01T08:00:00Z'));
    expect(await ingestEvents(ctx, batch)).toMatchObject({ stored: 10_000, customers_created: 700 });
    const tooMany = [...batch, order('E-extra', 'C1', '2026-06-01T08:00:00Z')];
    expect((await rejected(ingestEvents(ctx, tooMany))).code).toBe('BATCH_TOO_LARGE');
  });

  it('keeps every event of batches sent at once for one customer in its metrics', async () => {
    // Each batch computes the customer's metrics from the events it reads; on PostgreSQL two
    // batches in flight at once used to each miss the other's, and the later commit won.
    const ctx = h.context();
    await ingestEvents(ctx, [order('E0', 'C1', '2026-06-01T08:00:00Z', 100)]);
    for (let round = 1; round <= 5; round++) {
      await Promise.all([1, 2, 3, 4].map((k) => ingestEvents(ctx, [order(`E${round}-${k}`, 'C1', `2026-06-0${1 + k}T08:00:00Z`, 100)])));
      const row = await ctx.store.db.selectFrom('customer_metrics').select('metric_values').where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
      expect(JSON.parse(row.metric_values)).toMatchObject({ orders_total: 1 + 4 * round, spend_total: 100 * (1 + 4 * round) });
    }
  });

  it('writes batches that arrive while another is written as one, and answers each with its own counts', async () => {
    // Each write tells the observer once which customers it changed.
    const writes: number[][] = [];
    const ctx = { ...h.context(), observer: { customersChanged: (_workspace: number, ids: readonly number[]) => void writes.push([...ids]), catalogChanged: () => undefined } };
    await defineTag(ctx, { key: 'buyer', name: '买家', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'orders_total >= 1' }] });
    writes.length = 0;
    // The first is written at once; the second and third wait for it and are written together.
    const [first, second, third] = await Promise.all([
      ingestEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]),
      ingestEvents(ctx, [order('E2', 'C2', '2026-06-01T09:00:00Z'), order('E1', 'C1', '2026-06-01T08:00:00Z'), order('E5', 'C4', '2026-06-02T08:00:00Z')]),
      // E5 again, with other content: the second batch's copy was first, so this one is a duplicate.
      ingestEvents(ctx, [order('E3', 'C1', '2026-06-03T08:00:00Z'), order('E4', 'C3', '2026-06-03T09:00:00Z'), order('E5', 'C4', '2026-06-04T08:00:00Z', 5)]),
    ]);
    expect(writes.map((ids) => ids.length)).toEqual([1, 4]);
    expect(first).toEqual({ received: 1, stored: 1, duplicates: 0, customers_created: 1, tags_changed: 1, rejected: [] });
    expect(second).toEqual({ received: 3, stored: 2, duplicates: 1, customers_created: 2, tags_changed: 2, rejected: [] });
    // C1 had the tag already; C3 is new to this batch, C4 was created by the second.
    expect(third).toEqual({ received: 3, stored: 2, duplicates: 1, customers_created: 1, tags_changed: 1, rejected: [] });
    const events = await ctx.store.db.selectFrom('events').select(['event_key', 'occurred_at']).where('workspace_id', '=', ctx.workspaceId).orderBy('event_key').execute();
    expect(events.map((event) => event.event_key)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
    expect(events[4]?.occurred_at).toBe(Date.parse('2026-06-02T08:00:00Z'));
    const portrait = await getPortrait(ctx, 'C1');
    expect(portrait.metrics.find((metric) => metric.key === 'orders_total')?.value).toBe(2);
  });

  it('does not fail a batch because another written with it failed', async () => {
    const ctx = h.context();
    // The store refuses one batch's event, as a full disk or a broken constraint would.
    const accept = await refuseInserts(h.kind, ctx.store.db, 'events', 'event_key', 'POISON');
    const outcomes = await Promise.allSettled([
      ingestEvents(ctx, [order('E1', 'C1', '2026-06-01T08:00:00Z')]),
      ingestEvents(ctx, [order('E2', 'C2', '2026-06-01T09:00:00Z')]),
      ingestEvents(ctx, [order('POISON', 'C3', '2026-06-01T10:00:00Z'), order('E3', 'C3', '2026-06-01T10:00:00Z')]),
      ingestEvents(ctx, [order('E4', 'C4', '2026-06-01T11:00:00Z')]),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.stored : 0))).toEqual([1, 1, 0, 1]);
    const events = await ctx.store.db.selectFrom('events').select('event_key').where('workspace_id', '=', ctx.workspaceId).orderBy('event_key').execute();
    expect(events.map((event) => event.event_key)).toEqual(['E1', 'E2', 'E4']);
    expect((await listCustomers(ctx, { limit: 10, offset: 0 })).items.map((customer) => customer.id).sort()).toEqual(['C1', 'C2', 'C4']);
    await accept();
  });
});
