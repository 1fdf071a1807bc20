// Erasing a customer on request: the person goes from every table, others stay as they were, and
// only a digest of the id records that it happened.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { eraseCustomer, findErasures } from '../../src/engine/erasure.js';
import { createCustomField } from '../../src/engine/fields.js';
import { listExports, logExport } from '../../src/engine/export-log.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { tickWorkspace } from '../../src/engine/maintenance.js';
import { assignTag } from '../../src/engine/tagging.js';
import type { WorkspaceContext } from '../../src/engine/context.js';
import { defineTag, interests, rejected } from './support.js';

/** Rows each table holds for these internal customer ids. */
async function rowsOf(ctx: WorkspaceContext, ids: number[]): Promise<Record<string, number>> {
  const db = ctx.store.db;
  const count = async (table: 'identities' | 'events' | 'assignments' | 'tag_history' | 'customer_metrics', column: 'customer_id') =>
    (await db.selectFrom(table).select(column).where(column, 'in', ids).execute()).length;
  return {
    customers: (await db.selectFrom('customers').select('id').where('id', 'in', ids).execute()).length,
    identities: await count('identities', 'customer_id'),
    events: await count('events', 'customer_id'),
    assignments: await count('assignments', 'customer_id'),
    history: await count('tag_history', 'customer_id'),
    metrics: await count('customer_metrics', 'customer_id'),
  };
}

