// Histories kept in memory between ingest batches (src/engine/history-memory.ts): the metrics and
// tags they give are those of reading the store, whoever else changed the histories meanwhile.
import { afterEach, describe, expect } from 'vitest';
import { TagbaseError } from '../../src/core/errors.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { forgetHistories, heldEventCount, heldHistories, historyMemorySetting, keepHistoriesInMemory } from '../../src/engine/history-memory.js';
import { checkedEvents, ingestEvents, writeEventGroup } from '../../src/engine/ingest.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { createTagGroup, updateTagGroup } from '../../src/engine/library.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { createMetric } from '../../src/engine/metrics.js';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineRuleTags, expectMetricsTrueToEvents, storedMetricsAndTags } from './support.js';

const DAY = 86_400_000;

describe('TAGBASE_HISTORY_MEMORY', () => {
  it('is a number of customers, 50,000 unless set, 0 or off for none', () => {
    expect(historyMemorySetting(undefined)).toBe(50_000);
    expect(historyMemorySetting('')).toBe(50_000);
    expect(historyMemorySetting('off')).toBe(0);
    expect(historyMemorySetting(' OFF')).toBe(0);
    expect(historyMemorySetting('0')).toBe(0);
    expect(historyMemorySetting(' 200000 ')).toBe(200_000);
    expect(() => historyMemorySetting('lots')).toThrow(TagbaseError);
    expect(() => historyMemorySetting('-5')).toThrow(/TAGBASE_HISTORY_MEMORY/);
  });
});

/** A day's worth of mixed events for a few customers, some refunding earlier orders, some out of time order. */
function mixedBatch(round: number, now: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const [k, customer] of ['A', 'B', 'C', 'D', 'E'].entries()) {
    if ((round + k) % 5 === 4) continue;
    const at = (days: number) => new Date(now - days * DAY - k * 60_000).toISOString();
    const id = (kind: string) => `${kind}-${round}-${customer}`;
    events.push({ id: id('view'), customer_id: customer, type: 'product_viewed', occurred_at: at((round * 7 + k) % 45), properties: { sku: `S${round % 3}`, category: round % 2 ? '数码' : '美妆' } });
    if ((round + k) % 2 === 0) {
      events.push({
        id: id('order'),
        customer_id: customer,
        type: 'order_paid',
        occurred_at: at((round * 11 + k) % 400),
        properties: { order_id: `O-${round}-${customer}`, amount: 50 + round * 10 + k, channel: k % 2 ? 'online' : 'offline', items: [{ sku: 'S1', category: round % 3 ? '服饰' : '美妆', price: 50, quantity: 1 }] },
      });
    }
    if (round > 1 && (round + k) % 3 === 0) {
      events.push({ id: id('refund'), customer_id: customer, type: 'order_refunded', occurred_at: at(k), properties: { order_id: `O-${round - 2}-${customer}`, amount: 30 } });
    }
    if ((round + k) % 4 === 1) events.push({ id: id('cart'), customer_id: customer, type: 'cart_added', occurred_at: at(k * 20), properties: { sku: `S${k}`, price: 10 + round } });
  }
  // One event sent again: a duplicate, stored once.
  if (round > 0 && events[0]) events.push({ ...events[0], id: `view-${round - 1}-A` });
  return events;
}

async function customerId(context: WorkspaceContext, externalId: string): Promise<number> {
  const row = await context.store.db.selectFrom('customers').select('id').where('workspace_id', '=', context.workspaceId).where('external_id', '=', externalId).executeTakeFirstOrThrow();
  return row.id;
}

function order(id: string, customer: string, amount: number, at: Date): Record<string, unknown> {
  return { id, customer_id: customer, type: 'order_paid', occurred_at: at.toISOString(), properties: { order_id: id, amount } };
}

/** An events row as a program writing straight into the table would store it: a day before the clock, logging nothing. */
function eventRow(context: WorkspaceContext, key: string, customerId: number, type: string, properties: Record<string, unknown>) {
  const now = context.now().getTime();
  return { workspace_id: context.workspaceId, event_key: key, customer_id: customerId, type, occurred_at: now - DAY, received_at: now, properties: JSON.stringify(properties) };
}

async function storedMetric(context: WorkspaceContext, externalId: string, key: string): Promise<unknown> {
  const row = await context.store.db.selectFrom('customer_metrics').select('metric_values').where('customer_id', '=', await customerId(context, externalId)).executeTakeFirstOrThrow();
  return (JSON.parse(row.metric_values) as Record<string, unknown>)[key];
}

