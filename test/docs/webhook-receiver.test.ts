// The receiver docs/api.md gives integrators, run as written against real posts: it takes what
// tagbase signs, turns away another secret and a replay, and drops a post sent twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { assignTag } from '../../src/engine/tagging.js';
import { createWebhook, deliverWebhooks, rotateWebhookSecret, testWebhook } from '../../src/engine/webhooks.js';
import { defineTag, interests } from '../engine/support.js';

const sample = /```js\n(\/\/ receiver\.mjs[\s\S]*?)```/.exec(readFileSync('docs/api.md', 'utf8'))?.[1];
const dir = mkdtempSync(join(tmpdir(), 'tagbase-receiver-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The sample, started with its secret on a free port: where it listens, and what it has printed. */
async function startSample(secret: string): Promise<{ url: string; printed: () => string[]; child: ChildProcess }> {
  const file = join(dir, `receiver-${String(Date.now())}.mjs`);
  writeFileSync(file, sample ?? '');
  const port = await freePort();
  const child = spawn(process.execPath, [file], { env: { ...process.env, TAGBASE_WEBHOOK_SECRET: secret, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const url = `http://127.0.0.1:${String(port)}/tagbase`;
  await expect.poll(async () => (await fetch(url, { method: 'POST' }).catch(() => undefined))?.status, { timeout: 10_000 }).toBe(401);
  return { url, child, printed: () => Buffer.concat(chunks).toString('utf8').split('\n').filter((line) => line !== '') };
}

forEachStore('docs/api.md: the webhook receiver sample', (h) => {
  it('is there to run', () => {
    expect(sample).toContain("createServer((request, response) => {");
  });

  it('takes the posts tagbase signs, once each, and turns away another secret and a replay', async () => {
    const secret = 'the-receiver-sample-secret';
    const receiver = await startSample(secret);
    try {
      const ctx = h.context('导购-小李');
      await defineTag(ctx, interests);
      await upsertCustomers(ctx, [{ id: '贵宾-A' }]);
      const webhook = await createWebhook(ctx, { url: receiver.url, secret });
      expect(await testWebhook(ctx, webhook.id)).toMatchObject({ delivered: true, status: 204 });
      await assignTag(ctx, { tag: 'interests', value: 'golf', customers: ['贵宾-A'], source: 'manual' });
      expect(await deliverWebhooks(ctx.store, { now: () => h.clock.now().getTime() })).toEqual({ delivered: 1, failed: 0 });
      await expect.poll(() => receiver.printed()).toHaveLength(1);
      const [line] = receiver.printed();
      expect(line?.startsWith('tag_changes ')).toBe(true);
      const change = JSON.parse(line?.slice('tag_changes '.length) ?? '') as { id: number; at: string; customer_id: string; value: string };
      expect(change).toMatchObject({ customer_id: '贵宾-A', value: 'golf' });

      // The same post sent again, as a retry would, is taken and dropped; sent again minutes later, refused.
      const body = JSON.stringify({ webhook: webhook.id, workspace: ctx.workspaceKey, changes: [change] });
      const post = (timestamp: number) =>
        fetch(receiver.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tagbase-topic': 'tag_changes', 'x-tagbase-timestamp': String(timestamp), 'x-tagbase-signature-timed': `sha256=${createHmac('sha256', secret).update(`${String(timestamp)}.${body}`).digest('hex')}` },
          body,
        });
      const nowSeconds = Math.floor(Date.now() / 1000);
      expect((await post(nowSeconds)).status).toBe(204);
      expect((await post(nowSeconds - 600)).status).toBe(401);
      expect(receiver.printed()).toHaveLength(1);

      // Signed with another secret: refused, and retried by tagbase as any failed post.
      await rotateWebhookSecret(ctx, webhook.id);
      expect(await testWebhook(ctx, webhook.id)).toMatchObject({ delivered: false, status: 401, error: 'HTTP 401' });
    } finally {
      receiver.child.kill();
    }
  });
});
