import { sql } from 'kysely';
import { expect } from 'vitest';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';
import { useServer } from './support.js';
import { runDemo } from '../../src/engine/demo/run-demo.js';
import { createAccessToken, revokeAccessToken } from '../../src/engine/access-tokens.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { openWorkspace } from '../../src/engine/workspaces.js';
import { listAudit } from '../../src/engine/audit.js';

/** Every table with a workspace column, as the store itself lists them: a table added later is counted without being named here. */
async function workspaceTables(h: StoreHarness): Promise<string[]> {
  const db = h.store().db;
  const rows =
    h.kind === 'sqlite'
      ? (await sql<{ name: string }>`select m.name as name from sqlite_master m join pragma_table_info(m.name) c where m.type = 'table' and c.name = 'workspace_id' order by m.name`.execute(db)).rows
      : (await sql<{ name: string }>`select table_name as name from information_schema.columns where table_schema = current_schema() and column_name = 'workspace_id' order by table_name`.execute(db)).rows;
  return rows.map((row) => row.name);
}

/** Rows per table for the workspace, and the members of its segment snapshots (kept under their snapshot, not a workspace). */
async function rowsOf(h: StoreHarness, tables: readonly string[], workspaceId: number): Promise<Record<string, number>> {
  const db = h.store().db;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = (await sql<{ count: number | string }>`select count(*) as count from ${sql.table(table)} where workspace_id = ${workspaceId}`.execute(db)).rows[0];
    counts[table] = Number(row?.count ?? 0);
  }
  const members = (await sql<{ count: number | string }>`select count(*) as count from segment_snapshot_members where snapshot_id in (select id from segment_snapshots where workspace_id = ${workspaceId})`.execute(db)).rows[0];
  counts.segment_snapshot_members = Number(members?.count ?? 0);
  return counts;
}

