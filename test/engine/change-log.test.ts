// The change log is how indexes in other processes follow writes: an entry commits with the
// write it describes, and a reader that has read an entry has also read every earlier one.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { logCustomersChanged, writeCatalog, writeCustomers, type WorkspaceContext } from '../../src/engine/context.js';
import { createCustomField, listCustomFields } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';

async function logged(ctx: WorkspaceContext): Promise<{ id: number; customers: number[] }[]> {
  const rows = await ctx.store.db.selectFrom('changes').select(['id', 'customer_ids']).where('workspace_id', '=', ctx.workspaceId).where('kind', '=', 'customers').orderBy('id').execute();
  return rows.map((row) => ({ id: Number(row.id), customers: JSON.parse(row.customer_ids ?? '[]') as number[] }));
}

async function customerId(ctx: WorkspaceContext, externalId: string): Promise<number> {
  return (await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;
}

const sleep = (ms: number) => new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), ms));

forEachStore('change log', (h) => {
  it('commits an entry with the write it describes, and tells the observer', async () => {
    const told: number[][] = [];
    const ctx: WorkspaceContext = { ...h.context(), observer: { customersChanged: (_w, ids) => told.push([...ids]), catalogChanged: () => {} } };
    await ingestEvents(ctx, [{ id: 'E1', customer_id: 'A', type: 'order_paid', occurred_at: '2026-06-10T08:00:00Z', properties: { order_id: 'O1', amount: 10 } }]);
    const a = await customerId(ctx, 'A');
    expect(told).toEqual([[a]]);
    expect((await logged(ctx)).map((entry) => entry.customers)).toEqual([[a]]);
  });

  it('logs nothing for a write that rolls back, and does not tell the observer', async () => {
    const told: number[][] = [];
    const ctx: WorkspaceContext = { ...h.context(), observer: { customersChanged: (_w, ids) => told.push([...ids]), catalogChanged: () => {} } };
    await ingestEvents(ctx, [{ id: 'E1', customer_id: 'A', type: 'product_viewed', occurred_at: '2026-06-10T08:00:00Z', properties: { sku: 'S1' } }]);
    const a = await customerId(ctx, 'A');
    told.length = 0;
    const before = await logged(ctx);
    await expect(
      writeCustomers(ctx, async (trx, changed) => {
        await trx.updateTable('customers').set({ name: '改名' }).where('id', '=', a).execute();
        changed.add(a);
        throw new Error('the write fails after its change');
      }),
    ).rejects.toThrow('the write fails after its change');
    expect(await logged(ctx)).toEqual(before);
    expect(told).toEqual([]);
    const row = await ctx.store.db.selectFrom('customers').select('name').where('id', '=', a).executeTakeFirstOrThrow();
    expect(row.name).not.toBe('改名');
  });

  it('logs a catalog change with its write, and nothing for one that rolls back', async () => {
    const ctx = h.context();
    const catalogEntries = async () => (await ctx.store.db.selectFrom('changes').select('id').where('workspace_id', '=', ctx.workspaceId).where('kind', '=', 'catalog').execute()).length;
    const before = await catalogEntries();
    await createCustomField(ctx, { key: 'tier', name: '等级', type: 'string' });
    expect(await catalogEntries()).toBe(before + 1);
    await expect(
      writeCatalog(ctx, 'all', async (trx) => {
        await trx.insertInto('field_definitions').values({ workspace_id: ctx.workspaceId, key: 'region', name: '区域', type: 'string', options: '[]', created_at: 0 }).execute();
        throw new Error('the catalog write fails');
      }),
    ).rejects.toThrow('the catalog write fails');
    expect(await catalogEntries()).toBe(before + 1);
    expect((await listCustomFields(ctx)).map((field) => field.key)).toEqual(['tier']);
  });

  it('lets no later entry commit while an earlier one is still open, so readers never skip one', async () => {
    const ctx = h.context();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstLogged: () => void = () => {};
    const logging = new Promise<void>((resolve) => (firstLogged = resolve));
    const first = ctx.store.db.transaction().execute(async (trx) => {
      await logCustomersChanged(ctx, trx, [101]);
      firstLogged();
      await held;
    });
    await logging;
    const second = writeCustomers(ctx, async (_trx, changed) => {
      changed.add(202);
    });
    // Had the second entry committed now, with the first one's smaller id still invisible, a
    // reader would have moved past that id for good.
    expect(await Promise.race([second.then(() => 'committed' as const), sleep(300)])).toBe('waiting');
    release();
    await first;
    await second;
    expect((await logged(ctx)).map((entry) => entry.customers)).toEqual([[101], [202]]);
  });
});
