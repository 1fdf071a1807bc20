// An import of more customers than a refresh is worth (over 1,000 and a quarter of the
// workspace) makes the index rebuild rather than refresh. When that build failed — the store's
// connection terminated half way, as during an outage — the index kept its old state while the
// customers it was to read had been dropped and the change log read past them: every count after
// it left the import out (0 of 3,050 on a workspace imported into while empty), and so did every
// snapshot saved after it, and every server started from one. The build is tried again instead.
import { expect, vi } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { forEachStore, it } from '../support/stores.js';

const customers = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `C${from + i}`, city: '广州' }));

async function stored(ctx: WorkspaceContext): Promise<number> {
  const row = await ctx.store.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', ctx.workspaceId).where('merged_into', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

forEachStore('an index build lost half way', (h) => {
  for (const via of ['the change log', 'its observer'] as const) {
    it(`counts an import read through ${via} once a build for it has failed, and snapshots it`, async () => {
      const registry = new IndexRegistry(h.store(), { snapshots: true });
      const base = h.context();
      // Through the log: a command or a second server wrote it; through the observer: this process.
      const ctx: WorkspaceContext = via === 'its observer' ? { ...base, observer: registry } : base;
      await upsertCustomers(ctx, customers(0, 2));
      expect((await registry.get(base)).all.size).toBe(2);
      await upsertCustomers(ctx, customers(2, 1200));
      expect(await stored(base)).toBe(1202);
      const build = vi.spyOn(WorkspaceIndex, 'build').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      try {
        await expect(registry.get(base)).rejects.toThrow('Connection terminated unexpectedly');
        expect(build).toHaveBeenCalledTimes(1);
      } finally {
        build.mockRestore();
      }
      expect((await registry.get(base)).all.size).toBe(1202);
      // The snapshot holds them too, and a process started from it counts them.
      expect(await registry.saveSnapshot(base)).toBeDefined();
      const restarted = new IndexRegistry(h.store(), { snapshots: true });
      expect((await restarted.get(base)).all.size).toBe(1202);
      expect(restarted.builds(base.workspaceId)).toBe(0);
    });
  }
});
