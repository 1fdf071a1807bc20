// `tagbase webhook list` on both stores, for a webhook that paused itself after failing for 3
// days: it says so, why it failed, that nothing is lost, and the command that resumes it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { webhookList } from '../../src/cli/webhook.js';
import { cliMessages } from '../../src/cli/messages.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { createWebhook, deliverWebhooks, WEBHOOK_AUTO_PAUSE_MS } from '../../src/engine/webhooks.js';
import { defineTag, interests } from '../engine/support.js';

forEachStore('tagbase webhook list: a webhook paused after failing for 3 days', (h) => {
  it('says it paused itself, why it failed and how to resume it, in English and Chinese', async () => {
    // A port that was just given up: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const ctx = h.context('cli');
    await defineTag(ctx, interests);
    await upsertCustomers(ctx, [{ id: 'A' }]);
    const webhook = await createWebhook(ctx, { url: `http://127.0.0.1:${port}/hooks` });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    const start = h.clock.now().getTime();
    await deliverWebhooks(ctx.store, { now: () => start });
    await deliverWebhooks(ctx.store, { now: () => start + WEBHOOK_AUTO_PAUSE_MS });
    expect(await webhookList(ctx, cliMessages('en'))).toMatch(
      new RegExp(`paused automatically \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d after failing for 3 days \\(.*ECONNREFUSED\\)\\): what it has not delivered is kept, and posted once it is resumed \\(tagbase webhook resume ${webhook.id}\\)`),
    );
    expect(await webhookList(ctx, cliMessages('zh-CN'))).toContain('连续失败 3 天，已于');
    expect(await webhookList(ctx, cliMessages('zh-CN'))).toContain(`自动暂停（`);
    expect(await webhookList(ctx, cliMessages('zh-CN'))).toContain(`未推送的内容已保留，恢复后补发（tagbase webhook resume ${webhook.id}）`);
  });
});
