import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { forEachStore, it, type StoreHarness } from '../support/stores.js';
import { useServer } from './support.js';
import { runDemo } from '../../src/engine/demo/run-demo.js';
import { deleteWorkspace, resumeWorkspaceDeletions, workspaceDeletionSettings, type WorkspaceDeletionProgress } from '../../src/engine/workspace-deletion.js';
import { listAudit } from '../../src/engine/audit.js';
import { openWorkspace } from '../../src/engine/workspaces.js';
import { deliverWebhooks } from '../../src/engine/webhooks.js';
import { startScheduler } from '../../src/engine/scheduler.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { indexAudience } from '../../src/index/audience.js';

/** Rows of the workspace in every table with a workspace column, as the store lists them. */
async function rowsOf(h: StoreHarness, workspaceId: number): Promise<Record<string, number>> {
  const db = h.store().db;
  const tables =
    h.kind === 'sqlite'
      ? (await sql<{ name: string }>`select m.name as name from sqlite_master m join pragma_table_info(m.name) c where m.type = 'table' and c.name = 'workspace_id' order by m.name`.execute(db)).rows
      : (await sql<{ name: string }>`select table_name as name from information_schema.columns where table_schema = current_schema() and column_name = 'workspace_id' order by table_name`.execute(db)).rows;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const row = (await sql<{ count: number | string }>`select count(*) as count from ${sql.table(name)} where workspace_id = ${workspaceId}`.execute(db)).rows[0];
    counts[name] = Number(row?.count ?? 0);
  }
  return counts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

class Interrupted extends Error {}

/** Progress reports until the `after`th, when the deletion is made to stop there, as a crash would. */
function stopAfter(after: number, seen: WorkspaceDeletionProgress[]) {
  return (progress: WorkspaceDeletionProgress) => {
    seen.push(progress);
    if (seen.length === after) throw new Interrupted('stopped midway');
  };
}

