// The governance review's pairs of customers holding one phone written two ways name customers and
// their phones: a role that reads only the first 100 rows of any list of customers (a viewer) is
// given the first 100 pairs, where it was given every pair in the workspace at once.
import { expect } from 'vitest';
import { upsertCustomers } from '../../src/engine/customers.js';
import { forEachStore, it } from '../support/stores.js';
import { ensureRoleTokens, useServer } from './support.js';

forEachStore("API: the governance review's customer pairs for a viewer", (h) => {
  const api = useServer(h, { tokensReadEveryMs: 0 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const tokens = { admin: '', operator: '', viewer: '' };

  it('gives a role without the export permission the first 100 pairs, and counts them all', async () => {
    await ensureRoleTokens(h, tokens);
    const ctx = h.context();
    const pairs = 105;
    const phone = (index: number) => `8521${String(index).padStart(7, '0')}`;
    await upsertCustomers(ctx, Array.from({ length: pairs }, (_, index) => [
      { id: `P${String(index)}`, identities: [{ kind: 'phone' as const, value: `+${phone(index)}` }] },
      { id: `D${String(index)}` },
    ]).flat());
    // As an upgrade left them (the API stores a 00 number in its + form): inserted directly.
    const ids = await ctx.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', ctx.workspaceId).where('external_id', 'like', 'D%').execute();
    await ctx.store.db
      .insertInto('identities')
      .values(ids.map((row) => ({ workspace_id: ctx.workspaceId, kind: 'phone', value: `00${phone(Number(row.external_id.slice(1)))}`, customer_id: row.id })))
      .execute();
    const review = async (token: string) => (await api.get('/api/v1/governance', bearer(token))).body as { findings: number; same_phone_two_ways: { customer: string }[] };
    for (const token of [tokens.admin, tokens.operator]) {
      const full = await review(token);
      expect(full.same_phone_two_ways).toHaveLength(pairs);
      expect(full.findings).toBe(pairs);
    }
    const viewer = await review(tokens.viewer);
    expect(viewer.same_phone_two_ways).toHaveLength(100);
    expect(viewer.findings).toBe(pairs);
    // The same first pairs, their phones masked as a viewer sees identifiers.
    expect(viewer.same_phone_two_ways.map((pair) => pair.customer)).toEqual((await review(tokens.admin)).same_phone_two_ways.slice(0, 100).map((pair) => pair.customer));
  });
});
