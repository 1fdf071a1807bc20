// `tagbase webhook list` on both stores, for a receiver that answers a post with a redirect: the
// failure is put in words that say what to do (webhooks do not follow redirects) and where it points.
import { afterAll, beforeAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { listenForPosts, type LocalReceiver } from '../support/webhook-receiver.js';
import { webhookList } from '../../src/cli/webhook.js';
import { cliMessages } from '../../src/cli/messages.js';
import { assignTag } from '../../src/engine/tagging.js';
import { createWebhook, deliverWebhooks } from '../../src/engine/webhooks.js';
import { addInterestsAndCustomerA } from '../engine/support.js';

forEachStore('tagbase webhook list: a receiver that redirects', (h) => {
  let receiver: LocalReceiver | undefined;
  let base = '';
  beforeAll(async () => {
    // An http address whose receiver moved: every post is sent on to https, which a webhook does not follow.
    receiver = await listenForPosts((_request, _body, response) => {
      response.statusCode = 301;
      response.setHeader('location', 'https://crm.example.com/hooks/tagbase');
      response.end();
    });
    base = receiver.url;
  });
  afterAll(() => receiver?.close());

  it('says the receiver redirects, that webhooks do not follow, and where it points, in English and Chinese', async () => {
    const ctx = await addInterestsAndCustomerA(h.context('cli'));
    await createWebhook(ctx, { url: `${base}/hooks/tagbase` });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() });
    expect(await webhookList(ctx, cliMessages('en'))).toContain(
      'failing: 1 time in a row, last the receiver redirects the post, and webhooks do not follow redirects: give the webhook the URL it redirects to (HTTP 301 → https://crm.example.com/hooks/tagbase)',
    );
    // The next try to the minute in the workspace's zone, named at the end, as the other lists write times.
    expect(await webhookList(ctx, cliMessages('en'))).toMatch(/; next try \d{4}-\d\d-\d\d \d\d:\d\d\n\(times in UTC\+08:00\)$/);
    expect(await webhookList(ctx, cliMessages('zh-CN'))).toContain('接收方要求跳转到另一个地址，Webhook 不跟随跳转：请把推送地址改为跳转后的地址 (HTTP 301 → https://crm.example.com/hooks/tagbase)');
  });
});
