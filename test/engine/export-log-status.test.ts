// The export log says whether an export ended: in progress from its first row, completed or
// stopped once it ends. One a crash cut short said it had written every member it began with.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { loadWorkspaceCatalog } from '../../src/engine/catalog.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { listExports, logExport } from '../../src/engine/export-log.js';
import { exportMembers } from '../../src/engine/segment-members.js';

const id = (n: number) => `C${String(n).padStart(4, '0')}`;

forEachStore('the export log: exports in progress, completed and stopped', (h) => {
  it('logs an export in progress until it ends, then completed with its rows and end, or stopped with the rows written before', async () => {
    const ctx = h.context('运营-小李');
    const count = 2500; // more than one batch of rows
    for (let start = 1; start <= count; start += 1000) {
      await upsertCustomers(ctx, Array.from({ length: Math.min(1000, count - start + 1) }, (_, i) => ({ id: id(start + i), city: '杭州' })));
    }
    const members = (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute()).map((row) => row.id);
    const catalog = await loadWorkspaceCatalog(ctx);
    const logged = { actor: '运营-小李', source: 'segment' as const, target: 'all', format: 'csv', rows: members.length, metrics: [] };

    // As a crash leaves it: logged, a batch out, and never ended.
    const crashed = await logExport(ctx, logged);
    const cutShort = exportMembers(ctx, catalog, members, 'csv', [], { loggedAs: crashed });
    expect((await cutShort.next()).done).toBe(false);
    expect((await listExports(ctx, 1))[0]).toMatchObject({ status: 'in_progress', finished_at: null, rows: count });

    // Its reader goes away after the first batch (a cancelled download).
    h.clock.set('2026-06-15T10:05:00Z');
    const cancelled = await logExport(ctx, logged);
    const stopped = exportMembers(ctx, catalog, members, 'csv', [], { loggedAs: cancelled });
    await stopped.next(); // the header
    await stopped.next(); // the first batch
    await stopped.return(undefined);
    expect((await listExports(ctx, 1))[0]).toMatchObject({ status: 'stopped', finished_at: '2026-06-15T10:05:00.000Z', rows: 2000 });

    h.clock.set('2026-06-15T10:10:00Z');
    const whole = await logExport(ctx, { ...logged, format: 'xlsx' });
    for await (const chunk of exportMembers(ctx, catalog, members, 'xlsx', [], { loggedAs: whole })) expect(chunk).toBeDefined();
    expect((await listExports(ctx, 1))[0]).toMatchObject({ status: 'completed', finished_at: '2026-06-15T10:10:00.000Z', rows: count });
    // The one cut short still says so beside them.
    expect((await listExports(ctx, 3)).map((entry) => entry.status)).toEqual(['completed', 'stopped', 'in_progress']);
    await cutShort.return(undefined);
  });
});
