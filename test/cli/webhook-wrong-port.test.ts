// `tagbase webhook list` on both stores, for webhooks whose URL reaches a server that cannot take
// the post: an https:// URL on a port that answers plain HTTP, and a port that answers something
// else than HTTP. Each failure is put in words that say what to check, not only the TLS or HTTP
// parser's code.
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { listenForPosts, type LocalReceiver } from '../support/webhook-receiver.js';
import { webhookList } from '../../src/cli/webhook.js';
import { cliMessages } from '../../src/cli/messages.js';
import { assignTag } from '../../src/engine/tagging.js';
import { createWebhook, deliverWebhooks } from '../../src/engine/webhooks.js';
import { addInterestsAndCustomerA } from '../engine/support.js';

forEachStore('tagbase webhook list: a receiver on the wrong port', (h) => {
  let web: LocalReceiver | undefined;
  let ssh: TcpServer | undefined;
  let plainHttp = '';
  let notHttp = '';
  beforeAll(async () => {
    web = await listenForPosts((_request, _body, response) => response.end());
    // What an SSH server says first, whatever it is sent.
    ssh = createTcpServer((socket) => {
      socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => ssh?.listen(0, '127.0.0.1', resolve));
    plainHttp = `https://127.0.0.1:${web.port}/hooks`;
    notHttp = `http://127.0.0.1:${(ssh.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await web?.close();
    await new Promise<void>((resolve) => ssh?.close(() => resolve()));
  });

  it('says an https:// URL reaches plain HTTP, and a port answers other than HTTP, in English and Chinese', async () => {
    const ctx = await addInterestsAndCustomerA(h.context('cli'));
    await createWebhook(ctx, { url: plainHttp });
    await createWebhook(ctx, { url: notHttp });
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['A'], source: 'manual' });
    expect(await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() })).toEqual({ delivered: 0, failed: 2 });
    const english = await webhookList(ctx, cliMessages('en'));
    expect(english).toContain('last the receiver does not speak HTTPS at this address and port: the URL may want http:// rather than https:// (ERR_SSL_WRONG_VERSION_NUMBER)');
    expect(english).toMatch(/last what answers at this address and port is not a web server: check the port \(HPE_[A-Z_]+\)/);
    const chinese = await webhookList(ctx, cliMessages('zh-CN'));
    expect(chinese).toContain('接收方在这个地址和端口上不使用 HTTPS：地址也许应以 http:// 开头，而不是 https:// (ERR_SSL_WRONG_VERSION_NUMBER)');
    expect(chinese).toMatch(/在这个地址和端口上应答的不是 Web 服务：请检查端口 \(HPE_[A-Z_]+\)/);
  });
});
