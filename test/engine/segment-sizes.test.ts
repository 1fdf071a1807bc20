import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { createCarePlan } from '../../src/engine/care.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { startScheduler } from '../../src/engine/scheduler.js';
import { recordSegmentSizes, segmentSizeHistory } from '../../src/engine/segment-sizes.js';
import { createSegment, deleteSegment } from '../../src/engine/segments.js';
import { assignTag } from '../../src/engine/tagging.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { defineTag, rejected } from './support.js';
import { updateTag } from '../../src/engine/library.js';
import { LOADING_LEASE_MS, whileLoading } from '../../src/engine/workspaces-loading.js';

const DAY = 86_400_000;

async function workspaceWithVips(ctx: WorkspaceContext, vips: string[]): Promise<void> {
  await upsertCustomers(ctx, Array.from({ length: 10 }, (_, k) => ({ id: `C${k + 1}` })));
  await defineTag(ctx, { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
  await assignTag(ctx, { tag: 'vip', value: 'yes', customers: vips, source: 'manual' });
  await createSegment(ctx, { key: 'vips', name: '贵宾客户', expression: 'tagged("vip")' });
}

forEachStore('segment sizes', (h) => {
  it('records each saved segment once a day, and draws its trend from those days', async () => {
    const ctx = h.context();
    const audience = indexAudience(new IndexRegistry(ctx.store));
    await workspaceWithVips(ctx, ['C1', 'C2', 'C3']);
    // 10:00 UTC is 18:00 in the workspace's UTC+8.
    expect(await recordSegmentSizes(ctx, audience)).toBe(1);
    expect(await recordSegmentSizes(ctx, audience)).toBe(0);
    await assignTag(ctx, { tag: 'vip', value: 'yes', customers: ['C4'], source: 'manual' });
    // The day's size was recorded; a change later that day waits for the next.
    expect((await segmentSizeHistory(ctx, audience, 'vips', 7)).items).toEqual([{ day: '2026-06-15', members: 3, population: 10, recorded: true }]);

    h.clock.advance(DAY);
    const nextDay = await segmentSizeHistory(ctx, audience, '贵宾客户', 7);
    expect(nextDay.segment).toBe('vips');
    expect(nextDay.items).toEqual([
      { day: '2026-06-15', members: 3, population: 10, recorded: true },
      { day: '2026-06-16', members: 4, population: 10, recorded: false },
    ]);
    expect(await recordSegmentSizes(ctx, audience)).toBe(1);
    expect((await segmentSizeHistory(ctx, audience, 'vips', 7)).items.map((point) => [point.day, point.members, point.recorded])).toEqual([
      ['2026-06-15', 3, true],
      ['2026-06-16', 4, true],
    ]);

    // Days count back from today, today included.
    h.clock.advance(5 * DAY);
    await recordSegmentSizes(ctx, audience);
    expect((await segmentSizeHistory(ctx, audience, 'vips', 6)).items.map((point) => point.day)).toEqual(['2026-06-16', '2026-06-21']);
    expect((await segmentSizeHistory(ctx, audience, 'vips', 1)).items.map((point) => point.day)).toEqual(['2026-06-21']);
  });

  it('dates a size by the workspace’s calendar', async () => {
    const ctx = h.context();
    const audience = indexAudience(new IndexRegistry(ctx.store));
    await workspaceWithVips(ctx, ['C1']);
    h.clock.set('2026-06-15T17:30:00Z');
    await recordSegmentSizes(ctx, audience);
    expect((await segmentSizeHistory(ctx, audience, 'vips', 2)).items.map((point) => point.day)).toEqual(['2026-06-16']);
  });

  it('refuses a bad number of days and an unknown segment, and forgets a deleted segment’s sizes', async () => {
    const ctx = h.context();
    const audience = indexAudience(new IndexRegistry(ctx.store));
    await workspaceWithVips(ctx, ['C1', 'C2']);
    await recordSegmentSizes(ctx, audience);
    expect((await rejected(segmentSizeHistory(ctx, audience, 'vips', 0))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(segmentSizeHistory(ctx, audience, 'vips', 367))).code).toBe('VALIDATION_FAILED');
    expect((await rejected(segmentSizeHistory(ctx, audience, 'vipz', 7))).code).toBe('SEGMENT_NOT_FOUND');
    await deleteSegment(ctx, 'vips');
    expect(await ctx.store.db.selectFrom('segment_sizes').select('day').where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
    // A new segment under the old key starts its own trend.
    await createSegment(ctx, { key: 'vips', name: '贵宾客户', expression: 'not tagged("vip")' });
    expect((await segmentSizeHistory(ctx, audience, 'vips', 7)).items).toEqual([{ day: '2026-06-15', members: 8, population: 10, recorded: false }]);
  });

  it('is recorded by the scheduler’s tick when it has an audience to count with', async () => {
    const ctx = h.context();
    const index = new IndexRegistry(ctx.store);
    await workspaceWithVips(ctx, ['C1', 'C2', 'C3', 'C4', 'C5']);
    const without = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30 });
    await without.tick({ clockRules: false });
    without.stop();
    const sizes = () => ctx.store.db.selectFrom('segment_sizes').select(['day', 'members']).where('workspace_id', '=', ctx.workspaceId).execute();
    expect(await sizes()).toEqual([]);
    const scheduler = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30, observer: index, audience: indexAudience(index) });
    await scheduler.tick({ clockRules: false });
    scheduler.stop();
    expect((await sizes()).map((row) => [row.day, Number(row.members)])).toEqual([['2026-06-15', 5]]);
  });

  it('is not recorded by the scheduler while the workspace is being loaded (the demo store\'s replay), only once it is done', async () => {
    const ctx = h.context();
    const index = new IndexRegistry(ctx.store);
    await workspaceWithVips(ctx, ['C1', 'C2', 'C3']);
    const scheduler = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30, observer: index, audience: indexAudience(index) });
    const sizes = () => ctx.store.db.selectFrom('segment_sizes').select(['day', 'members']).where('workspace_id', '=', ctx.workspaceId).execute();
    try {
      await whileLoading(ctx.store, ctx.workspaceId, async () => {
        await scheduler.tick({ clockRules: false });
        expect(await sizes()).toEqual([]);
      });
      // The lease is cleared when the job ends, not left to lapse.
      expect((await ctx.store.db.selectFrom('workspaces').select('loading_until').where('id', '=', ctx.workspaceId).executeTakeFirstOrThrow()).loading_until).toBeNull();
      await scheduler.tick({ clockRules: false });
    } finally {
      scheduler.stop();
    }
    expect((await sizes()).map((row) => [row.day, Number(row.members)])).toEqual([['2026-06-15', 3]]);
  });

  it('is not recorded while another process loads the workspace (tagbase demo beside tagbase serve), nor after its lease has lapsed without it', async () => {
    const ctx = h.context();
    const index = new IndexRegistry(ctx.store);
    await workspaceWithVips(ctx, ['C1', 'C2']);
    const scheduler = startScheduler(ctx.store, h.clock.now, { intervalMs: 2 ** 30, observer: index, audience: indexAudience(index) });
    const sizes = async () => (await ctx.store.db.selectFrom('segment_sizes').select(['day', 'members']).where('workspace_id', '=', ctx.workspaceId).execute()).map((row) => [row.day, Number(row.members)]);
    // The lease as another process's loader holds it: only in the store.
    const lease = (until: number | null) => ctx.store.db.updateTable('workspaces').set({ loading_until: until }).where('id', '=', ctx.workspaceId).execute();
    try {
      await lease(Date.now() + LOADING_LEASE_MS);
      await scheduler.tick({ clockRules: false });
      expect(await sizes()).toEqual([]);
      // A loader that died without clearing its lease holds the workspace no longer than the lease.
      await lease(Date.now() - 1);
      await scheduler.tick({ clockRules: false });
      expect(await sizes()).toEqual([['2026-06-15', 2]]);
    } finally {
      await scheduler.stop();
    }
  });

  it('is not recorded for a segment that no longer reads, nor for one reading it, and the others are', async () => {
    const ctx = h.context();
    const audience = indexAudience(new IndexRegistry(ctx.store));
    await workspaceWithVips(ctx, ['C1', 'C2']);
    await createSegment(ctx, { key: 'vip_again', name: '贵宾复读', expression: 'segment("vips")' });
    await defineTag(ctx, { key: 'stage', name: '阶段', values: [{ key: 'pre', name: '售前' }] });
    await createSegment(ctx, { key: 'pre_sale', name: '售前客户', expression: 'stage = "pre"' });
    await updateTag(ctx, 'vip', { status: 'archived' });
    expect(await recordSegmentSizes(ctx, audience)).toBe(1);
    const rows = await ctx.store.db.selectFrom('segment_sizes').innerJoin('segments', 'segments.id', 'segment_sizes.segment_id').select(['segments.key', 'segment_sizes.members']).where('segment_sizes.workspace_id', '=', ctx.workspaceId).execute();
    expect(rows.map((row) => [row.key, Number(row.members)])).toEqual([['pre_sale', 0]]);
  });

  it('is recorded in every workspace when the round of one before it fails, and the failure is raised after', async () => {
    const broken = h.context();
    await createCarePlan(broken, { key: 'thanks', name: '感谢', trigger: { kind: 'event', event_type: 'order_paid' }, steps: [{ after: '1d', message: '感谢' }] });
    // A row no round can read: the care round of this workspace throws.
    await broken.store.db.updateTable('care_plans').set({ trigger: 'not json' }).where('workspace_id', '=', broken.workspaceId).execute();
    const nextKey = `${h.workspaceKey()}-next`;
    const next: WorkspaceContext = { ...broken, workspaceKey: nextKey, workspaceId: await ensureWorkspace(broken.store, nextKey, nextKey, h.clock.now) };
    await workspaceWithVips(next, ['C1', 'C2']);
    const index = new IndexRegistry(broken.store);
    const scheduler = startScheduler(broken.store, h.clock.now, { intervalMs: 2 ** 30, observer: index, audience: indexAudience(index) });
    await expect(scheduler.tick({ clockRules: false })).rejects.toThrow(`workspace "${h.workspaceKey()}": `);
    scheduler.stop();
    const sizes = await broken.store.db.selectFrom('segment_sizes').select(['day', 'members']).where('workspace_id', '=', next.workspaceId).execute();
    expect(sizes.map((row) => [row.day, Number(row.members)])).toEqual([['2026-06-15', 2]]);
  });
});
