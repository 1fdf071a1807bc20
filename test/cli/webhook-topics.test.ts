// `tagbase webhook topics` on both stores: a webhook that posts tag changes alone (as every one
// made before customers merged away or erased could be posted) is given customer_changes from
// the terminal, posts merges from then on only, and stops when it is taken off again.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useWebhookReceiver } from '../support/webhook-receiver.js';
import { addWebhook, changeWebhookTopics } from '../../src/cli/webhook.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { deliverWebhooks, listWebhooks } from '../../src/engine/webhooks.js';
import { cliMessages } from '../../src/cli/messages.js';

forEachStore('tagbase webhook topics', (h) => {
  type Post = { topic: string; body: { webhook: number; changes?: { change: string; customer_id: string; into: string | null }[] } };
  const receiver = useWebhookReceiver((body, headers): Post => ({ topic: String(headers['x-tagbase-topic']), body: body as Post['body'] }), '/hook');
  const posts = receiver.posts;

  it('turns customer changes on for a webhook that posts tag changes alone, from then on, and off again', async () => {
    const ctx = h.context('cli');
    const id = Number(/#(\d+)/.exec((await addWebhook(ctx, cliMessages('en'), receiver.url, {})).before[0] ?? '')?.[1]);
    await upsertCustomers(ctx, [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }]);
    const deliver = () => deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    const merges = () => posts.filter((post) => post.body.webhook === id && post.topic === 'customer_changes').flatMap((post) => (post.body.changes ?? []).map((change) => [change.customer_id, change.into]));
    // Merged before the webhook posts customer changes: not posted.
    await mergeCustomers(ctx, 'A', 'B');
    await deliver();
    const on = await changeWebhookTopics(ctx, cliMessages('en'), id, { add: ['customer_changes'] });
    expect(on.split('\n')).toEqual([`webhook #${id} now posts:`, expect.stringContaining(`#${id}  ${receiver.url}  tag_changes + customer_changes`), 'customer_changes: posted from now on; what happened before is not posted']);
    expect((await listWebhooks(ctx)).find((webhook) => webhook.id === id)?.topics).toEqual(['tag_changes', 'customer_changes']);
    await mergeCustomers(ctx, 'C', 'D');
    await deliver();
    expect(merges()).toEqual([['D', 'C']]);
    // Off: merges are no longer posted, and the command says so in its line.
    const off = await changeWebhookTopics(ctx, cliMessages('en'), id, { remove: ['customer_changes'] });
    expect(off.split('\n')).toEqual([`webhook #${id} now posts:`, expect.stringContaining(`#${id}  ${receiver.url}  tag_changes  `)]);
    await upsertCustomers(ctx, [{ id: 'E' }]);
    await mergeCustomers(ctx, 'C', 'E');
    await deliver();
    expect(merges()).toEqual([['D', 'C']]);
  });

  it('refuses an unknown topic, nothing to change, and taking off the last topic, saying so', async () => {
    const ctx = h.context('cli');
    const id = Number(/#(\d+)/.exec((await addWebhook(ctx, cliMessages('en'), receiver.url, {})).before[0] ?? '')?.[1]);
    const change = (options: { add?: string[]; remove?: string[] }) => changeWebhookTopics(ctx, cliMessages('en'), id, options);
    await expect(change({ add: ['customers'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(change({})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(change({ remove: ['tag_changes'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(changeWebhookTopics(ctx, cliMessages('en'), id + 1000, { add: ['customer_changes'] })).rejects.toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
  });
});
