// The store's indexes as the migrations leave them, and the plans that rely on them.
import { CompiledQuery, sql } from 'kysely';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';

forEachStore('store indexes', (h) => {
  it('indexes only the assignments that expire, and the sweeper finds those through it', async () => {
    const db = h.store().db;
    if (h.kind === 'sqlite') {
      const row = await sql<{ sql: string }>`select sql from sqlite_master where name = 'assignments_expiry_idx'`.execute(db);
      expect(row.rows[0]?.sql).toMatch(/where\s+"?expires_at"?\s+is not null/i);
      const plan = await sql<{ detail: string }>`explain query plan select customer_id from assignments where workspace_id = ${1} and expires_at is not null and expires_at <= ${2}`.execute(db);
      expect(plan.rows.map((step) => step.detail).join('\n')).toContain('USING INDEX assignments_expiry_idx');
    } else {
      const row = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'assignments_expiry_idx' and schemaname = current_schema()`.execute(db);
      expect(row.rows[0]?.indexdef).toMatch(/WHERE \(expires_at IS NOT NULL\)/);
    }
  });

  it('indexes only the named customers without a name search key, and the round that keys them finds those through it', async () => {
    const db = h.store().db;
    if (h.kind === 'sqlite') {
      const row = await sql<{ sql: string }>`select sql from sqlite_master where name = 'customers_name_search_due_idx'`.execute(db);
      expect(row.rows[0]?.sql).toMatch(/where\s+"?name"?\s+is not null\s+and\s+"?name_search"?\s+is null/i);
      const plan = await sql<{ detail: string }>`explain query plan select id, name from customers where workspace_id = ${1} and name is not null and name_search is null and id > ${0} order by id limit ${2000}`.execute(db);
      expect(plan.rows.map((step) => step.detail).join('\n')).toContain('USING INDEX customers_name_search_due_idx');
    } else {
      const row = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'customers_name_search_due_idx' and schemaname = current_schema()`.execute(db);
      expect(row.rows[0]?.indexdef).toMatch(/WHERE \(\(name IS NOT NULL\) AND \(name_search IS NULL\)\)/);
    }
  });
  it("indexes a segment's snapshots by segment, time and id, and a page of its list, newest first after a cursor, is read through it without a sort", async () => {
    const db = h.store().db;
    if (h.kind === 'sqlite') {
      const columns = await sql<{ name: string }>`select name from pragma_index_info('segment_snapshots_segment_idx')`.execute(db);
      expect(columns.rows.map((column) => column.name)).toEqual(['segment_id', 'taken_at', 'id']);
      // The statement listSnapshots sends (src/engine/segments.ts), after a cursor.
      const page = db
        .selectFrom('segment_snapshots')
        .selectAll()
        .where('segment_id', '=', 1)
        .where((eb) => eb.or([eb('taken_at', '<', 2), eb.and([eb('taken_at', '=', 2), eb('id', '<', 3)])]))
        .orderBy('taken_at', 'desc')
        .orderBy('id', 'desc')
        .limit(101)
        .compile();
      const plan = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${page.sql}`, [...page.parameters]));
      const steps = plan.rows.map((step) => step.detail).join('\n');
      expect(steps).toContain('USING INDEX segment_snapshots_segment_idx');
      expect(steps).not.toContain('TEMP B-TREE');
    } else {
      const row = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'segment_snapshots_segment_idx' and schemaname = current_schema()`.execute(db);
      expect(row.rows[0]?.indexdef).toMatch(/ON \S*segment_snapshots USING btree \(segment_id, taken_at, id\)$/);
    }
  });
});
