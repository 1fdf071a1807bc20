// The index refreshes changed customers through `loadCustomers`: the customers of its own
// workspace only, with their own assignments and metrics.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { loadCustomers } from '../../src/index/build.js';
import { defineTag, interests } from '../engine/support.js';

forEachStore('index: loading changed customers', (h) => {
  it('loads the workspace’s own customers with their assignments, and leaves out ids of another workspace', async () => {
    const mine = h.context();
    const otherKey = `${mine.workspaceKey}_other`;
    const other = { ...mine, workspaceKey: otherKey, workspaceId: await ensureWorkspace(mine.store, otherKey, otherKey, mine.now) };
    for (const ctx of [mine, other]) {
      await defineTag(ctx, interests);
      await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    }
    await assignTag(mine, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await assignTag(other, { tag: 'interests', value: 'fishing', customers: ['A', 'B'], source: 'manual' });
    const ids = await mine.store.db.selectFrom('customers').select(['id', 'workspace_id', 'external_id']).where('workspace_id', 'in', [mine.workspaceId, other.workspaceId]).execute();
    const mineIds = ids.filter((row) => row.workspace_id === mine.workspaceId);
    const loaded = await loadCustomers(mine.store, mine.workspaceId, ids.map((row) => row.id));
    expect(loaded.map((customer) => customer.id).sort((a, b) => a - b)).toEqual(mineIds.map((row) => row.id).sort((a, b) => a - b));
    const golf = await mine.store.db.selectFrom('tag_values').innerJoin('tags', 'tags.id', 'tag_values.tag_id').select(['tag_values.id', 'tag_values.tag_id']).where('tags.workspace_id', '=', mine.workspaceId).where('tag_values.key', '=', 'golf').executeTakeFirstOrThrow();
    const a = mineIds.find((row) => row.external_id === 'A')?.id;
    expect(loaded.find((customer) => customer.id === a)?.assignments).toEqual([[golf.tag_id, golf.id]]);
    expect(loaded.find((customer) => customer.id !== a)?.assignments).toEqual([]);
  });
});