forEachStore('deleting a workspace', (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });

  it('deletes every row of the workspace in every table that has a workspace column, and none of another workspace', async () => {
    const doomed = `${h.workspaceKey()}-closed`;
    const kept = `${h.workspaceKey()}-open`;
    for (const workspace of [doomed, kept]) await runDemo(h.store(), { workspace, customers: 40, eventsPerCustomer: 6, seed: 3, now: h.clock.now });
    const admin = (await createAccessToken(h.store(), { name: `boss-${h.kind}`, role: 'admin' }, h.clock.now())).token;
    await createAccessToken(h.store(), { name: 'closed-shop-staff', role: 'operator', workspaces: [doomed] }, h.clock.now());
    await createAccessToken(h.store(), { name: 'area-manager', role: 'operator', workspaces: [doomed, kept] }, h.clock.now());
    const as = (workspace: string) => ({ authorization: `Bearer ${admin}`, 'x-tagbase-workspace': workspace });

    // What a shop accumulates beyond the demo: a webhook and its deliveries, a snapshot, an
    // export, an erasure, a merge, a bulk tagging, a custom field, an index snapshot, audit entries.
    for (const workspace of [doomed, kept]) {
      const hook = await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/tagbase', tags: ['rfm'] }, as(workspace));
      expect(hook.status).toBe(201);
      await api.post(`/api/v1/webhooks/${String(hook.body.id)}/test`, {}, as(workspace));
      expect((await api.post('/api/v1/segments/active_buyers/snapshots', {}, as(workspace))).status).toBe(201);
      expect((await api.post('/api/v1/segments/export?format=csv', { expression: 'spend_365d >= 0' }, as(workspace))).status).toBe(200);
      expect((await api.call('DELETE', '/api/v1/customers/C000003', undefined, as(workspace))).status).toBe(200);
      expect((await api.post('/api/v1/customers/C000005/merge', { from: 'C000004' }, as(workspace))).status).toBe(200);
      expect((await api.post('/api/v1/fields', { key: 'store_no', name: '门店编号', type: 'string' }, as(workspace))).status).toBe(201);
      const registry = new IndexRegistry(h.store(), { snapshots: true });
      const context = await openWorkspace(h.store(), workspace, 'tester', h.clock.now);
      await registry.get(context);
      await registry.saveSnapshot(context);
    }

    const tables = await workspaceTables(h);
    const ids = Object.fromEntries((await h.store().db.selectFrom('workspaces').select(['id', 'key']).where('key', 'in', [doomed, kept]).execute()).map((row) => [row.key, row.id]));
    const before = await rowsOf(h, tables, ids[doomed] ?? -1);
    const keptBefore = await rowsOf(h, tables, ids[kept] ?? -1);
    const held = Object.entries(before).filter(([, count]) => count > 0).map(([table]) => table);
    expect(held).toEqual(
      expect.arrayContaining(['customers', 'identities', 'events', 'assignments', 'tag_history', 'tags', 'tag_values', 'segments', 'segment_snapshots', 'segment_snapshot_members', 'segment_sizes', 'customer_metrics', 'care_plans', 'models', 'webhooks', 'webhook_deliveries', 'export_log', 'audit_log', 'customer_erasures', 'customer_merges', 'field_definitions', 'index_snapshots', 'index_snapshot_parts', 'changes', 'metric_definitions']),
    );

    // Refused: without the key typed again, a wrong one, the default workspace, an unknown key, a limited token.
    expect((await api.call('DELETE', `/api/v1/workspaces/${doomed}`, undefined, as('default'))).body).toMatchObject({ status: 400, code: 'WORKSPACE_NOT_CONFIRMED' });
    expect((await api.call('DELETE', `/api/v1/workspaces/${doomed}?confirm=${kept}`, undefined, as('default'))).body.code).toBe('WORKSPACE_NOT_CONFIRMED');
    expect((await api.call('DELETE', '/api/v1/workspaces/default?confirm=default', undefined, as('default'))).body).toMatchObject({ status: 409, code: 'WORKSPACE_DEFAULT_KEPT' });
    expect((await api.call('DELETE', '/api/v1/workspaces/no-such-shop?confirm=no-such-shop', undefined, as('default'))).body).toMatchObject({ status: 404, code: 'WORKSPACE_NOT_FOUND' });
    expect(await rowsOf(h, tables, ids[doomed] ?? -1)).toMatchObject({ customers: before.customers, events: before.events });

    // The server has the workspace's index in memory; after the deletion it answers from nothing.
    expect((await api.post('/api/v1/segments/count', { expression: 'spend_365d >= 0' }, as(doomed))).body.count).toBeGreaterThan(0);
    const deleted = await api.call('DELETE', `/api/v1/workspaces/${doomed}?confirm=${doomed}`, undefined, as('default'));
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ workspace: doomed, customers: 38, tokens_revoked: ['closed-shop-staff'], tokens_narrowed: ['area-manager'] });

    const after = await rowsOf(h, tables, ids[doomed] ?? -1);
    expect(Object.entries(after).filter(([, count]) => count > 0)).toEqual([]);
    expect(await h.store().db.selectFrom('workspaces').select('id').where('key', '=', doomed).execute()).toEqual([]);
    expect(await rowsOf(h, tables, ids[kept] ?? -1)).toEqual(keptBefore);

    expect((await api.post('/api/v1/segments/count', { expression: 'spend_365d >= 0' }, as(doomed))).body.code).toBe('WORKSPACE_NOT_FOUND');
    expect((await api.get('/api/v1/workspaces', as('default'))).body.items as { key: string }[]).not.toContainEqual(expect.objectContaining({ key: doomed }));
    const tokens = await h.store().db.selectFrom('access_tokens').select(['name', 'workspaces', 'revoked_at']).where('name', 'in', ['closed-shop-staff', 'area-manager']).orderBy('name').execute();
    expect(tokens.map((token) => [token.name, token.workspaces, token.revoked_at !== null])).toEqual([
      ['area-manager', JSON.stringify([kept]), false],
      ['closed-shop-staff', JSON.stringify([doomed]), true],
    ]);
    // The store's trail (no workspace) keeps the deletion, who made it (the token's name) and how much went.
    const trail = await listAudit(h.store(), { workspaceId: ids[kept] ?? -1, limit: 20 }, 'en');
    expect(trail.items).toContainEqual(expect.objectContaining({ action: 'DELETE /workspaces/:key', actor: `boss-${h.kind}`, status: 200, target: expect.stringContaining(`${doomed} (38 customers`) }));

    // Made again under the key, it starts empty.
    expect((await api.post('/api/v1/workspaces', { key: doomed, name: '重开' }, as('default'))).status).toBe(201);
    expect((await api.post('/api/v1/segments/count', { expression: 'spend_365d >= 0' }, as(doomed))).body.count).toBe(0);
    await api.call('DELETE', `/api/v1/workspaces/${doomed}?confirm=${doomed}`, undefined, as('default'));
    for (const name of ['area-manager', `boss-${h.kind}`]) await revokeAccessToken(h.store(), name, h.clock.now());
  });
});
