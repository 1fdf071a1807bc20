// Erasing a customer erases every record merged into them, and recorded the erasure under each
// of their ids (a digest each) and, for webhooks that post customer changes, an `erased` row each,
// in one statement apiece: a person with thousands of records merged in (a catch-all record that
// duplicates were merged into, as `tagbase customer erase` or DELETE /customers/{id} erases it)
// bound five parameters a record, past SQLite's 32,766 ("too many SQL variables") and
// PostgreSQL's 65,535 ("bind message has N parameter formats"), and could not be erased at all.
import { expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { eraseCustomer, findErasures } from '../../src/engine/erasure.js';
import { createWebhook } from '../../src/engine/webhooks.js';
import { forEachStore, it } from '../support/stores.js';

/** Past both stores' limits at five parameters a record (70,005 against 65,535). */
const MERGED = 14_000;

forEachStore('erasing a person of thousands of merged records', (h) => {
  it('erases them all and records each of their ids, in statements each store takes', { timeout: 300_000 }, async () => {
    const ctx = h.context('合规-小王');
    await createWebhook(ctx, { url: 'http://127.0.0.1:8391/people', topics: ['customer_changes'], secret: 'a-secret-of-sixteen+' });
    const merged = Array.from({ length: MERGED }, (_, k) => `M${String(k).padStart(5, '0')}`);
    await upsertCustomers(ctx, [{ id: 'KEPT', name: '散客' }]);
    // In batches an upsert takes.
    for (let start = 0; start < MERGED; start += 5_000) await upsertCustomers(ctx, merged.slice(start, start + 5_000).map((id) => ({ id })));
    await upsertCustomers(ctx, [{ id: 'OTHER', name: '李娜' }]);
    // As merging each into KEPT leaves them: forwarding to it.
    const kept = await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', 'KEPT').executeTakeFirstOrThrow();
    await ctx.store.db.updateTable('customers').set({ merged_into: kept.id }).where('workspace_id', '=', ctx.workspaceId).where('external_id', 'like', 'M%').execute();

    const result = await eraseCustomer(ctx, 'KEPT');

    expect(result).toMatchObject({ customer: 'KEPT', records: MERGED + 1 });
    const left = await ctx.store.db.selectFrom('customers').select('external_id').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(left.map((row) => row.external_id)).toEqual(['OTHER']);
    // Any of their ids answers whether they were erased.
    for (const id of ['KEPT', merged[0] ?? '', merged[MERGED - 1] ?? '']) expect(await findErasures(ctx, id)).toHaveLength(1);
    const told = await ctx.store.db.selectFrom('customer_changes_log').select(['change', 'customer_id']).where('workspace_id', '=', ctx.workspaceId).execute();
    expect(told).toHaveLength(MERGED + 1);
    expect(new Set(told.map((row) => row.change))).toEqual(new Set(['erased']));
  });
});
