// `tagbase webhook add` on both stores: a webhook added from the terminal to watch a segment
// takes its first look at once, as one made through the API does, so that whoever enters the
// segment before the server's next round (or, with the server stopped, before it starts) is
// posted as entering rather than taken for a member it already had.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { useWebhookReceiver } from '../support/webhook-receiver.js';
import { addWebhook, webhookList } from '../../src/cli/webhook.js';
import { cliMessages } from '../../src/cli/messages.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { createSegment } from '../../src/engine/segments.js';
import { deliverWebhooks, type SegmentChangeJson } from '../../src/engine/webhooks.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';

forEachStore('tagbase webhook add', (h) => {
  const receiver = useWebhookReceiver((body) => body as { webhook: number; changes: SegmentChangeJson[] }, '/hook');
  const posts = receiver.posts;

  it('looks at the segment a webhook added from the terminal watches at once, so who enters before the server’s next round is posted as entering', async () => {
    const ctx = h.context('cli');
    await upsertCustomers(ctx, [{ id: 'C1', city: '上海' }, { id: 'C2', city: '北京' }]);
    await createSegment(ctx, { key: 'sh', name: '上海客户', expression: 'city = "上海"' });
    const text = (await addWebhook(ctx, cliMessages('en'), receiver.url, { segment: ['上海客户'] })).before.join('\n');
    const id = Number(/#(\d+)/.exec(text)?.[1]);
    expect(text).toContain(`#${id}  ${receiver.url}  segment_changes (sh)`);
    // While no server runs: C3 is new in Shanghai, C2 moves there.
    await upsertCustomers(ctx, [{ id: 'C3', city: '上海' }, { id: 'C2', city: '上海' }]);
    // The server starts, with an index of its own, and delivers.
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime(), audience: indexAudience(new IndexRegistry(ctx.store)) });
    const changes = posts.filter((post) => post.webhook === id).flatMap((post) => post.changes.map((change) => [change.segment, change.customer_id, change.change]));
    expect(changes).toEqual([
      ['sh', 'C2', 'entered'],
      ['sh', 'C3', 'entered'],
    ]);
  });

  it('lists webhooks in columns, whatever the length of each URL and of what it watches', async () => {
    const ctx = h.context('cli');
    await createSegment(ctx, { key: 'vip', name: '大客户', expression: 'city = "上海"' });
    const first = Number(/#(\d+)/.exec((await addWebhook(ctx, cliMessages('en'), 'https://crm.example.com/hooks/tagbase', { segment: ['大客户'] })).before[0] ?? '')?.[1]);
    const second = Number(/#(\d+)/.exec((await addWebhook(ctx, cliMessages('en'), 'http://a.cn/h', { topic: ['care_reminders'] })).before[0] ?? '')?.[1]);
    const number = (id: number) => `#${id}`.padEnd(Math.max(`#${first}`.length, `#${second}`.length));
    expect((await webhookList(ctx, cliMessages('en'))).split('\n')).toEqual([
      `${number(first)}  https://crm.example.com/hooks/tagbase  segment_changes (vip)  nothing posted yet`,
      `${number(second)}  http://a.cn/h                          care_reminders         nothing posted yet`,
      '(times in UTC+08:00)',
    ]);
  });
});
