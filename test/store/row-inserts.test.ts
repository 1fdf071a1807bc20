// Multi-row inserts run from a text compiled once per row count write and return what the same
// insert compiled by Kysely each time writes and returns.
import { expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { RowInsert } from '../../src/store/row-inserts.js';
import { forEachStore, it } from '../support/stores.js';

interface Row {
  customer_id: number;
  workspace_id: number;
  metric_values: string;
  computed_at: number;
  valid_until?: number | null;
}

forEachStore('row inserts', (h) => {
  async function customerIds(count: number): Promise<number[]> {
    const context = h.context();
    await upsertCustomers(context, Array.from({ length: count }, (_, k) => ({ id: `R${k}`, name: `客户${k}` })));
    const rows = await h.store().db.selectFrom('customers').select('id').where('workspace_id', '=', context.workspaceId).orderBy('id').execute();
    return rows.map((row) => row.id);
  }

  function upsert(built: { count: number }) {
    return new RowInsert<Row, { customer_id: number; metric_values: string }>(['customer_id', 'workspace_id', 'metric_values', 'computed_at', 'valid_until'], (db, rows) => {
      built.count++;
      return db
        .insertInto('customer_metrics')
        .values(rows)
        .onConflict((oc) => oc.column('customer_id').doUpdateSet((eb) => ({ metric_values: eb.ref('excluded.metric_values'), computed_at: eb.ref('excluded.computed_at'), valid_until: eb.ref('excluded.valid_until') })))
        .returning(['customer_id', 'metric_values']);
    });
  }

  async function stored(ids: readonly number[]) {
    return h.store().db.selectFrom('customer_metrics').select(['customer_id', 'metric_values', 'computed_at', 'valid_until']).where('customer_id', 'in', ids).orderBy('customer_id').execute();
  }

  it('binds new rows to the text kept for their count, writing and returning them as Kysely does', async () => {
    const ids = await customerIds(3);
    const workspaceId = h.context().workspaceId;
    const built = { count: 0 };
    const insert = upsert(built);
    const rows = (text: string, at: number, until: number | null): Row[] => ids.map((id, k) => ({ customer_id: id, workspace_id: workspaceId, metric_values: `{"n":"${text}${k}"}`, computed_at: at + k, valid_until: until }));
    const first = await insert.execute(h.store().db, rows('a', 1000, 5000));
    expect(built.count).toBe(1);
    expect(first.rows).toEqual(ids.map((id, k) => ({ customer_id: id, metric_values: `{"n":"a${k}"}` })));
    // The same count again, in a transaction: the kept text, not another compile, with these rows' values.
    const second = await h.store().db.transaction().execute((trx) => insert.execute(trx, rows('b', 2000, null)));
    expect(built.count).toBe(1);
    expect(second.rows).toEqual(ids.map((id, k) => ({ customer_id: id, metric_values: `{"n":"b${k}"}` })));
    expect(await stored(ids)).toEqual(ids.map((id, k) => ({ customer_id: id, metric_values: `{"n":"b${k}"}`, computed_at: 2000 + k, valid_until: null })));
    // Another count is compiled for itself.
    await insert.execute(h.store().db, rows('c', 3000, 9000).slice(0, 2));
    expect(built.count).toBe(2);
    expect((await stored(ids)).map((row) => row.metric_values)).toEqual(['{"n":"c0"}', '{"n":"c1"}', '{"n":"b2"}']);
  });

  it('leaves rows without a value for a column to Kysely, which writes its default', async () => {
    const ids = await customerIds(2);
    const workspaceId = h.context().workspaceId;
    const built = { count: 0 };
    const insert = upsert(built);
    await insert.execute(h.store().db, ids.map((id) => ({ customer_id: id, workspace_id: workspaceId, metric_values: '{}', computed_at: 1, valid_until: 7 })));
    await insert.execute(h.store().db, ids.map((id) => ({ customer_id: id, workspace_id: workspaceId, metric_values: '{"x":1}', computed_at: 2 })));
    expect(built.count).toBe(2);
    expect(await stored(ids)).toEqual(ids.map((id) => ({ customer_id: id, metric_values: '{"x":1}', computed_at: 2, valid_until: null })));
  });
});
