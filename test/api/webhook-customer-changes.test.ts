// Customer changes turned on and off for a webhook with PATCH, on both stores: a webhook that
// posts tag changes alone — as every webhook made before the customer changes log existed was
// left, its customer cursor at 0 — posts merges from the moment it is given the topic, not the
// ones logged for other webhooks before, and none once the topic is taken off again.
import { expect } from 'vitest';
import { deliverWebhooks } from '../../src/engine/webhooks.js';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';
import { useWebhookReceiver } from '../support/webhook-receiver.js';

type Post = { topic: string; body: { webhook: number; changes?: { change: string; customer_id: string; into: string | null }[] } };
const receiver = useWebhookReceiver((body, headers): Post => ({ topic: String(headers['x-tagbase-topic']), body: body as Post['body'] }));
const posts = receiver.posts;

forEachStore('API: turning customer changes on and off for a webhook', (h) => {
  const api = useServer(h);

  it('posts merges from the moment PATCH gives a webhook the topic, and none once it is taken off', async () => {
    posts.length = 0;
    await api.post('/api/v1/customers', { customers: [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }, { id: 'E' }] });
    const old = await api.post('/api/v1/webhooks', { url: `${receiver.url}/old` });
    expect(old.body.topics).toEqual(['tag_changes']);
    const id = Number(old.body.id);
    // As a webhook made before the log existed: its customer cursor at the start.
    await h.store().db.updateTable('webhooks').set({ customer_cursor: 0 }).where('id', '=', id).execute();
    // Another webhook asks for customer changes, so this merge is logged, for it alone.
    await api.post('/api/v1/webhooks', { url: `${receiver.url}/people`, topics: ['customer_changes'] });
    expect((await api.post('/api/v1/customers/A/merge', { from: 'B' })).status).toBe(200);
    const deliver = () => deliverWebhooks(h.store(), { now: () => h.clock.now().getTime() });
    await deliver();
    const merges = () => posts.filter((post) => post.body.webhook === id && post.topic === 'customer_changes').flatMap((post) => (post.body.changes ?? []).map((change) => [change.change, change.customer_id, change.into]));

    const on = await api.patch(`/api/v1/webhooks/${id}`, { topics: ['tag_changes', 'customer_changes'] });
    expect(on.status).toBe(200);
    expect(on.body.topics).toEqual(['tag_changes', 'customer_changes']);
    await deliver();
    expect(merges()).toEqual([]);
    expect((await api.post('/api/v1/customers/C/merge', { from: 'D' })).status).toBe(200);
    await deliver();
    expect(merges()).toEqual([['merged', 'D', 'C']]);

    const off = await api.patch(`/api/v1/webhooks/${id}`, { topics: ['tag_changes'] });
    expect(off.body.topics).toEqual(['tag_changes']);
    expect((await api.post('/api/v1/customers/C/merge', { from: 'E' })).status).toBe(200);
    await deliver();
    expect(merges()).toEqual([['merged', 'D', 'C']]);
    const listed = (await api.get('/api/v1/webhooks')).body as { items: { id: number; topics: string[] }[] };
    expect(listed.items.find((webhook) => webhook.id === id)?.topics).toEqual(['tag_changes']);
  });
});
