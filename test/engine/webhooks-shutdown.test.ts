// A server asked to stop lets the post under way be answered and recorded, then posts no more:
// a backlog of many batches to a slow receiver would otherwise hold the stop for as long as it
// takes to post all of it (a service manager kills the process meanwhile, and what was posted
// without being recorded goes out twice). What is left is posted after the next start, from
// where the last recorded post ended.
import { afterAll, beforeAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { listenForPosts, type LocalReceiver } from '../support/webhook-receiver.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { createWebhook, deliverWebhooks, startWebhookDelivery, WEBHOOK_BATCH, type TagChangeJson } from '../../src/engine/webhooks.js';
import { defineTag, interests } from './support.js';

/** A receiver that holds each post until `release()` is called, then answers 200 to it and every later one at once. */
function useHeldReceiver() {
  const posts: { changes: TagChangeJson[] }[] = [];
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let firstPost = () => undefined as void;
  const first = new Promise<void>((resolve) => (firstPost = resolve));
  let receiver: LocalReceiver | undefined;
  let url = '';
  beforeAll(async () => {
    receiver = await listenForPosts((_request, body, response) => {
      posts.push(JSON.parse(body) as { changes: TagChangeJson[] });
      firstPost();
      void held.then(() => response.end());
    });
    url = `${receiver.url}/hook`;
  });
  afterAll(async () => {
    release();
    await receiver?.close();
  });
  return {
    posts,
    first,
    release: () => release(),
    get url() {
      return url;
    },
  };
}

forEachStore('webhooks at shutdown', (h) => {
  const receiver = useHeldReceiver();

  it('finishes the post under way when stopped and starts no other, leaving the rest for the next start', async () => {
    const ctx = h.context();
    const now = () => h.clock.now().getTime();
    await defineTag(ctx, interests);
    const ids = Array.from({ length: WEBHOOK_BATCH * 2 + 10 }, (_, index) => `C${index}`);
    await upsertCustomers(
      ctx,
      ids.map((id) => ({ id })),
    );
    await createWebhook(ctx, { url: receiver.url });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ids, source: 'manual' });

    const delivery = startWebhookDelivery(ctx.store, { intervalMs: 10, now });
    await receiver.first;
    const stopped = delivery.stop();
    receiver.release();
    await stopped;
    expect(receiver.posts).toHaveLength(1);
    expect(receiver.posts[0]?.changes).toHaveLength(WEBHOOK_BATCH);

    // The next start goes on right after the batch recorded: nothing twice, nothing lost.
    await deliverWebhooks(ctx.store, { now });
    expect(receiver.posts.map((post) => post.changes.length)).toEqual([WEBHOOK_BATCH, WEBHOOK_BATCH, 10]);
    const changeIds = receiver.posts.flatMap((post) => post.changes.map((change) => change.id));
    expect(new Set(changeIds).size).toBe(ids.length);
    expect(changeIds).toEqual([...changeIds].sort((a, b) => a - b));
  });
});
