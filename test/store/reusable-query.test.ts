import { expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { reusableQuery } from '../../src/store/reusable-query.js';
import { forEachStore, it } from '../support/stores.js';

const customerNames = reusableQuery<{ workspaceId: number; from: string }, { external_id: string; name: string | null }>(['workspaceId', 'from'], (store, values) =>
  store.db.selectFrom('customers').select(['external_id', 'name']).where('workspace_id', '=', values.workspaceId).where('external_id', '>=', values.from).orderBy('external_id'),
);

forEachStore('reusable queries', (h) => {
  it('compiles once and runs with each call’s values, in a transaction too', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '甲' }, { id: 'B', name: '乙' }, { id: 'C', name: "O'Brien" }]);
    expect((await customerNames(ctx.store, { workspaceId: ctx.workspaceId, from: 'B' })).map((row) => row.name)).toEqual(['乙', "O'Brien"]);
    expect((await customerNames(ctx.store, { workspaceId: ctx.workspaceId, from: 'C' })).map((row) => row.name)).toEqual(["O'Brien"]);
    const inside = await ctx.store.db.transaction().execute((trx) => customerNames(ctx.store, { workspaceId: ctx.workspaceId, from: 'A' }, trx));
    expect(inside).toHaveLength(3);
  });

  it('refuses a value that does not become one bound parameter', async () => {
    const ctx = h.context();
    const listed = reusableQuery<{ ids: string }, { id: number }>(['ids'], (store) => store.db.selectFrom('customers').select('id').where('external_id', 'in', ['A', 'B']));
    await expect(listed(ctx.store, { ids: 'A' })).rejects.toThrow(/ids did not become bound parameters/);
  });
});
