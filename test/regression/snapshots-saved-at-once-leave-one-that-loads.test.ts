// Two servers on one store save a workspace's index snapshot every ten minutes and at shutdown,
// so two saves can overlap. Each save deleted every part but its own when it switched the header:
// the first to finish deleted the parts the other was still writing, and the other then put in a
// header naming parts that were gone (refused at the next start, which built the index from the
// store: minutes at a million customers), or, on PostgreSQL, failed on the header's key with a
// duplicate key error in the log. Now the newest snapshot is kept and the other save skips.
import { expect } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { catalogFingerprint, saveIndexSnapshot } from '../../src/index/snapshot.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { forEachStore, it } from '../support/stores.js';

const customers = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `C${from + i}`, city: i % 2 ? '广州' : '深圳' }));

async function logPosition(ctx: WorkspaceContext): Promise<number> {
  const row = await ctx.store.db.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', ctx.workspaceId).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** What a server started now makes of the stored snapshot: the reasons it refused it, and how it got its index. */
async function start(ctx: WorkspaceContext): Promise<{ rejected: string[]; origin: string; size: number }> {
  const rejected: string[] = [];
  const registry = new IndexRegistry(ctx.store, { snapshots: true, onSnapshotRejected: (_, reason) => rejected.push(reason) });
  const index = await registry.get(ctx);
  return { rejected, origin: index.origin, size: index.all.size };
}

async function partsLeft(ctx: WorkspaceContext): Promise<string[]> {
  const rows = await ctx.store.db.selectFrom('index_snapshot_parts').select('version').distinct().where('workspace_id', '=', ctx.workspaceId).execute();
  return rows.map((row) => row.version);
}

forEachStore('index snapshots saved at once', (h) => {
  for (const before of ['no snapshot', 'a snapshot'] as const) {
    it(`keeps one whole snapshot, the newest, when two servers save at once over ${before}`, async () => {
      const ctx = h.context();
      await upsertCustomers(ctx, customers(0, 300));
      const fingerprint = await catalogFingerprint(ctx.store, ctx.workspaceId);
      if (before === 'a snapshot') {
        const first = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
        expect(await saveIndexSnapshot(ctx.store, first, { position: await logPosition(ctx), polledAt: Date.now() }, fingerprint)).toBeDefined();
      }
      // Two servers' indexes, the second a write further on.
      const older = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
      const olderAt = { position: await logPosition(ctx), polledAt: Date.now() };
      await upsertCustomers(ctx, customers(300, 5));
      const newer = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
      const newerAt = { position: await logPosition(ctx), polledAt: Date.now() };
      for (const order of [
        [newer, older],
        [older, newer],
      ] as const) {
        const saves = await Promise.allSettled(order.map((index) => saveIndexSnapshot(ctx.store, index, index === newer ? newerAt : olderAt, fingerprint)));
        // Neither fails (a failed save is logged by the server as an error).
        expect(saves.map((save) => save.status)).toEqual(['fulfilled', 'fulfilled']);
        const header = await ctx.store.db.selectFrom('index_snapshots').select(['position', 'version']).where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
        expect(Number(header.position)).toBe(newerAt.position);
        // Only the installed snapshot's parts are left.
        expect(await partsLeft(ctx)).toEqual([header.version]);
        expect(await start(ctx)).toEqual({ rejected: [], origin: 'snapshot', size: 305 });
      }
    });
  }

  it('deletes the parts of a save that died half way, not those of a save under way', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, customers(0, 10));
    const part = (version: string) => ({ workspace_id: ctx.workspaceId, version, part: 0, data: Buffer.from('half written') });
    const dead = `${(Date.now() - 2 * 3_600_000).toString(36)}-dead`;
    const writing = `${Date.now().toString(36)}-writing`;
    await ctx.store.db.insertInto('index_snapshot_parts').values([part(dead), part(writing)]).execute();
    const index = await WorkspaceIndex.build(ctx.store, ctx.workspaceId);
    expect(await saveIndexSnapshot(ctx.store, index, { position: await logPosition(ctx), polledAt: Date.now() }, await catalogFingerprint(ctx.store, ctx.workspaceId))).toBeDefined();
    const header = await ctx.store.db.selectFrom('index_snapshots').select('version').where('workspace_id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
    expect((await partsLeft(ctx)).sort()).toEqual([header.version, writing].sort());
  });

  it('leaves a snapshot that loads when two servers save theirs through their registries at once', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, customers(0, 200));
    const one = new IndexRegistry(ctx.store, { snapshots: true });
    const two = new IndexRegistry(ctx.store, { snapshots: true });
    await Promise.all([one.get(ctx), two.get(ctx)]);
    for (let round = 0; round < 3; round++) {
      await upsertCustomers(ctx, customers(200 + round, 1));
      const saves = await Promise.allSettled([one.saveSnapshot(ctx), two.saveSnapshot(ctx)]);
      expect(saves.map((save) => save.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await start(ctx)).toEqual({ rejected: [], origin: 'snapshot', size: 201 + round });
    }
  });
});
