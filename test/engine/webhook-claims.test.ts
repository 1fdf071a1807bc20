// A server killed while it posts to a webhook never gives its claim back. A server started again
// on the same host takes over at once a claim whose process is gone, rather than waiting out the
// claim (half a minute in which the webhook posts nothing); a claim of a process still running waits.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { createWebhook, deliverWebhooks, WEBHOOK_CLAIM_MS } from '../../src/engine/webhooks.js';
import { currentHolder, holderToken, type PassHolder } from '../../src/engine/pass-holders.js';
import { goneProcess } from '../support/gone-process.js';
import { useWebhookReceiver } from '../support/webhook-receiver.js';
import { defineTag, interests } from './support.js';

forEachStore('webhook claims', (h) => {
  const receiver = useWebhookReceiver((body) => body, '/hook');
  const posts = receiver.posts;

  it('posts at once what a dead process held the claim to, and leaves a living holder its claim', async () => {
    const ctx = h.context();
    const now = () => h.clock.now().getTime();
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }]);
    const webhook = await createWebhook(ctx, { url: receiver.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const claimedBy = (holder: PassHolder) => ctx.store.db.updateTable('webhooks').set({ next_attempt_at: now() + WEBHOOK_CLAIM_MS, claimed_by: holderToken(holder) }).where('id', '=', webhook.id).execute();

    // Held by this very process, posting it: the round leaves it alone.
    await claimedBy(currentHolder());
    expect(await deliverWebhooks(ctx.store, { now })).toEqual({ delivered: 0, failed: 0 });
    // By a process of another host: nothing here tells whether it still runs.
    const gone = await goneProcess();
    await claimedBy({ ...gone, host: `not-${gone.host}` });
    expect(await deliverWebhooks(ctx.store, { now })).toEqual({ delivered: 0, failed: 0 });
    expect(posts).toHaveLength(0);

    // By a process of this host that has ended: posted now, and the claim given back.
    await claimedBy(gone);
    expect(await deliverWebhooks(ctx.store, { now })).toEqual({ delivered: 1, failed: 0 });
    expect(posts).toHaveLength(1);
    const row = await ctx.store.db.selectFrom('webhooks').select(['claimed_by', 'next_attempt_at']).where('id', '=', webhook.id).executeTakeFirstOrThrow();
    expect(row.claimed_by).toBeNull();
    expect(Number(row.next_attempt_at)).toBeLessThanOrEqual(now());
  });
});
