import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useServer } from './support.js';
import { useWebhookReceiver } from '../support/webhook-receiver.js';

/** Posts received, by body. */
const receiver = useWebhookReceiver((body) => body as { changes?: { tag: string | null; action: string; customer_id: string }[] });
const posts = receiver.posts;

forEachStore('API: deleting a tag whose changes a webhook has yet to post', (h) => {
  const api = useServer(h);

  it('posts them first when the webhook is due, and is refused at once, losing nothing, while it is paused', async () => {
    posts.length = 0;
    await api.post('/api/v1/customers', { customers: [{ id: 'C1' }, { id: 'C2' }] });
    for (const key of ['trial', 'paused_trial']) {
      await api.post('/api/v1/tags', { key, name: key, values: [{ key: 'a', name: '甲' }] });
      await api.post(`/api/v1/tags/${key}/assign`, { value: 'a', customers: ['C1', 'C2'] });
    }
    const hook = await api.post('/api/v1/webhooks', { url: receiver.url });
    expect(hook.status).toBe(201);
    for (const key of ['trial', 'paused_trial']) await api.post(`/api/v1/tags/${key}/unassign`, { customers: ['C1', 'C2'] });

    // Due: the removals are posted by the deletion itself, which then goes through.
    // The readers say it is due, so the console's editor offers the deletion.
    expect((await api.get('/api/v1/tags/trial/readers')).body.pending_webhook_posts).toEqual([{ id: hook.body.id, due: true }]);
    expect((await api.del('/api/v1/tags/trial')).status).toBe(200);
    const posted = posts.flatMap((post) => post.changes ?? []).filter((change) => change.tag === 'trial');
    expect(posted.map((change) => [change.action, change.customer_id]).sort()).toEqual([
      ['remove', 'C1'],
      ['remove', 'C2'],
    ]);

    // Paused: it keeps what it has to post, and the deletion is refused at once, naming it.
    expect((await api.post(`/api/v1/webhooks/${String(hook.body.id)}/pause`, {})).status).toBe(200);
    await api.post('/api/v1/tags/paused_trial/assign', { value: 'a', customers: ['C1'] });
    await api.post('/api/v1/tags/paused_trial/unassign', { customers: ['C1'] });
    expect((await api.get('/api/v1/tags/paused_trial/readers')).body.pending_webhook_posts).toEqual([{ id: hook.body.id, due: false }]);
    const before = posts.length;
    const refused = await api.del('/api/v1/tags/paused_trial', { 'accept-language': 'en' });
    expect(refused.body).toMatchObject({ status: 409, code: 'TAG_NOT_DELETABLE', detail: expect.stringContaining(`webhook ${String(hook.body.id)} has not yet posted every change of it`) });
    expect(posts.length).toBe(before);
    expect((await api.get('/api/v1/tags/paused_trial')).status).toBe(200);
  });
});
