// The generator drafts batches on a second thread when there are several: the stores written
// must hold exactly what drafting every batch on one thread writes, events included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { generateWorkspace } from '../../bench/generate.js';
import { nameSearchKey } from '../../src/core/name-search.js';
import { openStore, type Store } from '../../src/store/connect.js';

const directory = mkdtempSync(join(tmpdir(), 'tagbase-generate-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function generated(name: string, parallel: boolean): Promise<{ store: Store; report: Awaited<ReturnType<typeof generateWorkspace>> }> {
  const store = await openStore(join(directory, `${name}.db`));
  await store.migrate();
  const report = await generateWorkspace([store], { workspace: 'bench', customers: 2_100, batchSize: 500, eventsPerCustomer: 3, storeEvents: true, seed: 5, parallel });
  return { store, report };
}

async function contents(store: Store): Promise<Record<string, unknown[]>> {
  const tables = ['customers', 'customer_metrics', 'identities', 'assignments', 'events'] as const;
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) rows[table] = (await sql`select * from ${sql.table(table)} order by 1, 2, 3, 4`.execute(store.db)).rows;
  return rows;
}

it('writes the same workspace whether batches are drafted on a second thread or on this one', { timeout: 120_000 }, async () => {
  const [ahead, here] = [await generated('ahead', true), await generated('here', false)];
  try {
    expect(ahead.report.customers).toBe(2_100);
    expect(ahead.report.events).toBeGreaterThan(0);
    expect({ ...ahead.report, ms: 0 }).toEqual({ ...here.report, ms: 0 });
    expect(await contents(ahead.store)).toEqual(await contents(here.store));
    // Written straight into the store, each name still has the search key the engine would write.
    const named = await ahead.store.db.selectFrom('customers').select(['name', 'name_search']).where('id', '<=', 50).execute();
    expect(named.length).toBe(50);
    for (const row of named) expect(row.name_search).toBe(nameSearchKey(row.name));
  } finally {
    await ahead.store.close();
    await here.store.close();
  }
});