forEachStore('histories kept in memory', (h: StoreHarness) => {
  afterEach(() => keepHistoriesInMemory(h.store(), 0));

  async function library(context: WorkspaceContext): Promise<void> {
    await defineRuleTags(context);
    await createMetric(context, { key: 'first_cart_sku', name: '首次加购商品', aggregation: 'first', event_type: 'cart_added', property: 'sku', window: { kind: 'all' } });
    await createMetric(context, { key: 'cart_value_14d', name: '近14天加购额', aggregation: 'sum', event_type: 'cart_added', property: 'price', window: { kind: 'days', days: 14 } });
  }

  /**
   * Plays the rounds into a fresh workspace, the clock moving a day (and once back a week) per
   * round; the stored metrics and tags after each round.
   */
  async function play(context: WorkspaceContext, rounds: number): Promise<{ context: WorkspaceContext; after: Awaited<ReturnType<typeof storedMetricsAndTags>>[] }> {
    await library(context);
    h.clock.set('2026-06-15T10:00:00Z');
    const after = [];
    for (let round = 0; round < rounds; round++) {
      h.clock.advance(round === 6 ? -7 * DAY : DAY);
      await ingestEvents(context, mixedBatch(round, h.clock.now().getTime()));
      after.push(await storedMetricsAndTags(context));
    }
    return { context, after };
  }

  it('gives the metrics and rule tags that reading the store gives, batch after batch', async () => {
    keepHistoriesInMemory(h.store(), 0);
    const fromStore = await play(h.context(), 10);
    expect(heldHistories(h.store(), fromStore.context.workspaceId)).toBe(0);
    keepHistoriesInMemory(h.store(), 1000);
    const key = `${h.workspaceKey()}-held`;
    const held = await play({ ...h.context(), workspaceKey: key, workspaceId: await ensureWorkspace(h.store(), key, key, h.clock.now) }, 10);
    expect(heldHistories(h.store(), held.context.workspaceId)).toBe(5);
    expect(held.after).toEqual(fromStore.after);
    expect(held.after.at(-1)?.tags.length).toBeGreaterThan(5);
  });

  it('reads a held history from memory rather than from the store', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const now = h.clock.now();
    await ingestEvents(context, [order('o1', 'A', 100, now), order('o2', 'A', 40, now)]);
    // Taken out behind the engine's back (no change-log entry): the memory still holds it.
    await context.store.db.deleteFrom('events').where('workspace_id', '=', context.workspaceId).where('event_key', '=', 'o2').execute();
    await ingestEvents(context, [order('o3', 'A', 10, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(3);
    forgetHistories(context.store, context.workspaceId);
    await ingestEvents(context, [order('o4', 'A', 10, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(3);
  });

  it('sees events another program stored, though it logged no change', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const now = h.clock.now();
    await ingestEvents(context, [order('o1', 'A', 100, now), order('b1', 'B', 5, now)]);
    const a = await customerId(context, 'A');
    await context.store.db.insertInto('events').values(eventRow(context, 'elsewhere', a, 'order_paid', { order_id: 'elsewhere', amount: 70 })).execute();
    await ingestEvents(context, [order('o2', 'A', 30, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(3);
    expect(await storedMetric(context, 'A', 'spend_total')).toBe(200);
    expect(heldHistories(h.store(), context.workspaceId)).toBe(2);
    expect(await expectMetricsTrueToEvents(context)).toBe(2);
  });

  it('starts the workspace afresh when another program stored more events than it reads back', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const now = h.clock.now();
    await ingestEvents(context, [order('a1', 'A', 100, now), order('b1', 'B', 5, now)]);
    const [a, b] = [await customerId(context, 'A'), await customerId(context, 'B')];
    const views = Array.from({ length: 5_000 }, (_, k) => eventRow(context, `view-${k}`, b, 'page_viewed', { url: '/' }));
    for (let k = 0; k < views.length; k += 1_000) await context.store.db.insertInto('events').values(views.slice(k, k + 1_000)).execute();
    // Past the first 5,000: found only by starting afresh.
    await context.store.db.insertInto('events').values(eventRow(context, 'elsewhere', a, 'order_paid', { order_id: 'elsewhere', amount: 70 })).execute();
    await ingestEvents(context, [order('a2', 'A', 30, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(3);
    expect(heldHistories(h.store(), context.workspaceId)).toBe(1);
  });

  it('starts the workspace afresh after half a day without a look, when the log may have been pruned', async () => {
    let wallClock = Date.now();
    keepHistoriesInMemory(h.store(), 1000, () => wallClock);
    const context = h.context();
    const now = h.clock.now();
    await ingestEvents(context, [order('o1', 'A', 100, now), order('o2', 'A', 40, now)]);
    // Gone without a trace the memory can find: as a change whose log entry was pruned.
    await context.store.db.deleteFrom('events').where('workspace_id', '=', context.workspaceId).where('event_key', '=', 'o2').execute();
    wallClock += 11 * 3_600_000;
    await ingestEvents(context, [order('o3', 'A', 10, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(3);
    wallClock += 12 * 3_600_000 + 1;
    await ingestEvents(context, [order('o4', 'A', 10, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(3);
  });

  it('follows a merge and an erasure made since', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const now = h.clock.now();
    await ingestEvents(context, [order('a1', 'A', 100, now), order('b1', 'B', 60, now), order('c1', 'C', 10, now)]);
    await mergeCustomers(context, 'A', 'B');
    await ingestEvents(context, [order('a2', 'A', 1, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(3);
    await eraseCustomer(context, 'C');
    await ingestEvents(context, [order('c2', 'C', 5, now)]);
    expect(await storedMetric(context, 'C', 'orders_total')).toBe(1);
    expect(await storedMetric(context, 'C', 'spend_total')).toBe(5);
    expect(await expectMetricsTrueToEvents(context)).toBe(2);
  });

  it('keeps nothing of a batch that rolled back', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const now = h.clock.now();
    await ingestEvents(context, [order('o1', 'A', 100, now)]);
    const failing = checkedEvents([order('o2', 'A', 40, now)], now.getTime(), 480);
    const batch = { context, received: 1, events: failing.events, errors: [], duplicatesInBatch: 0, receivedAt: now.getTime() };
    await expect(
      writeEventGroup([batch], {
        settle: () => {
          throw new Error('the disk is full');
        },
      }),
    ).rejects.toThrow('the disk is full');
    await ingestEvents(context, [order('o3', 'A', 10, now)]);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(2);
    expect(await storedMetric(context, 'A', 'spend_total')).toBe(110);
  });

  it('lets go of held events that the windows reading their type have moved past', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const view = (id: string) => ({ id, customer_id: 'A', type: 'product_viewed', occurred_at: h.clock.now().toISOString(), properties: { sku: 'S1', category: '数码' } });
    await ingestEvents(context, [order('o1', 'A', 100, h.clock.now()), view('v1')]);
    const a = await customerId(context, 'A');
    for (let day = 1; day <= 40; day++) {
      h.clock.advance(DAY);
      await ingestEvents(context, [view(`v${day + 1}`)]);
    }
    // Product views count only in their 30 days; the order in every all-time metric.
    expect(heldEventCount(h.store(), context.workspaceId, a)).toBe(31);
    expect(await storedMetric(context, 'A', 'product_views_30d')).toBe(30);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(1);
    expect(await expectMetricsTrueToEvents(context)).toBe(1);
  });

  it('holds no more customers than it is allowed in all, the least recently met given up first', async () => {
    keepHistoriesInMemory(h.store(), 3);
    const context = h.context();
    const now = h.clock.now();
    for (const customer of ['A', 'B', 'C', 'D']) await ingestEvents(context, [order(`${customer}1`, customer, 10, now)]);
    expect(heldHistories(h.store(), context.workspaceId)).toBe(3);
    expect(heldEventCount(h.store(), context.workspaceId, await customerId(context, 'A'))).toBeUndefined();
    for (const customer of ['A', 'B', 'C', 'D']) await ingestEvents(context, [order(`${customer}2`, customer, 20, now)]);
    expect(heldHistories(h.store(), context.workspaceId)).toBe(3);
    expect(await expectMetricsTrueToEvents(context)).toBe(4);
    // Another workspace's customers take the places of this one's, written less recently.
    const key = `${h.workspaceKey()}-other`;
    const other = { ...context, workspaceKey: key, workspaceId: await ensureWorkspace(h.store(), key, key, h.clock.now) };
    await ingestEvents(other, [order('X1', 'X', 10, now), order('Y1', 'Y', 10, now)]);
    expect([heldHistories(h.store(), context.workspaceId), heldHistories(h.store(), other.workspaceId)]).toEqual([1, 2]);
    expect(heldEventCount(h.store(), context.workspaceId, await customerId(context, 'D'))).toBe(2);
  });

  it('keeps what it holds across a change of names, which changes no one’s events', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const now = h.clock.now();
    await ingestEvents(context, [order('o1', 'A', 100, now), order('b1', 'B', 5, now)]);
    await createTagGroup(context, { key: 'ops', name: '运营' });
    await updateTagGroup(context, 'ops', { name: '运营组' });
    await ingestEvents(context, [order('o2', 'A', 30, now)]);
    expect(heldHistories(h.store(), context.workspaceId)).toBe(2);
    expect(await storedMetric(context, 'A', 'orders_total')).toBe(2);
  });

  it('reads histories afresh for a metric declared since', async () => {
    keepHistoriesInMemory(h.store(), 1000);
    const context = h.context();
    const now = h.clock.now().getTime();
    const cart = (id: string, price: number, at: number) => ({ id, customer_id: 'A', type: 'cart_added', occurred_at: new Date(at).toISOString(), properties: { sku: 'S1', price } });
    // Older than any window that reads carts: not read while only cart_adds_30d does.
    await ingestEvents(context, [cart('c1', 10, now - 100 * DAY), order('o1', 'A', 20, new Date(now))]);
    await createMetric(context, { key: 'cart_value_total', name: '累计加购额', aggregation: 'sum', event_type: 'cart_added', property: 'price', window: { kind: 'all' } });
    await ingestEvents(context, [cart('c2', 5, now)]);
    expect(await storedMetric(context, 'A', 'cart_value_total')).toBe(15);
  });
});