forEachStore('deleting a workspace in batches', (h) => {
  const api = useServer(h);
  const saved = { ...workspaceDeletionSettings };
  beforeAll(() => Object.assign(workspaceDeletionSettings, { batch: 20 }));
  afterAll(() => Object.assign(workspaceDeletionSettings, saved));

  it('marks it first, deletes it batch by batch, answers WORKSPACE_DELETING meanwhile, and finishes an interrupted deletion on the next attempt or start, touching no other workspace', async () => {
    const first = `${h.workspaceKey()}-first`;
    const second = `${h.workspaceKey()}-second`;
    const kept = `${h.workspaceKey()}-kept`;
    for (const workspace of [first, second, kept]) await runDemo(h.store(), { workspace, customers: 12, eventsPerCustomer: 3, seed: 5, now: h.clock.now });
    const ids = Object.fromEntries((await h.store().db.selectFrom('workspaces').select(['id', 'key']).execute()).map((row) => [row.key, row.id]));
    const id = (key: string) => ids[key] ?? -1;
    const keptBefore = await rowsOf(h, id(kept));
    const firstBefore = await rowsOf(h, id(first));
    const customers = firstBefore.customers ?? 0;
    expect(total(firstBefore)).toBeGreaterThan(10 * workspaceDeletionSettings.batch);
    const as = (workspace: string) => ({ 'x-tagbase-workspace': workspace });

    // Stopped after its fourth batch, as a crash would stop it.
    const seen: WorkspaceDeletionProgress[] = [];
    await expect(deleteWorkspace(h.store(), first, h.clock.now, { actor: '店长', source: 'api', status: 200 }, undefined, stopAfter(5, seen))).rejects.toBeInstanceOf(Interrupted);
    expect(seen[0]).toEqual({ workspace: first, deleted_rows: 0, total_rows: total(firstBefore) });
    for (let i = 1; i < seen.length; i++) {
      const step = (seen[i]?.deleted_rows ?? 0) - (seen[i - 1]?.deleted_rows ?? 0);
      expect(step).toBeGreaterThan(0);
      expect(step).toBeLessThanOrEqual(workspaceDeletionSettings.batch);
    }
    const midway = await rowsOf(h, id(first));
    expect(total(midway)).toBe(total(firstBefore) - (seen[4]?.deleted_rows ?? 0));
    expect(midway.customers).toBe(customers);

    // Half deleted: nothing reads or writes it, and it is listed with how far its deletion is.
    for (const call of [() => api.get('/api/v1/customers', as(first)), () => api.post('/api/v1/customers', { customers: [{ id: 'C900' }] }, as(first)), () => api.post('/api/v1/segments/count', { expression: 'spend_365d >= 0' }, as(first))]) {
      expect((await call()).body).toMatchObject({ status: 409, code: 'WORKSPACE_DELETING' });
    }
    await expect(openWorkspace(h.store(), first, null, h.clock.now)).rejects.toMatchObject({ code: 'WORKSPACE_DELETING' });
    const listed = (await api.get('/api/v1/workspaces', as('default'))).body.items as { key: string; deleting?: unknown }[];
    expect(listed.find((workspace) => workspace.key === first)?.deleting).toEqual({ deleted_rows: seen[4]?.deleted_rows, total_rows: total(firstBefore) });
    expect(listed.find((workspace) => workspace.key === kept)).not.toHaveProperty('deleting');
    expect(await rowsOf(h, id(first))).toEqual(midway);

    // The next attempt finishes it, as its first author asked it.
    const finished = await api.call('DELETE', `/api/v1/workspaces/${first}?confirm=${first}`, undefined, as('default'));
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ workspace: first, customers });
    expect(total(await rowsOf(h, id(first)))).toBe(0);
    expect(await h.store().db.selectFrom('workspaces').select('id').where('key', '=', first).execute()).toEqual([]);
    expect((await api.get('/api/v1/customers', as(first))).body.code).toBe('WORKSPACE_NOT_FOUND');

    // Another, stopped once marked, before its first batch: the background work leaves it alone
    // (no look at its watched segments through an index built from half its rows, no round), and
    // the next start finishes it.
    expect((await api.post('/api/v1/webhooks', { url: 'https://crm.example.com/hooks/tagbase' }, as(second))).status).toBe(201);
    const secondBefore = await rowsOf(h, id(second));
    await expect(deleteWorkspace(h.store(), second, h.clock.now, { actor: 'ops', source: 'cli' }, undefined, stopAfter(1, []))).rejects.toBeInstanceOf(Interrupted);
    const background = new IndexRegistry(h.store());
    await deliverWebhooks(h.store(), { audience: indexAudience(background), now: () => h.clock.now().getTime() });
    const scheduler = startScheduler(h.store(), h.clock.now, { intervalMs: 2 ** 30, firstTickMs: 2 ** 30, observer: background });
    await scheduler.tick();
    await scheduler.stop();
    expect(background.builds(id(second))).toBe(0);
    expect(await rowsOf(h, id(second))).toEqual(secondBefore);
    const resumed: WorkspaceDeletionProgress[] = [];
    expect((await resumeWorkspaceDeletions(h.store(), h.clock.now, { onProgress: (progress) => resumed.push(progress) })).map((done) => done.workspace)).toEqual([second]);
    expect(resumed.at(-1)).toMatchObject({ workspace: second, deleted_rows: resumed.at(-1)?.total_rows });
    expect(total(await rowsOf(h, id(second)))).toBe(0);
    expect(await resumeWorkspaceDeletions(h.store(), h.clock.now)).toEqual([]);

    // Nothing of the workspace kept was touched; the trail has each deletion once, under who asked for it.
    expect(await rowsOf(h, id(kept))).toEqual(keptBefore);
    expect((await api.post('/api/v1/segments/count', { expression: 'spend_365d >= 0' }, as(kept))).body.count).toBe(keptBefore.customers);
    const trail = (await listAudit(h.store(), { workspaceId: id(kept), limit: 50 }, 'en')).items.filter((item) => item.action === 'DELETE /workspaces/:key' || item.action === 'workspace delete');
    expect(trail.map((item) => [item.actor, item.target.split(' ')[0]])).toEqual([
      ['ops', second],
      ['店长', first],
    ]);
  });
});
