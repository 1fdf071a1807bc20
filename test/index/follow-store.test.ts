import { expect, vi } from 'vitest';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { followStore } from '../../src/index/follow.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { forEachStore, it } from '../support/stores.js';
import { defineTag, interests } from '../engine/support.js';
import { compile, loadOracle, planOptions } from './support.js';

const CITIES = ['广州', '深圳', '上海', '北京', '杭州'];
const EXPRESSIONS = ['city = "广州"', 'interests has any ("golf")', 'interests has any ("yoga") and not city in ("上海", "北京")', 'interests missing', 'member_level = "gold" or city = "杭州"'];
/** Rounds only when the test asks for them. */
const BY_HAND = 3_600_000;

/** What another process loading customers writes: the same store, no observer of the registry's. */
async function load(elsewhere: WorkspaceContext, from: number, count: number): Promise<void> {
  for (let start = from; start < from + count; start += 500) {
    const ids = Array.from({ length: Math.min(500, from + count - start) }, (_, i) => start + i);
    await upsertCustomers(
      elsewhere,
      ids.map((n) => ({ id: `L${n}`, name: `客户${n}`, city: CITIES[n % CITIES.length], ...(n % 7 === 0 ? { member_level: 'gold' } : {}) })),
    );
    await assignTag(elsewhere, { tag: 'interests', value: 'golf', customers: ids.filter((n) => n % 3 === 0).map((n) => `L${n}`), source: 'import' });
    await assignTag(elsewhere, { tag: 'interests', value: 'yoga', customers: ids.filter((n) => n % 5 === 0).map((n) => `L${n}`), source: 'import' });
  }
}

/** Each expression's count from the registry's index, beside the count of an index built afresh from the store. */
async function countsBesideFreshBuild(registry: IndexRegistry, context: WorkspaceContext): Promise<{ followed: number[]; fresh: number[] }> {
  const oracle = await loadOracle(context);
  const options = planOptions(oracle, context.now().getTime());
  const index = await registry.get(context);
  const fresh = await WorkspaceIndex.build(context.store, context.workspaceId);
  return {
    followed: EXPRESSIONS.map((source) => index.count(compile(oracle, source), options)),
    fresh: EXPRESSIONS.map((source) => fresh.count(compile(oracle, source), options)),
  };
}

forEachStore('index following the store', (h) => {
  it('catches up in the background with thousands of customers another connection loads, by a rebuild once the load is over', async () => {
    const build = vi.spyOn(WorkspaceIndex, 'build');
    const refresh = vi.spyOn(WorkspaceIndex.prototype, 'refreshCustomers');
    const registry = new IndexRegistry(h.store());
    const follower = followStore(registry, h.store(), { intervalMs: BY_HAND });
    try {
      const ctx = h.context();
      await defineTag(ctx, interests);
      await load(ctx, 0, 20);
      await registry.get(ctx);
      await follower.poll();
      // Of this workspace: the follower also builds the store's other workspaces once they are quiet.
      const builtHere = () => build.mock.calls.filter(([, workspaceId]) => workspaceId === ctx.workspaceId).length;
      const builds = builtHere();
      const refreshes = refresh.mock.calls.length;
      await load(h.context('import'), 20, 3000);
      // The log has just grown: a load may still be under way, so nothing is rebuilt yet.
      await follower.poll();
      expect(builtHere()).toBe(builds);
      // Quiet since: rebuilt, as a cold start would, rather than refreshed customer by customer.
      await follower.poll();
      expect(builtHere()).toBe(builds + 1);
      expect(refresh.mock.calls.length).toBe(refreshes);
      // The next read finds the index current: it waits for nothing.
      const { followed, fresh } = await countsBesideFreshBuild(registry, ctx);
      expect(builtHere()).toBe(builds + 2);
      expect(refresh.mock.calls.length).toBe(refreshes);
      expect(followed).toEqual(fresh);
      expect(fresh[0]).toBe(604);
    } finally {
      await follower.stop();
      build.mockRestore();
      refresh.mockRestore();
    }
  });

  it('refreshes a few customers changed elsewhere at the next round, even while the log keeps growing', async () => {
    const refresh = vi.spyOn(WorkspaceIndex.prototype, 'refreshCustomers');
    const registry = new IndexRegistry(h.store());
    const follower = followStore(registry, h.store(), { intervalMs: BY_HAND });
    try {
      const ctx = h.context();
      await defineTag(ctx, interests);
      await load(ctx, 0, 1000);
      await registry.get(ctx);
      await follower.poll();
      const refreshes = refresh.mock.calls.length;
      await assignTag(h.context('import'), { tag: 'interests', value: 'golf', customers: ['L1', 'L2', 'L4'], source: 'import' });
      await follower.poll();
      expect(refresh.mock.calls.length).toBe(refreshes + 1);
      const { followed, fresh } = await countsBesideFreshBuild(registry, ctx);
      expect(refresh.mock.calls.length).toBe(refreshes + 1);
      expect(followed).toEqual(fresh);
      expect(fresh[1]).toBe(337);
    } finally {
      await follower.stop();
      refresh.mockRestore();
    }
  });

  it('builds a workspace another process makes once it is quiet, and one a loading job holds once the job lets go', async () => {
    const registry = new IndexRegistry(h.store());
    const follower = followStore(registry, h.store(), { intervalMs: BY_HAND });
    try {
      const store = h.store();
      const key = `${h.workspaceKey()}-new`;
      const workspaceId = await ensureWorkspace(store, key, key, h.clock.now);
      const ctx: WorkspaceContext = { ...h.context('import'), workspaceId, workspaceKey: key };
      await store.db.updateTable('workspaces').set({ loading_until: Date.now() + 60_000 }).where('id', '=', workspaceId).execute();
      await defineTag(ctx, interests);
      await load(ctx, 0, 1500);
      await follower.poll();
      await follower.poll();
      expect(registry.has(workspaceId)).toBe(false);
      await store.db.updateTable('workspaces').set({ loading_until: null }).where('id', '=', workspaceId).execute();
      await follower.poll();
      expect(registry.has(workspaceId)).toBe(true);
      const { followed, fresh } = await countsBesideFreshBuild(registry, ctx);
      expect(followed).toEqual(fresh);
      expect(fresh[0]).toBe(300);
    } finally {
      await follower.stop();
    }
  });
});
