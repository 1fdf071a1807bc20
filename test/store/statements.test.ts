// Reused prepared statements and rows read as tuples return what a fresh statement returns,
// inside and outside a transaction.
import { expect } from 'vitest';
import { selectTuples } from '../../src/store/tuples.js';
import { forEachStore, it } from '../support/stores.js';

forEachStore('statements', (h) => {
  it('reads tuples in select order, in and out of a transaction, the same as rows', async () => {
    const context = h.context();
    const db = h.store().db;
    const query = () => db.selectFrom('workspaces').select(['id', 'key', 'created_at']).where('id', '=', context.workspaceId);
    const rows = await query().execute();
    const expected = rows.map((row) => [row.id, row.key, row.created_at]);
    expect(await selectTuples(h.store(), db, query(), ['id', 'key', 'created_at'])).toEqual(expected);
    const inside = await db.transaction().execute((trx) =>
      selectTuples(h.store(), trx, trx.selectFrom('workspaces').select(['id', 'key', 'created_at']).where('id', '=', context.workspaceId), ['id', 'key', 'created_at']),
    );
    expect(inside).toEqual(expected);
    // The same text run again (a reused statement) still binds the new parameters.
    expect(await selectTuples(h.store(), db, db.selectFrom('workspaces').select(['id', 'key', 'created_at']).where('id', '=', -1), ['id', 'key', 'created_at'])).toEqual([]);
  });

});