async function internalIds(ctx: WorkspaceContext, externalIds: string[]): Promise<number[]> {
  return (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', 'in', externalIds).execute()).map((row) => row.id);
}

forEachStore('erasing a customer', (h) => {
  it('removes the person, records merged into it included, from every table and keeps only a digest of the id', async () => {
    const ctx = h.context('合规-小王');
    await upsertCustomers(ctx, [
      { id: 'A', name: '张伟', city: '杭州', identities: [{ kind: 'phone', value: '13800000001' }] },
      { id: 'B', identities: [{ kind: 'wechat_unionid', value: 'oU_b' }] },
      { id: 'C', name: '李娜', identities: [{ kind: 'phone', value: '13800000003' }] },
    ]);
    await ingestEvents(ctx, [
      { id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 100 } },
      { id: 'E2', customer_id: 'B', type: 'app_opened', occurred_at: '2026-06-02T08:00:00Z', properties: {} },
      { id: 'E3', customer_id: 'C', type: 'order_paid', occurred_at: '2026-06-03T08:00:00Z', properties: { order_id: 'O3', amount: 80 } },
    ]);
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A', 'B', 'C'], source: 'manual' });
    await mergeCustomers(ctx, 'A', 'B');
    const person = await internalIds(ctx, ['A', 'B']);
    const other = await internalIds(ctx, ['C']);
    const otherBefore = await rowsOf(ctx, other);
    // Exports that picked them by id, name or an identifier of either record.
    const exported = ['id = "A"', "name = '张伟' or city = \"杭州\"", 'phone = "13800000001" or wechat_unionid = "oU_b"', 'id in ("C", "A2")'];
    for (const target of exported) await logExport(ctx, { actor: '运营-小李', source: 'expression', target, format: 'csv', rows: 1, metrics: [] });

    // Named by the merged record's id: the whole person goes.
    const result = await eraseCustomer(ctx, 'B');
    expect(result).toEqual({ customer: 'B', records: 2, identities: 2, events: 2, assignments: 1, history: expect.any(Number), snapshot_memberships: 0 });
    expect(result.history).toBeGreaterThanOrEqual(2);
    expect(await rowsOf(ctx, person)).toEqual({ customers: 0, identities: 0, events: 0, assignments: 0, history: 0, metrics: 0 });
    // Nor does any change the merge noted name the merged record any longer.
    expect(await ctx.store.db.selectFrom('tag_history').select('id').where('workspace_id', '=', ctx.workspaceId).where('merged_from', 'is not', null).execute()).toEqual([]);
    expect(await rowsOf(ctx, other)).toEqual(otherBefore);
    for (const id of ['A', 'B']) expect((await rejected(getPortrait(ctx, id))).code).toBe('CUSTOMER_NOT_FOUND');
    expect((await getPortrait(ctx, 'C')).tags).toHaveLength(1);

    // What stays: that a merge and an erasure happened, by whom, and how much went; neither id.
    const merges = await ctx.store.db.selectFrom('customer_merges').select(['merged_external_id', 'details']).where('workspace_id', '=', ctx.workspaceId).execute();
    expect(merges).toEqual([{ merged_external_id: '', details: expect.any(String) }]);
    expect(JSON.parse(merges[0]?.details ?? '')).toEqual({ identities: 1, events: 1, assignments_moved: 0, assignments_dropped: 1, history: expect.any(Number) });
    const erasures = await ctx.store.db.selectFrom('customer_erasures').selectAll().where('workspace_id', '=', ctx.workspaceId).execute();
    expect(erasures).toHaveLength(2);
    expect(JSON.stringify(erasures)).not.toMatch(/"A"|"B"|张伟|13800000001|oU_b/);
    for (const id of ['A', 'B']) {
      expect(await findErasures(ctx, id)).toEqual([{ actor: '合规-小王', at: expect.any(String), details: { records: 2, identities: 2, events: 2, assignments: 1, history: result.history, snapshot_memberships: 0 } }]);
    }
    expect(await findErasures(ctx, 'C')).toEqual([]);
    // The export log keeps the exports, not whom they picked; others' ids and other words stay.
    expect((await listExports(ctx, 10)).map((entry) => entry.target).reverse()).toEqual(['id = "(erased)"', 'name = "(erased)" or city = "杭州"', 'phone = "(erased)" or wechat_unionid = "(erased)"', 'id in ("C", "A2")']);

    // Sent again, the same events make a new customer: what arrives after an erasure is new data.
    const again = await ingestEvents(ctx, [{ id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 100 } }]);
    expect(again).toMatchObject({ stored: 1, customers_created: 1 });
    expect((await getPortrait(ctx, 'A')).identities).toEqual([]);
  });

  it('takes out of the export log the text of a custom field that only the person held, and leaves text others hold too', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'id_card', name: '证件号', type: 'string' });
    await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
    await upsertCustomers(ctx, [
      { id: 'A', custom: { id_card: '330106199001011234', note: '门店' } },
      { id: 'B', custom: { id_card: '330106199202022345' } },
      { id: 'C', custom: { note: '门店' } },
    ]);
    await mergeCustomers(ctx, 'A', 'B');
    const targets = ['id_card = "330106199001011234"', '证件号 in ("330106199202022345", "110101198001010000")', 'note = "门店"'];
    for (const target of targets) await logExport(ctx, { actor: '运营-小李', source: 'expression', target, format: 'csv', rows: 1, metrics: [] });
    await eraseCustomer(ctx, 'A');
    expect((await listExports(ctx, 10)).map((entry) => entry.target).reverse()).toEqual(['id_card = "(erased)"', '证件号 in ("(erased)", "110101198001010000")', 'note = "门店"']);
  });

  it('answers CUSTOMER_NOT_FOUND for an unknown id and changes nothing', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }]);
    expect((await rejected(eraseCustomer(ctx, 'Z'))).code).toBe('CUSTOMER_NOT_FOUND');
    expect((await getPortrait(ctx, 'A')).id).toBe('A');
    expect(await ctx.store.db.selectFrom('customer_erasures').selectAll().where('workspace_id', '=', ctx.workspaceId).execute()).toEqual([]);
  });

  it('leaves the scheduler only the customers still stored', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }]);
    await ingestEvents(ctx, [
      { id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O1', amount: 100 } },
      { id: 'E2', customer_id: 'B', type: 'order_paid', occurred_at: '2026-06-01T08:00:00Z', properties: { order_id: 'O2', amount: 100 } },
    ]);
    await eraseCustomer(ctx, 'A');
    // Far enough on that every windowed metric is due.
    const later: WorkspaceContext = { ...ctx, now: () => new Date(ctx.now().getTime() + 400 * 86_400_000) };
    const report = await tickWorkspace(later, { clockRules: false });
    expect(report.metricsRefreshed).toBe(1);
    expect((await getPortrait(ctx, 'B')).id).toBe('B');
  });
});
