// An assignment is gone from its expiry on, the instant itself included: the SQL condition the
// reads use, the one the sweep uses, and the JavaScript predicate agree at the boundary.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { isStillHeld } from '../../src/core/tag.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag, sweepExpiredAssignments } from '../../src/engine/tagging.js';
import { expiredBy, stillHeld } from '../../src/store/still-held.js';
import { defineTag } from './support.js';

forEachStore('still held', (h) => {
  it('holds an assignment until the instant of its expiry, in SQL, in JavaScript and by the sweep alike', async () => {
    const ctx = h.context();
    const now = h.clock.now().getTime();
    // Expiring a millisecond ago, at this very instant, a millisecond ahead, and never.
    const expiries: Record<string, number | null> = { past: now - 1, exact: now, ahead: now + 1, never: null };
    await upsertCustomers(ctx, Object.keys(expiries).map((id) => ({ id })));
    await defineTag(ctx, { key: 'promo', name: '活动', values: [{ key: 'spring', name: '春季' }] });
    await assignTag(ctx, { tag: 'promo', value: 'spring', customers: Object.keys(expiries), source: 'manual', expiresAt: now + 86_400_000 });
    const customers = await ctx.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', ctx.workspaceId).execute();
    const idOf = new Map(customers.map((row) => [row.id, row.external_id]));
    // Written as stored before any sweep: a past expiry cannot be given through tagging.
    for (const row of customers) await ctx.store.db.updateTable('assignments').set({ expires_at: expiries[row.external_id] ?? null }).where('customer_id', '=', row.id).execute();

    const select = (where: typeof stillHeld) =>
      ctx.store.db.selectFrom('assignments').select('customer_id').where('workspace_id', '=', ctx.workspaceId).where(where(now)).execute()
        .then((rows) => rows.map((row) => idOf.get(row.customer_id)).sort());
    expect(await select(stillHeld)).toEqual(['ahead', 'never']);
    expect(await select(expiredBy)).toEqual(['exact', 'past']);
    // The same condition on the table under another name, as the SQL back end of expressions names it.
    const aliased = await ctx.store.db.selectFrom('assignments as assignments_x').select('assignments_x.customer_id').where('assignments_x.workspace_id', '=', ctx.workspaceId).where(stillHeld(now, 'assignments_x')).execute();
    expect(aliased.map((row) => idOf.get(row.customer_id)).sort()).toEqual(['ahead', 'never']);
    expect(Object.keys(expiries).filter((id) => isStillHeld(expiries[id] ?? null, now)).sort()).toEqual(['ahead', 'never']);
    // As a store's JSON hands the milliseconds over, as digits.
    expect([String(now - 1), String(now), String(now + 1)].map((digits) => isStillHeld(digits, now))).toEqual([false, false, true]);

    // The sweep at this instant takes off exactly what is no longer held.
    expect(await sweepExpiredAssignments(ctx)).toBe(2);
    const left = await ctx.store.db.selectFrom('assignments').select('customer_id').where('workspace_id', '=', ctx.workspaceId).execute();
    expect(left.map((row) => idOf.get(row.customer_id)).sort()).toEqual(['ahead', 'never']);
  });
});
