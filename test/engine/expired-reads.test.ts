// A value "valid until 12:00" is not shown at 12:00:30: reads of a customer's tags (the portrait,
// member lists, `tagbase customer show` and `customer find`) leave out an expired assignment the
// expiry sweep has not taken off yet, which a scheduler round holds back and commands never run.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { customerPortraitText, foundCustomersText } from '../../src/cli/customer.js';
import { cliMessages } from '../../src/cli/messages.js';
import { loadWorkspaceCatalog } from '../../src/engine/catalog.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { getPortrait } from '../../src/engine/portrait.js';
import { loadMemberRows } from '../../src/engine/segment-members.js';
import { assignTag } from '../../src/engine/tagging.js';
import { defineTag } from './support.js';

const en = cliMessages('en');

forEachStore('expired assignments in reads', (h) => {
  it('are left out of the portrait, member rows and the commands from their expiry on, before the sweep takes them off', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'A', name: '张伟' }]);
    await defineTag(ctx, { key: 'promo', name: '活动', values: [{ key: 'spring', name: '春季' }] });
    await defineTag(ctx, { key: 'vip', name: '贵宾', values: [{ key: 'yes', name: '是' }] });
    const until = h.clock.now().getTime() + 60_000;
    await assignTag(ctx, { tag: 'promo', value: 'spring', customers: ['A'], source: 'manual', expiresAt: until });
    await assignTag(ctx, { tag: 'vip', value: 'yes', customers: ['A'], source: 'manual' });
    const { id } = await ctx.store.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', 'A').executeTakeFirstOrThrow();
    const shown = async () => {
      const portrait = await getPortrait(ctx, 'A');
      const [row] = await loadMemberRows(ctx, await loadWorkspaceCatalog(ctx), [id], []);
      const show = JSON.parse(await customerPortraitText(ctx, 'A', en, { json: true })) as { tags: { label: string }[] };
      const find = JSON.parse(await foundCustomersText(ctx, 'A', en, { json: true, limit: 10, offset: 0 })) as { items: { tags: string[] }[] };
      return { portrait: portrait.tags.map((tag) => tag.label), members: row?.tags, show: show.tags.map((tag) => tag.label), find: find.items[0]?.tags };
    };
    const both = ['活动: 春季', '贵宾: 是'];
    expect(await shown()).toEqual({ portrait: both, members: both, show: both, find: both });
    h.clock.advance(59_999);
    expect((await shown()).portrait).toEqual(both);
    // At its expiry and after it, with the row still in the store (no sweep ran).
    for (const step of [1, 30_000]) {
      h.clock.advance(step);
      expect(await shown()).toEqual({ portrait: ['贵宾: 是'], members: ['贵宾: 是'], show: ['贵宾: 是'], find: ['贵宾: 是'] });
    }
    const stored = await ctx.store.db.selectFrom('assignments').select('expires_at').where('workspace_id', '=', ctx.workspaceId).where('expires_at', 'is not', null).execute();
    expect(stored.map((row) => Number(row.expires_at))).toEqual([until]);
  });
});
