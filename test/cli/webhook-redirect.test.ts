// `tagbase webhook list` on both stores, for a receiver that answers a post with a redirect: the
// failure is put in words that say what to do (webhooks do not follow redirects) and where it points.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { webhookList } from '../../src/cli/webhook.js';
import { cliMessages } from '../../src/cli/messages.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { createWebhook, deliverWebhooks } from '../../src/engine/webhooks.js';
import { defineTag, interests } from '../engine/support.js';

forEachStore('tagbase webhook list: a receiver that redirects', (h) => {
  let server: Server | undefined;
  let base = '';
  beforeAll(async () => {
    // An http address whose receiver moved: every post is sent on to https, which a webhook does not follow.
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.statusCode = 301;
        response.setHeader('location', 'https://crm.example.com/hooks/tagbase');
        response.end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  it('says the receiver redirects, that webhooks do not follow, and where it points, in English and Chinese', async () => {
    const ctx = h.context('cli');
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }]);
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
