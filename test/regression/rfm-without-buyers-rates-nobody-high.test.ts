// RFM's thresholds computed when no customer had a paid order in the window were 0/0/0 (the mean
// of nothing), so that every new buyer was high on F and M, an important customer, until the next
// daily refresh. Now such a computation keeps the thresholds before it, or, without any, leaves
// none (no customer has a level until there are buyers), and the model says when it found none.
import { expect } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { configureModel, getModel, refreshModel } from '../../src/engine/models.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { startScheduler } from '../../src/engine/scheduler.js';
import { forEachStore, it } from '../support/stores.js';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

let sequence = 0;
const order = (customer: string, at: number, amount: number) => ({ id: `O${++sequence}`, customer_id: customer, type: 'order_paid', occurred_at: iso(at), properties: { order_id: `order-${sequence}`, amount } });

async function levelOf(ctx: WorkspaceContext, customer: string): Promise<string | undefined> {
  return (await getPortrait(ctx, customer)).tags.find((tag) => tag.tag === 'rfm')?.value_name;
}

forEachStore('regression: RFM with no buyers in its window', (h) => {
  it('keeps the thresholds before when a refresh finds no buyers, so a new small buyer is not rated high on F and M', async () => {
    h.clock.set(iso(NOW));
    const ctx = h.context();
    // Means over A (R 10, F 3, M 3,000) and B (R 20, F 1, M 200) in a 30-day window: R 15, F 2, M 1,600.
    await ingestEvents(ctx, [order('A', NOW - 10 * DAY, 1000), order('A', NOW - 20 * DAY, 1000), order('A', NOW - 25 * DAY, 1000), order('B', NOW - 20 * DAY, 200)]);
    const enabled = await configureModel(ctx, 'rfm', { window_days: 30 });
    expect(enabled.thresholds).toMatchObject({ recency: 15, frequency: 2, monetary: 1600, customers: 2, computed_at: iso(NOW) });
    expect(enabled.no_buyers_at).toBeNull();
    // Forty days on nobody has bought in the window.
    const later = NOW + 40 * DAY;
    h.clock.set(iso(later));
    // The hourly round moves everyone's windowed metrics on with the clock; the refresh reads them.
    await tickWorkspace(ctx, { clockRules: true });
    const refreshed = await refreshModel(ctx, 'rfm');
    expect(refreshed).toMatchObject({
      refreshed: false,
      not_refreshed: { code: 'NO_BUYERS' },
      no_buyers_at: iso(later),
      thresholds: { recency: 15, frequency: 2, monetary: 1600, customers: 2, computed_at: iso(NOW) },
    });
    // One small order: recent, but neither frequent nor big against the thresholds kept (0/0/0 made it 重要价值客户).
    await ingestEvents(ctx, [order('C', later, 50)]);
    expect(await levelOf(ctx, 'C')).toBe('一般发展客户');
    expect((await getPortrait(ctx, 'C')).tags.find((tag) => tag.tag === 'rfm')?.explanation).toBe('R 0 天 ≤ 15 · F 1 < 2 · M 50 < 1,600');
    // The next refresh has a buyer again: thresholds over C, and the notice gone.
    h.clock.set(iso(later + DAY));
    await tickWorkspace(ctx, { clockRules: true });
    const again = await refreshModel(ctx, 'rfm');
    expect(again).toMatchObject({ refreshed: true, not_refreshed: null, no_buyers_at: null, thresholds: { recency: 1, frequency: 1, monetary: 50, customers: 1, computed_at: iso(later + DAY) } });
  });

  it('leaves RFM without thresholds, and every customer without a level, when it is enabled with no buyers in the window', async () => {
    h.clock.set(iso(NOW));
    const ctx = h.context();
    await ingestEvents(ctx, [order('A', NOW - 400 * DAY, 1000)]);
    const enabled = await configureModel(ctx, 'rfm', {});
    expect(enabled).toMatchObject({ thresholds: null, no_buyers_at: iso(NOW) });
    expect(await getModel(ctx, 'rfm')).toMatchObject({ thresholds: null, no_buyers_at: iso(NOW) });
    // A buyer before the next refresh has no level rather than a high F and M against 0.
    await ingestEvents(ctx, [order('B', NOW, 50)]);
    expect(await levelOf(ctx, 'B')).toBeUndefined();
    // Fixed thresholds need no buyers: they are in force at once.
    const fixed = await configureModel(ctx, 'rfm', { recency: 30, frequency: 3, monetary: 500 });
    expect(fixed).toMatchObject({ thresholds: { recency: 30, frequency: 3, monetary: 500, customers: 1 }, no_buyers_at: null });
    expect(await levelOf(ctx, 'B')).toBe('一般发展客户');
  });

  it('tries again a day after a computation that found no buyers, not at every round of the scheduler', async () => {
    h.clock.set(iso(NOW));
    const ctx = h.context();
    await configureModel(ctx, 'rfm', {});
    const scheduler = startScheduler(h.store(), h.clock.now, { intervalMs: 2 ** 30 });
    try {
      h.clock.set(iso(NOW + 2 * 3_600_000));
      await scheduler.tick({ clockRules: true });
      expect((await getModel(ctx, 'rfm')).no_buyers_at).toBe(iso(NOW));
      await ingestEvents(ctx, [order('A', NOW + 2 * 3_600_000, 300)]);
      h.clock.set(iso(NOW + 25 * 3_600_000));
      await scheduler.tick({ clockRules: true });
      expect(await getModel(ctx, 'rfm')).toMatchObject({ no_buyers_at: null, thresholds: { customers: 1, monetary: 300, computed_at: iso(NOW + 25 * 3_600_000) } });
      expect(await levelOf(ctx, 'A')).toBe('重要价值客户');
    } finally {
      scheduler.stop();
    }
  });

  it('answers a refresh of a model without thresholds by saying there was nothing to refresh, and leaves it as it was', async () => {
    h.clock.set(iso(NOW));
    const ctx = h.context();
    const enabled = await configureModel(ctx, 'lifecycle', {});
    h.clock.set(iso(NOW + DAY));
    const refreshed = await refreshModel(ctx, 'lifecycle');
    expect(refreshed).toMatchObject({ key: 'lifecycle', enabled: true, thresholds: null, no_buyers_at: null, refreshed: false, not_refreshed: { code: 'NO_THRESHOLDS' } });
    expect(refreshed.values).toEqual(enabled.values);
  });
});
