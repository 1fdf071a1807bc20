// A full recompute commits its customers chunk by chunk, and logged only a catalog change once
// it had finished. When it stopped half way (the process killed, the store's connection lost),
// the chunks it had committed were in the store but not in the change log: a second server's
// index, and this server's after a start from its snapshot, kept their customers as they were
// until some later catalog change (a rule tag nobody held any more was still counted).
import { expect } from 'vitest';
import { recomputeChunks } from '../../src/engine/parallel-recompute.js';
import { allCustomerIds } from '../../src/engine/propagate.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag } from '../engine/support.js';

const DAY = 86_400_000;
const CUSTOMERS = 6;

forEachStore('a recompute cut short', (h) => {
  it('leaves the chunks it committed in the change log, for a second server and a start from a snapshot', async () => {
    const ctx = h.context();
    await defineTag(ctx, { key: 'recent', name: '近期活跃', kind: 'rule', values: [{ key: 'yes', name: '是', condition: 'last_active_at after 30 days ago' }] });
    const at = h.clock.now().toISOString();
    await ingestEvents(
      ctx,
      Array.from({ length: CUSTOMERS }, (_, i) => ({ id: `E${i}`, customer_id: `C${i}`, type: 'order_paid', occurred_at: at, properties: { order_id: `O${i}`, amount: 100 } })),
    );
    const recent = await ctx.store.db
      .selectFrom('tag_values')
      .innerJoin('tags', 'tags.id', 'tag_values.tag_id')
      .select('tag_values.id')
      .where('tags.workspace_id', '=', ctx.workspaceId)
      .where('tags.key', '=', 'recent')
      .executeTakeFirstOrThrow();
    // A second server, and this one, whose index is saved as the workspace's snapshot.
    const second = new IndexRegistry(h.store());
    const saving = new IndexRegistry(h.store(), { snapshots: true });
    expect((await second.get(ctx)).valueMembers(recent.id)?.size).toBe(CUSTOMERS);
    expect((await saving.get(ctx)).valueMembers(recent.id)?.size).toBe(CUSTOMERS);
    expect(await saving.saveSnapshot(ctx)).toBeDefined();

    // Two months on, nobody is recent; the recompute stops after its first two chunks of two.
    h.clock.advance(60 * DAY);
    const ids = await allCustomerIds(ctx, ctx.store.db);
    let chunks = 0;
    const lost = new Error('Connection terminated unexpectedly');
    await expect(
      recomputeChunks(ctx, ids, {
        batchSize: 2,
        afterChunk: () => {
          if (++chunks === 2) throw lost;
          return Promise.resolve(true);
        },
      }),
    ).rejects.toBe(lost);
    const held = await ctx.store.db.selectFrom('assignments').select('customer_id').where('value_id', '=', recent.id).execute();
    expect(held).toHaveLength(CUSTOMERS - 4);

    const expected = held.map((row) => row.customer_id).sort((a, b) => a - b);
    expect((await second.get(ctx)).valueMembers(recent.id)?.toArray()).toEqual(expected);
    const restarted = new IndexRegistry(h.store(), { snapshots: true });
    expect((await restarted.get(ctx)).valueMembers(recent.id)?.toArray()).toEqual(expected);
    // From the snapshot and the log after it, not a build that happened to read the store.
    expect(restarted.builds(ctx.workspaceId)).toBe(0);
  });
});
